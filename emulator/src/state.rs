//! The emulator's whole state, behind one mutex. An operation reads and decides under the
//! lock and commits under it, re-checking there whatever it read in an earlier hold (`ops/`):
//! concurrent requests can neither lose nor duplicate a user, nor claim a challenge twice. The
//! expensive mathematics (SRP, RSA) runs between the holds, never under the lock.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::{OnceCell, Semaphore};

use crate::access::Access;
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::tokens::Keys;

mod challenge;
mod expiring;
mod mfa;

pub use challenge::{ChallengeStep, PendingChallenge};
pub use expiring::{Expires, Expiring};
pub use mfa::{EmailMfa, Factor, MfaConfiguration, PoolMfa, SmsMfa, SoftwareToken, UserMfa};

/// What every handler shares.
pub struct App {
    state: Mutex<State>,
    /// Seconds added to the real clock by `POST /_emulator/clock`.
    clock_offset: AtomicU64,
    keys: OnceCell<Arc<Keys>>,
    /// One permit per core for the operations that compute (`ops::dispatch`): they run on
    /// tokio's blocking pool, no more at once than there are cores, so the runtime's two
    /// workers stay free to answer `/health`, the JWKS and the cheap calls at once.
    pub compute: Semaphore,
    /// A random key of this process, for what must be stable without being stored: the fake
    /// SALT of an unknown user, the MAC on a refresh token's expiry.
    secret: [u8; 32],
    pub settings: Settings,
}

pub struct Settings {
    /// Base of every `iss`: `{public_url}/{poolId}`.
    pub public_url: String,
    pub region: String,
    pub quiet: bool,
    /// The origins and hosts allowed besides loopback ones.
    pub access: Access,
}

impl App {
    pub fn new(settings: Settings) -> Result<App, String> {
        Ok(App {
            state: Mutex::new(State::default()),
            clock_offset: AtomicU64::new(0),
            keys: OnceCell::new(),
            // The cores this process may run on (`taskset` and cgroup limits included).
            compute: Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())),
            secret: ids::random_bytes().map_err(|e| e.message)?,
            settings,
        })
    }

    /// HMAC-SHA256 under the process's key, of `purpose` and then `parts`, each preceded by its
    /// length so that no two inputs run together.
    pub fn derive(&self, purpose: &str, parts: &[&[u8]]) -> [u8; 32] {
        let mut input = Vec::new();
        for part in std::iter::once(&purpose.as_bytes()).chain(parts) {
            input.extend_from_slice(&(part.len() as u64).to_be_bytes());
            input.extend_from_slice(part);
        }
        ids::hmac_sha256(&self.secret, &[&input])
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked cannot leave the state half-written in a way later requests
        // must not see (each mutation is a single insert or field write), so carry on.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Seconds since the epoch, on the emulator's clock.
    pub fn now(&self) -> f64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        real + self.clock_offset.load(Ordering::Relaxed) as f64
    }

    pub fn advance_clock(&self, seconds: u64) -> f64 {
        self.clock_offset.fetch_add(seconds, Ordering::Relaxed);
        self.now()
    }

    /// The signing keys, waiting for their generation if it is still running.
    pub async fn keys(&self) -> ApiResult<Arc<Keys>> {
        self.keys
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(Keys::generate)
                    .await
                    .map_err(|e| ApiError::internal(format!("key generation failed: {e}")))?
                    .map(Arc::new)
                    .map_err(|e| ApiError::internal(format!("key generation failed: {e}")))
            })
            .await
            .cloned()
    }

    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.settings.public_url)
    }

    /// Records a "sent" message in the outbox and, unless quiet, prints it like an email or a
    /// text message.
    pub fn send(&self, state: &mut State, message: Message) {
        if !self.settings.quiet {
            println!(
                "[{}] to {} ({} in {}): your {} code is {}",
                if message.medium == "SMS" {
                    "sms"
                } else {
                    "mail"
                },
                message.destination,
                message.username,
                message.pool_id,
                message.kind.replace('_', " "),
                message.code
            );
        }
        state.outbox.push(message);
    }
}

