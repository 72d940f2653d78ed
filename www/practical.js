// The practical's three steps with cognito-wasm from plain JavaScript (no bundler, no
// framework), and a session that keeps the sign-in across reloads. `./pkg/` is the npm
// package as the xtask builds it; from npm it would be `import init, { ... } from
// "cognito-wasm"`.
import init, { CognitoClient, CognitoSession } from "./pkg/cognito_wasm.js";

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

// The signed-in user's session, kept in localStorage (step 4): one per settings, made again
// when they change. Against real Cognito the issuer (and so the JWKS URL) follows from the
// pool id; against the emulator it lives under its endpoint.
let current;

function session() {
  const options = settings();
  const { endpoint, userPoolId } = options;
  const issuer = endpoint ? `${endpoint.replace(/\/$/, "")}/${userPoolId}` : undefined;
  const key = JSON.stringify(options);
  if (current?.key !== key) {
    current?.session.free();
    current = { key, session: new CognitoSession({ ...options, issuer, storage: "localStorage" }) };
  }
  return current.session;
}

function showClaims(title, s) {
  show(title, { idToken: s.idClaims, accessToken: s.accessClaims });
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
  const s = session();
  await s.signOut(); // a new sign-in replaces the last one
  const started = performance.now();
  const result = await s[method](username, $("password").value);
  const ms = Math.round(performance.now() - started);
  if (result.kind !== "tokens") {
    show(`Cognito asks for more: ${result.challenge.name}`, result.challenge);
    return;
  }
  // Both tokens were verified against the pool's JWKS before the session kept them.
  showClaims(`Signed in with ${method} in ${ms} ms. Verified claims:`, await s.getSession());
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
run("show-session", async () => {
  const s = await session().getSession(); // read back (and verified again) after a reload
  const left = Math.round(s.accessClaims.exp - Date.now() / 1000);
  showClaims(`Signed in as ${s.username}; the tokens expire in ${left} s. Verified claims:`, s);
});
run("refresh", async () => {
  showClaims("Refreshed. Verified claims:", await session().getSession({ forceRefresh: true }));
});
run("sign-out", async () => {
  await session().signOut();
  show("Signed out: the refresh token is revoked and the session gone from localStorage.", {});
});
output.textContent = "Ready.";
