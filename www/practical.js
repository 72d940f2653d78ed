// The practical's three steps with cognito-wasm from plain JavaScript: no bundler, no
// framework. `./pkg/` is the package `wasm-pack build --target web` makes (the xtask copies it
// here); from npm it would be `import init, { ... } from "cognito-wasm"`.
import init, { CognitoClient, TokenVerifier } from "./pkg/cognito_wasm.js";

const $ = (id) => document.getElementById(id);
const output = $("output");

function show(title, value) {
  output.classList.remove("error");
  output.textContent = `${title}\n${JSON.stringify(value, null, 2)}`;
}

function showError(error) {
  output.classList.add("error");
  // error.name is Cognito's exception name (CodeMismatchException, ...) or ours.
  output.textContent = `${error.name}: ${error.message}`;
}

function settings() {
  const endpoint = $("endpoint").value.trim();
  const userPoolId = $("pool").value.trim();
  const clientId = $("client").value.trim();
  const clientSecret = $("secret").value.trim() || undefined;
  $("secret-warning").hidden = !clientSecret;
  return { endpoint: endpoint || undefined, userPoolId, clientId, clientSecret };
}

function client() {
  return new CognitoClient(settings());
}

// Against real Cognito the issuer and JWKS URL follow from the pool id; against the
// emulator they live under its endpoint.
function verifier(tokenUse) {
  const { endpoint, userPoolId, clientId } = settings();
  const issuer = endpoint ? `${endpoint.replace(/\/$/, "")}/${userPoolId}` : undefined;
  return new TokenVerifier({ userPoolId, clientId, tokenUse, issuer });
}

function run(button, action) {
  $(button).addEventListener("click", async (event) => {
    event.preventDefault();
    $(button).disabled = true;
    output.classList.remove("error");
    output.textContent = "Working…";
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      $(button).disabled = false;
    }
  });
}

async function signIn(method) {
  const username = $("username").value.trim();
  const started = performance.now();
  const result = await client()[method](username, $("password").value);
  const ms = Math.round(performance.now() - started);
  if (result.kind !== "tokens") {
    show(`Cognito asks for more: ${result.challenge.name}`, result.challenge);
    return;
  }
  const { idToken, accessToken } = result.tokens;
  const [id, access] = await Promise.all([
    verifier("id").verify(idToken),
    verifier("access").verify(accessToken),
  ]);
  show(`Signed in with ${method} in ${ms} ms. Verified claims:`, { idToken: id, accessToken: access });
}

try {
  await init();
} catch (error) {
  showError(error);
  throw error;
}
settings();
$("secret").addEventListener("input", settings);

run("sign-up", async () => {
  const result = await client().signUp($("username").value.trim(), $("password").value, {
    email: $("email").value.trim(),
  });
  show("Signed up. Check the email for the code:", result);
});
run("confirm", async () => {
  await client().confirmSignUp($("username").value.trim(), $("code").value.trim());
  show("Confirmed. Now sign in.", {});
});
run("sign-in-password", () => signIn("signInPassword"));
run("sign-in-srp", () => signIn("signInSrp"));
output.textContent = "Ready.";