#[derive(Default)]
pub struct State {
    pub pools: BTreeMap<String, Pool>,
    /// Sign-in sessions by `origin_jti`: every token of one sign-in points at its session, so
    /// revoking the session revokes them all. Kept until the last token it can mint expires.
    pub sessions: Expiring<Session>,
    /// Refresh token -> its session, as long as the session is kept.
    pub refresh_tokens: Expiring<RefreshToken>,
    /// SRP sign-ins between `InitiateAuth` and `RespondToAuthChallenge`, by `SECRET_BLOCK`.
    pub srp_pending: Expiring<PendingSrp>,
    /// Sign-ins waiting for a challenge's answer (a new password, an MFA code, MFA set up),
    /// by their `Session` string (`ops/challenge.rs`).
    pub challenges: Expiring<PendingChallenge>,
    pub outbox: Vec<Message>,
    /// Every ClientMetadata a successful call carried, oldest first: what the pool's Lambda
    /// triggers would have been handed (the emulator has none).
    pub client_metadata: Vec<MetadataRecord>,
    /// Requests answered, by operation (those the emulator implements), for tests that
    /// count calls: one refresh for twenty callers (`GET /_emulator/stats`).
    pub requests: BTreeMap<String, u64>,
}

impl State {
    pub fn pool(&self, pool_id: &str) -> ApiResult<&Pool> {
        self.pools
            .get(pool_id)
            .ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    pub fn pool_mut(&mut self, pool_id: &str) -> ApiResult<&mut Pool> {
        self.pools
            .get_mut(pool_id)
            .ok_or_else(|| ApiError::pool_not_found(pool_id))
    }

    /// The pool that owns an app client, for the user calls that only name the client.
    pub fn pool_of_client(&self, client_id: &str) -> ApiResult<&Pool> {
        self.pools
            .values()
            .find(|p| p.clients.contains_key(client_id))
            .ok_or_else(|| ApiError::client_not_found(client_id))
    }

    /// Revokes every session of one user (GlobalSignOut, DeleteUser, AdminDeleteUser).
    pub fn revoke_user_sessions(&mut self, pool_id: &str, sub: &str) {
        for s in self.sessions.values_mut() {
            if s.pool_id == pool_id && s.sub == sub {
                s.revoked = true;
            }
        }
    }
}

pub use cognito_wasm::password_policy::PasswordPolicy;
use cognito_wasm::password_policy::PasswordRule;

/// Cognito's `InvalidPasswordException` for the first rule a password breaks.
pub fn check_password(policy: &PasswordPolicy, password: &str) -> ApiResult<()> {
    let why = match policy.first_unmet(password) {
        None => return Ok(()),
        Some(PasswordRule::MinimumLength(_)) => "Password not long enough",
        Some(PasswordRule::Uppercase) => "Password must have uppercase characters",
        Some(PasswordRule::Lowercase) => "Password must have lowercase characters",
        Some(PasswordRule::Number) => "Password must have numeric characters",
        Some(PasswordRule::Symbol) => "Password must have symbol characters",
    };
    Err(ApiError::new(
        "InvalidPasswordException",
        format!("Password did not conform with policy: {why}"),
    ))
}

pub struct Pool {
    pub id: String,
    pub name: String,
    pub created: f64,
    pub policy: PasswordPolicy,
    /// Attribute name (with `custom:` for custom ones) -> its schema entry.
    pub schema: BTreeMap<String, SchemaEntry>,
    pub auto_verified: Vec<String>,
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: `email` and/or
    /// `phone_number`, whose new value waits for its code while the old one stays in place.
    pub verify_before_update: Vec<String>,
    pub case_sensitive: bool,
    pub clients: BTreeMap<String, Client>,
    /// Users by [`Pool::user_key`].
    pub users: HashMap<String, User>,
    /// The CreateUserPool request as given, echoed by DescribeUserPool.
    pub request: Value,
    /// SetUserPoolMfaConfig's settings.
    pub mfa: PoolMfa,
    /// `Policies.PasswordPolicy.TemporaryPasswordValidityDays`: how long AdminCreateUser's
    /// temporary password signs in, in seconds.
    pub temporary_password_validity: f64,
}

impl Pool {
    pub fn user_key(&self, username: &str) -> String {
        if self.case_sensitive {
            username.to_owned()
        } else {
            username.to_lowercase()
        }
    }

    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.get(&self.user_key(username))
    }

