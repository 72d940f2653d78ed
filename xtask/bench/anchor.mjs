// The anchors' bundle, for bytes only (cargo xtask bench bundles it with esbuild: bundle,
// minify, format esm, platform browser): what an app using amazon-cognito-identity-js for
// sign-up and sign-in and aws-jwt-verify for tokens ships, to set beside our package.
export { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute } from 'amazon-cognito-identity-js';
export { CognitoJwtVerifier } from 'aws-jwt-verify';
