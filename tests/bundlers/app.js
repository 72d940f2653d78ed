// The app every bundler builds: the package imported as an app would, then handed to the test
// (bundlers.test.mjs), which drives the same scenario in each build's page.
import init, * as cognitoWasm from 'cognito-wasm';

window.cognitoWasm = { ...cognitoWasm, init };
document.title = 'ready';
