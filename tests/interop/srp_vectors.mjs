// srp_vectors.mjs: SRP test vectors computed by amazon-cognito-identity-js (ACIJ) itself.
//
// Why: our Rust SRP must agree bit for bit with the client every Cognito app uses. This
// script runs ACIJ's own AuthenticationHelper, DateHelper and padHex on inputs the Rust
// test chooses (with the private value `a` forced), so the Rust side can compare every
// intermediate value, not only the final signature.
//
// Setup (once):  cd tests/interop && npm ci
// Invocation (stdin: a JSON array, stdout: a JSON array of the same length, in order):
//
//   node tests/interop/srp_vectors.mjs < cases.json
//     in:  [{"a_hex","b_hex","salt_hex","pool_name","user_id","password",
//            "secret_block_b64","timestamp"}]
//          pool_name is the part of the pool id after "_" (what ACIJ's getUserPoolName gives).
//     out: [{"k_hex","A_hex","u_hex","x_hex","S_hex","K_hex","signature_b64"}]
//          k, A, u, x, S: ACIJ's BigInteger.toString(16) (lowercase, minimal, NOT padHex'd);
//          K: the 16-byte HKDF output as lowercase hex; signature: base64, as ACIJ sends
//          PASSWORD_CLAIM_SIGNATURE. A case ACIJ rejects (B % N == 0, u == 0) gives
//          {"error": "<ACIJ's message>"} instead.
//          Note: ACIJ sends SRP_A as A.toString(16) (= A_hex), not padHex(A).
//
//   node tests/interop/srp_vectors.mjs timestamps < ms.json
//     in:  [epoch milliseconds]   out: [ACIJ's DateHelper().getNowString() at that instant]
//
//   node tests/interop/srp_vectors.mjs padhex < hex.json
//     in:  [hex strings]          out: [ACIJ's padHex(new BigInteger(h, 16))]
//
// Only ACIJ's code computes: x and S are captured from the arguments and result of its
// calculateS (called by getPasswordAuthenticationKey), not recomputed here, and the
// signature uses the same @aws-crypto/sha256-js HMAC and Buffer handling as
// CognitoUser.authenticateUserDefaultAuth (ACIJ 6.3.21, src/CognitoUser.js).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// Resolve everything through ACIJ's own package so we use exactly its copies.
const require = createRequire(import.meta.url);
const acijRequire = createRequire(require.resolve('amazon-cognito-identity-js/package.json'));
const AuthenticationHelper = acijRequire('./lib/AuthenticationHelper.js').default;
const BigInteger = acijRequire('./lib/BigInteger.js').default;
const DateHelper = acijRequire('./lib/DateHelper.js').default;
const { Sha256 } = acijRequire('@aws-crypto/sha256-js');
const { Buffer } = acijRequire('buffer'); // what ACIJ's `import { Buffer } from 'buffer'` gets

function srpCase(c) {
  const helper = new AuthenticationHelper(c.pool_name);
  // Force the private value a, then let ACIJ compute A = g^a mod N.
  helper.smallAValue = new BigInteger(c.a_hex, 16);
  helper.largeAValue = undefined;
  let A;
  helper.getLargeAValue((err, value) => {
    if (err) throw err;
    A = value;
  });

  // Capture x (argument) and S (result) of ACIJ's calculateS.
  let x;
  let S;
  const calculateS = helper.calculateS.bind(helper);
  helper.calculateS = (xValue, serverBValue, callback) => {
    x = xValue;
    calculateS(xValue, serverBValue, (err, sValue) => {
      S = sValue;
      callback(err, sValue);
    });
  };

  // Exactly as authenticateUserDefaultAuth: B and salt parsed with new BigInteger(hex, 16).
  const B = new BigInteger(c.b_hex, 16);
  const salt = new BigInteger(c.salt_hex, 16);
  let hkdf;
  helper.getPasswordAuthenticationKey(c.user_id, c.password, B, salt, (err, key) => {
    if (err) throw err;
    hkdf = key;
  });

  const concatBuffer = Buffer.concat([
    Buffer.from(c.pool_name, 'utf8'),
    Buffer.from(c.user_id, 'utf8'),
    Buffer.from(c.secret_block_b64, 'base64'),
    Buffer.from(c.timestamp, 'utf8'),
  ]);
  const awsCryptoHash = new Sha256(hkdf);
  awsCryptoHash.update(concatBuffer);
  const signature = Buffer.from(awsCryptoHash.digestSync()).toString('base64');

  return {
    k_hex: helper.k.toString(16),
    A_hex: A.toString(16),
    u_hex: helper.UValue.toString(16),
    x_hex: x.toString(16),
    S_hex: S.toString(16),
    K_hex: Buffer.from(hkdf).toString('hex'),
    signature_b64: signature,
  };
}

function nowStringAt(ms) {
  // DateHelper calls `new Date()`; make that instant `ms` for the duration of the call.
  const RealDate = globalThis.Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
  };
  try {
    return new DateHelper().getNowString();
  } finally {
    globalThis.Date = RealDate;
  }
}

function padHex(h) {
  // padHex is an instance method that only uses its argument; any helper will do.
  return padHexHelper.padHex(new BigInteger(h, 16));
}
let padHexHelper;

const mode = process.argv[2] ?? 'srp';
const input = JSON.parse(readFileSync(0, 'utf8'));
if (!Array.isArray(input)) throw new Error('stdin must be a JSON array');

let out;
if (mode === 'srp') {
  out = input.map(c => {
    try {
      return srpCase(c);
    } catch (e) {
      return { error: String(e && e.message ? e.message : e) };
    }
  });
} else if (mode === 'timestamps') {
  out = input.map(nowStringAt);
} else if (mode === 'padhex') {
  padHexHelper = new AuthenticationHelper('x');
  out = input.map(padHex);
} else {
  throw new Error(`unknown mode ${mode}: use no argument, "timestamps" or "padhex"`);
}
process.stdout.write(JSON.stringify(out) + '\n');