    pub fn user_mut(&mut self, username: &str) -> Option<&mut User> {
        let key = self.user_key(username);
        self.users.get_mut(&key)
    }

    /// Whether the schema marks the attribute required (standard attributes it does not
    /// name are optional).
    pub fn required(&self, name: &str) -> bool {
        self.schema.get(name).is_some_and(|a| a.required)
    }

    /// Whether the attribute may change once it has a value (standard attributes the schema
    /// does not name are mutable).
    pub fn mutable(&self, name: &str) -> bool {
        self.schema.get(name).is_none_or(|a| a.mutable)
    }

    pub fn auto_verifies(&self, attribute: &str) -> bool {
        self.auto_verified.iter().any(|a| a == attribute)
    }

    pub fn verifies_before_update(&self, attribute: &str) -> bool {
        self.verify_before_update.iter().any(|a| a == attribute)
    }

    /// The part of the id after `_`: what SRP hashes as the pool name.
    pub fn srp_name(&self) -> &str {
        self.id.split_once('_').map_or(self.id.as_str(), |(_, n)| n)
    }
}

/// One attribute of a pool's schema.
#[derive(Clone, Copy)]
pub struct SchemaEntry {
    pub required: bool,
    /// `false`: the attribute can be given a value once (at sign-up or later), never changed.
    pub mutable: bool,
}

#[derive(Clone)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub secret: Option<String>,
    pub explicit_auth_flows: Vec<String>,
    /// Seconds.
    pub access_validity: u64,
    pub id_validity: u64,
    pub refresh_validity: u64,
    /// `RefreshTokenRotation`: with `Feature` ENABLED, the grace period (seconds, 0..=60)
    /// during which a rotated-out refresh token still works; `None` when DISABLED.
    pub rotation_grace: Option<u64>,
    /// `AuthSessionValidity`: how long a challenge's session lasts, in seconds (3 to 15
    /// minutes; 3 by default).
    pub auth_session_validity: u64,
    pub prevent_user_existence_errors: bool,
    pub created: f64,
    pub request: Value,
}

