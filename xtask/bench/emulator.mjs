// emulator.mjs: a real ID token from the emulator at EMULATOR_URL (sign-up, AdminConfirmSignUp,
// USER_PASSWORD_AUTH) and its pool's JWKS, so the verifiers check what Cognito would sign, not
// a token made up here.

import { CLIENT_ID, EMULATOR_URL, POOL_ID, PUBLIC_URL } from './config.mjs';

async function cognito(target, body) {
  const resp = await fetch(`${EMULATOR_URL}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
      'X-Cognito-Emulator-Admin': '1',
    },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  if (!resp.ok) throw new Error(`${target}: HTTP ${resp.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

export async function realIdToken() {
  console.log('token: sign-up, confirm and USER_PASSWORD_AUTH on the emulator');
  const username = `bench-${Date.now().toString(36)}`;
  const password = 'Bench-Passw0rd!';
  await cognito('SignUp', {
    ClientId: CLIENT_ID,
    Username: username,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  await cognito('AdminConfirmSignUp', { UserPoolId: POOL_ID, Username: username });
  const auth = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: CLIENT_ID,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  const token = auth.AuthenticationResult?.IdToken;
  if (!token) throw new Error(`InitiateAuth gave no IdToken: ${JSON.stringify(auth)}`);
  const resp = await fetch(`${EMULATOR_URL}/${POOL_ID}/.well-known/jwks.json`);
  if (!resp.ok) throw new Error(`JWKS: HTTP ${resp.status}`);
  const jwks = await resp.json();
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const iss = `${PUBLIC_URL}/${POOL_ID}`;
  if (payload.iss !== iss) {
    throw new Error(
      `the token's iss is ${payload.iss}, not ${iss}: start the emulator with ` +
        `--public-url ${PUBLIC_URL}`,
    );
  }
  const { AccessToken: accessToken, RefreshToken: refreshToken } = auth.AuthenticationResult;
  return { token, jwks, sub: payload.sub, tokens: { idToken: token, accessToken, refreshToken } };
}
