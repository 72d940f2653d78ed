// The ceiling's bundle, for bytes only (cargo xtask bench bundles it as it does anchor.mjs):
// Amplify JS's auth module with every call it has (sign-up, sign-in, sessions, MFA, devices,
// attributes, signInWithRedirect, passkeys), what a team on Amplify ships for auth. The
// package, with every feature we add, is held under it (the brief's rule).
export * from 'aws-amplify/auth';
export { Amplify } from 'aws-amplify';