impl Client {
    pub fn allows(&self, flow: &str) -> bool {
        self.explicit_auth_flows.iter().any(|f| f == flow)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    /// Created by an administrator with a temporary password: the first sign-in is answered
    /// NEW_PASSWORD_REQUIRED.
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

pub struct User {
    pub username: String,
    pub sub: String,
    /// Includes `sub`; ordered for stable responses.
    pub attributes: BTreeMap<String, String>,
    /// The SRP salt and verifier `g^x`: the only trace of the password we keep.
    pub salt: Vec<u8>,
    pub verifier: Vec<u8>,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: f64,
    pub modified: f64,
    pub confirm_code: Option<Code>,
    pub reset_code: Option<Code>,
    /// Verifications of `email` / `phone_number` under way, by attribute name.
    pub verifications: BTreeMap<String, Verification>,
    pub failed_sign_ins: u32,
    pub locked_until: f64,
    /// The authenticator app associated, verified or not (a new association replaces it).
    pub software_token: Option<SoftwareToken>,
    pub mfa: UserMfa,
    /// When a temporary password (FORCE_CHANGE_PASSWORD) stops signing in.
    pub temporary_password_expires: Option<f64>,
}

/// An attribute verification under way.
#[derive(Default)]
pub struct Verification {
    /// The code last sent for the attribute (a new one voids it).
    pub code: Option<Code>,
    /// A new value waiting for its code (AttributesRequireVerificationBeforeUpdate): the
    /// attribute keeps its old value, still verified, until VerifyUserAttribute.
    pub pending: Option<String>,
}

pub struct Code {
    pub code: String,
    pub expires: f64,
    pub tries_left: u32,
}

impl Code {
    pub const TRIES: u32 = 5;
}

pub struct Session {
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    pub username: String,
    pub auth_time: u64,
    pub refresh_expires: f64,
    /// When the last access token the session can mint (by a refresh just before
    /// `refresh_expires`) expires: until then a token must still find its session.
    pub keep_until: f64,
    pub revoked: bool,
}

impl Expires for Session {
    fn expires(&self) -> f64 {
        self.keep_until
    }
}

/// A refresh token's session (`origin_jti`), kept as long as the session is.
pub struct RefreshToken {
    pub origin: String,
    pub keep_until: f64,
    /// Rotated out by GetTokensFromRefreshToken: still accepted until then (the client's
    /// grace period), refused after as reuse.
    pub rotated_until: Option<f64>,
}

impl Expires for RefreshToken {
    fn expires(&self) -> f64 {
        self.keep_until
    }
}

pub struct PendingSrp {
    pub pool_id: String,
    pub client_id: String,
    /// `None` for an unknown user: the sign-in goes through the motions and then fails, so that
    /// nobody learns whether the user exists.
    pub user: Option<Claimant>,
    /// The session key `K`, from `A`, `b` and the verifier, all fixed when the challenge is
    /// made: computed then, the answer's check is an HMAC.
    pub key: [u8; 16],
    pub expires: f64,
}

/// The user an SRP challenge was made for: the `sub` tells them from a user signed up under
/// the same name after the challenge.
pub struct Claimant {
    pub username: String,
    pub sub: String,
}

impl Expires for PendingSrp {
    fn expires(&self) -> f64 {
        self.expires
    }
}

/// A request's `ClientMetadata`: string keys to string values.
pub type ClientMetadata = BTreeMap<String, String>;

#[derive(Serialize, Clone)]
pub struct Message {
    pub pool_id: String,
    pub username: String,
    /// The full address (email or phone number).
    pub destination: String,
    /// `confirm_sign_up`, `forgot_password`, `verify_attribute`, `admin_create_user` (whose
    /// code is the temporary password) or `mfa` (a sign-in's SMS_MFA or EMAIL_OTP code).
    pub kind: &'static str,
    pub code: String,
    pub sent_at: f64,
    /// `EMAIL` or `SMS`.
    pub medium: &'static str,
    /// The attribute the destination is: `email` or `phone_number`.
    pub attribute: &'static str,
    /// The ClientMetadata of the call that sent it, as a CustomMessage trigger would see it.
    pub client_metadata: Option<ClientMetadata>,
}

/// One call's ClientMetadata, for `GET /_emulator/client-metadata`.
#[derive(Serialize, Clone)]
pub struct MetadataRecord {
    pub pool_id: String,
    pub username: String,
    pub operation: &'static str,
    pub client_metadata: ClientMetadata,
    pub received_at: f64,
}

#[cfg(test)]
mod tests {
    use super::{Expires, Expiring};

    struct Until(f64);

    impl Expires for Until {
        fn expires(&self) -> f64 {
            self.0
        }
    }

    #[test]
    fn expiring_map_is_swept_on_insert_once_doubled() {
        let mut map = Expiring::default();
        let floor = Expiring::<Until>::FLOOR;
        // Values live until t = 100; inserting up to the floor never sweeps.
        for i in 0..floor {
            map.insert(format!("old{i}"), Until(100.0), 0.0);
        }
        assert_eq!(map.len(), floor);
        // At t = 200 they are all dead: the next insert sweeps them.
        map.insert("new0".into(), Until(1000.0), 200.0);
        assert_eq!(map.len(), 1);
        assert!(map.get("old0").is_none() && map.get("new0").is_some());
        // Live values are kept, and the next sweep waits until the map has doubled.
        for i in 1..floor {
            map.insert(format!("new{i}"), Until(1000.0), 200.0);
        }
        map.insert("one more".into(), Until(1000.0), 200.0);
        assert_eq!(map.len(), floor + 1, "nothing to sweep: all live");
        for i in 0..floor - 1 {
            map.insert(format!("more{i}"), Until(300.0), 200.0);
        }
        assert_eq!(map.len(), 2 * floor, "no sweep before 2 x the live count");
        map.insert("last".into(), Until(1000.0), 400.0);
        assert_eq!(map.len(), floor + 2, "the 300s are gone");
    }
}
