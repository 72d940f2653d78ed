// Every export of the package, used as an app would, for `tsc --strict --noEmit`
// (bundlers.test.mjs runs it against the packed package's types).
import init, {
  initSync,
  CognitoClient,
  CognitoSession,
  TokenVerifier,
  SrpSession,
  decodeJwt,
  precomputeSrp,
  secretHash,
  srpTimestamp,
  challengeStep,
  totpUri,
  CognitoWasmError,
  CognitoServiceError,
  VerificationError,
  JwtExpiredError,
  NetworkError,
  TimeoutError,
  MalformedResponseError,
  InvalidInputError,
  PlatformError,
  UserUnAuthenticatedException,
  UserAlreadyAuthenticatedException,
  JwtInvalidClaimError,
  JwtInvalidIssuerError,
  KidNotFoundInJwksError,
  type CognitoClientOptions,
  type TokenVerifierOptions,
  type InitInput,
  type CognitoIdTokenPayload,
  type CognitoAccessTokenPayload,
  type CognitoJwtPayload,
  type SignInResult,
  type CognitoWasmErrorName,
  type Tokens,
  type AuthSession,
  type CognitoSessionOptions,
  type SessionStorageAdapter,
  type ChallengeStep,
  type SoftwareTokenResult,
} from 'cognito-wasm';

export async function app(bytes: ArrayBuffer): Promise<void> {
  await init();
  await init({ module_or_path: new URL('https://example.com/cognito_wasm.wasm') });
  const input: InitInput = await fetch('/cognito_wasm.wasm');
  await init(input);
  initSync({ module: new WebAssembly.Module(bytes) });
  precomputeSrp();

  const options: CognitoClientOptions = {
    userPoolId: 'us-east-1_AbC123xyz',
    clientId: 'c',
    clientSecret: 's',
    endpoint: 'http://localhost:9229',
    timeoutMs: 5000,
    srpWorker: true,
  };
  const client = new CognitoClient(options);
  const up = await client.signUp('alice', 'pw', { email: 'a@example.com' }, { source: 'web' });
  const delivered: string | undefined = up.codeDelivery?.destination;
  await client.confirmSignUp('alice', '123456');
  const result: SignInResult = await client.signInSrp('alice', 'pw');
  if (result.kind === 'tokens') {
    const tokens: Tokens = result.tokens;
    const deliveries = await client.updateUserAttributes(tokens.accessToken, { email: 'b@example.com' });
    deliveries.forEach((d) => d.deliveryMedium);
    await client.verifyUserAttribute(tokens.accessToken, 'email', '123456');
    await client.deleteUserAttributes(tokens.accessToken, ['nickname']);
    const user = await client.getUser(tokens.accessToken);
    const email: string | undefined = user.attributes.email;
    await client.deleteUser(tokens.accessToken);
    void email;
    const app: SoftwareTokenResult = await client.associateSoftwareToken(tokens.accessToken);
    const uri: string = totpUri('Example', 'alice', app.secretCode ?? '');
    await client.verifySoftwareToken(tokens.accessToken, null, '123456', 'phone');
    await client.setUserMfaPreference(tokens.accessToken, 'PREFERRED', null, 'DISABLED');
    void uri;
  } else {
    await client.respondToChallenge(result.challenge.name, result.challenge.session, { USERNAME: 'alice' });
    const step: ChallengeStep = challengeStep(result.challenge);
    switch (step.step) {
      case 'NEW_PASSWORD_REQUIRED': {
        const missing: string[] = step.requiredAttributes;
        await client.confirmSignIn(result.challenge, 'New-Pass-1', Object.fromEntries(missing.map((n) => [n, 'x'])));
        break;
      }
      case 'SMS_MFA':
      case 'EMAIL_OTP': {
        const to: string | undefined = step.destination;
        void to;
        await client.confirmSignIn(result.challenge, '123456');
        break;
      }
      case 'SOFTWARE_TOKEN_MFA':
        await client.confirmSignIn(result.challenge, '123456');
        break;
      case 'SELECT_MFA_TYPE':
        await client.confirmSignIn(result.challenge, step.allowed[0]);
        break;
      case 'MFA_SETUP': {
        const setup = await client.associateSoftwareToken(null, result.challenge.session);
        const verified = await client.verifySoftwareToken(null, setup.session, '123456');
        await client.confirmSignIn({ ...result.challenge, session: verified.session });
        break;
      }
      case 'UNSUPPORTED': {
        const raw: Record<string, string> = step.parameters;
        await client.respondToChallenge(step.name, result.challenge.session, raw);
        break;
      }
    }
  }
  client[Symbol.dispose]();

  {
    using idVerifier = new TokenVerifier({ userPoolId: 'us-east-1_AbC123xyz', clientId: 'c', tokenUse: 'id' });
    const id: CognitoIdTokenPayload = await idVerifier.verify('token');
    const aud: string = id.aud;
    // @ts-expect-error: an ID token has no client_id claim typed
    const notThere: string = id.client_id;
    void aud;
    void notThere;
  }
  const accessOptions: TokenVerifierOptions<'access'> = { userPoolId: 'p', clientId: ['a', 'b'], tokenUse: 'access' };
  const accessVerifier = new TokenVerifier(accessOptions);
  const access: CognitoAccessTokenPayload = await accessVerifier.verify('token');
  const clientId: string = access.client_id;
  void clientId;
  const either = new TokenVerifier({ userPoolId: 'p', clientId: 'c', tokenUse: null });
  const any: CognitoJwtPayload = await either.verify('token');
  if (any.token_use === 'id') {
    const username: string = any['cognito:username'];
    void username;
  }

  const store = new Map<string, string>();
  const adapter: SessionStorageAdapter = {
    getItem: async (k) => store.get(k) ?? null,
    setItem: (k, v) => void store.set(k, v),
    removeItem: async (k) => void store.delete(k),
  };
  for (const storage of ['memory', 'localStorage', 'sessionStorage', adapter] as const) {
    const sessionOptions: CognitoSessionOptions = { ...options, storage, refreshMarginSeconds: 120 };
    using session = new CognitoSession(sessionOptions);
    session.addEventListener('tokenRefresh', () => {});
    const signedIn: SignInResult = await session.signInSrp('alice', 'pw');
    if (signedIn.kind === 'challenge') {
      const answered = await session.client.respondToChallenge(signedIn.challenge.name, signedIn.challenge.session, {});
      if (answered.kind === 'tokens') await session.start(answered.tokens);
      const confirmed: SignInResult = await session.confirmSignIn(signedIn.challenge, '123456');
      void confirmed;
    }
    const auth: AuthSession = await session.getSession({ forceRefresh: true });
    const sub: string = auth.idClaims.sub;
    const scope: string | undefined = auth.accessClaims.scope;
    const { username, userId } = await session.getCurrentUser();
    const imported: boolean = await session.importAmazonCognitoIdentityJs(adapter);
    await session.syncFromStorage();
    await session.signOut({ global: true });
    const key: string = session.storageKey;
    void [sub, scope, username, userId, imported, key];
  }
  try {
    await new CognitoSession(options).getSession();
  } catch (e) {
    if (e instanceof UserUnAuthenticatedException || e instanceof UserAlreadyAuthenticatedException) {
      const name: 'UserUnAuthenticatedException' | 'UserAlreadyAuthenticatedException' = e.name;
      void name;
    }
  }

  const srp = new SrpSession();
  srp.passwordClaim('AbC123xyz', 'pw', { SRP_B: 'b' }, srpTimestamp(Date.now()));
  srp[Symbol.dispose]();

  const hash: string = secretHash('secret', 'alice', 'c');
  const claims: Record<string, unknown> = decodeJwt('token');
  void hash;
  void claims;
  void delivered;

  try {
    await client.forgotPassword('alice');
  } catch (e) {
    if (e instanceof CognitoServiceError) {
      const status: number = e.status;
      const name: string = e.name;
      void status;
      void name;
    } else if (e instanceof JwtExpiredError) {
      const name: 'JwtExpiredError' = e.name;
      const claimError: JwtInvalidClaimError = e;
      void name;
      void claimError;
    } else if (e instanceof JwtInvalidIssuerError || e instanceof KidNotFoundInJwksError) {
      const verification: VerificationError = e;
      void verification;
    } else if (e instanceof VerificationError || e instanceof NetworkError || e instanceof TimeoutError) {
      void e.code;
    } else if (e instanceof MalformedResponseError || e instanceof InvalidInputError || e instanceof PlatformError) {
      void e.message;
    } else if (e instanceof CognitoWasmError) {
      const name: CognitoWasmErrorName = e.name;
      void name;
    }
  }
  const mock = new CognitoServiceError('UserNotFoundException', 'not found', 400);
  void mock;
}
