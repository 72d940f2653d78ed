//! The Rust API's `SessionClient` against the emulator over HTTP: sign-in, a reload that
//! keeps the user signed in, the refresh at the right time on a device clock that is off,
//! twenty callers sharing one refresh (counted at the emulator), rotation, a tampered
//! stored session, a revoked refresh token, and the network cut during a refresh.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use cognito_wasm::api::SignInResult;
use cognito_wasm::native::NativePlatform;
use cognito_wasm::session::{
    MemoryStorage, SessionClient, SessionConfig, SessionError, SessionEvent, SessionStorage,
};
use cognito_wasm::{
    Client, ClientConfig, CognitoException, Error, HttpResponse, Platform, Verifier, VerifierConfig,
};
use futures::executor::block_on;
use futures::future::join_all;
use serde_json::{json, Value};

use crate::common::{self, App, Emulator, PASSWORD};

/// The native platform with a device clock of our own (seconds off the real one), a switch
/// that cuts the network, and a pause before every request so that concurrent callers really
/// interleave (the native platform's HTTP would otherwise finish within the first poll).
#[derive(Clone)]
struct Device {
    native: NativePlatform,
    offset: Arc<AtomicI64>,
    offline: Arc<AtomicBool>,
    /// Requests the client tried to send (sent or not).
    attempts: Arc<AtomicI64>,
}

impl Device {
    fn new() -> Device {
        Device {
            native: NativePlatform::new(Duration::from_secs(10)),
            offset: Arc::new(AtomicI64::new(0)),
            offline: Arc::new(AtomicBool::new(false)),
            attempts: Arc::new(AtomicI64::new(0)),
        }
    }

    fn skip(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

/// Pending once, then ready: the other futures of a `join_all` get polled meanwhile.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Platform for Device {
    type Key = <NativePlatform as Platform>::Key;

    async fn post_json(
        &self,
        url: &str,
        target: &str,
        body: String,
    ) -> Result<HttpResponse, Error> {
        YieldOnce(false).await;
        self.attempts.fetch_add(1, Ordering::SeqCst);
        if self.offline.load(Ordering::SeqCst) {
            return Err(Error::Network("the test cut the network".into()));
        }
        self.native.post_json(url, target, body).await
    }

    async fn get(&self, url: &str) -> Result<HttpResponse, Error> {
        if self.offline.load(Ordering::SeqCst) {
            return Err(Error::Network("the test cut the network".into()));
        }
        self.native.get(url).await
    }

    fn now(&self) -> f64 {
        self.native.now() + self.offset.load(Ordering::SeqCst) as f64
    }

    async fn import_rsa_key(&self, modulus: &[u8], exponent: &[u8]) -> Result<Self::Key, String> {
        self.native.import_rsa_key(modulus, exponent).await
    }

    async fn verify_rs256(
        &self,
        key: &Self::Key,
        message: &[u8],
        sig: &[u8],
    ) -> Result<bool, String> {
        self.native.verify_rs256(key, message, sig).await
    }
}

struct Fixture<'a> {
    app: App<'a>,
    device: Device,
    storage: Arc<MemoryStorage>,
    events: Arc<Mutex<Vec<SessionEvent>>>,
}

impl<'a> Fixture<'a> {
    fn new(app: App<'a>) -> Fixture<'a> {
        Fixture {
            app,
            device: Device::new(),
            storage: Arc::new(MemoryStorage::default()),
            events: Arc::default(),
        }
    }

    /// A session client of the app on the device, over the fixture's storage: a second one
    /// is the page reloaded.
    fn session(&self) -> SessionClient<Device> {
        let config = ClientConfig {
            user_pool_id: self.app.pool_id.clone(),
            client_id: self.app.client_id.clone(),
            client_secret: self.app.secret.clone(),
            endpoint: Some(format!("{}/", self.app.emu.base)),
        };
        let client = Client::new(config, self.device.clone()).expect("a client");
        let mut verifier = VerifierConfig::new(&self.app.pool_id, [&self.app.client_id], None);
        verifier.issuer = Some(self.app.issuer());
        let verifier = Verifier::new(verifier, self.device.clone()).expect("a verifier");
        let storage = Box::new(self.storage.clone());
        let s = SessionClient::new(client, verifier, storage, SessionConfig::default())
            .expect("a session client");
        let events = self.events.clone();
        s.subscribe(move |e| events.lock().unwrap().push(e));
        s
    }

    fn events(&self) -> Vec<SessionEvent> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }

    fn stored(&self) -> Option<Value> {
        let key = format!("cognito-wasm.{}.{}", self.app.pool_id, self.app.client_id);
        self.storage
            .get(&key)
            .map(|t| serde_json::from_str(&t).unwrap())
    }

    /// Moves the emulator's clock and the device's together.
    fn skip(&self, seconds: u64) {
        self.app.emu.advance_clock(seconds);
        self.device.skip(seconds as i64);
    }

    fn signed_in(&self, s: &SessionClient<Device>, user: &str) {
        self.app.confirmed_user(user, PASSWORD);
        srp(s, user);
        assert_eq!(self.events(), [SessionEvent::SignedIn]);
    }
}

/// An SRP sign-in of a confirmed user that ends in a session.
fn srp(s: &SessionClient<Device>, user: &str) {
    match block_on(s.sign_in_srp(user, PASSWORD)).expect("a sign-in") {
        SignInResult::Tokens(_) => {}
        SignInResult::Challenge(c) => panic!("unexpected challenge {}", c.name),
    }
}

fn refreshes(emu: &Emulator) -> u64 {
    emu.get_json("/_emulator/stats")["requests"]["GetTokensFromRefreshToken"]
        .as_u64()
        .unwrap_or(0)
}

fn cognito(result: Result<impl std::fmt::Debug, SessionError>) -> CognitoException {
    match result {
        Err(SessionError::Client(Error::Cognito { exception, .. })) => exception,
        other => panic!("expected Cognito's refusal, got {other:?}"),
    }
}

#[test]
fn a_session_survives_a_reload_refreshes_on_time_and_signs_out() {
    let emu = Emulator::start(&[]);
    for app in [emu.public_app(), emu.secret_app()] {
        let f = Fixture::new(app);
        let user = common::unique("sess");
        let s = f.session();
        f.signed_in(&s, &user);
        let first = block_on(s.get_session(false)).expect("the session");
        assert_eq!(first.id.username.as_deref(), Some(user.as_str()));
        assert_eq!(first.access.token_use, "access");
        let stored = f.stored().expect("stored");
        assert_eq!(stored["idToken"], json!(first.tokens.id_token));

        // The page reloaded: the stored session is verified and taken, no sign-in.
        let reloaded = f.session();
        assert_eq!(
            block_on(reloaded.current_user())
                .unwrap()
                .map(|u| u.username),
            Some(user.clone())
        );
        let again = block_on(reloaded.get_session(false)).unwrap();
        assert_eq!(again.tokens.id_token, first.tokens.id_token);
        assert_eq!(f.events(), [], "a reload is not an event");

        // 55 minutes on: within the margin, so refreshed (once), and stored.
        let before = refreshes(&emu);
        f.skip(55 * 60 + 1);
        let fresh = block_on(reloaded.get_session(false)).unwrap();
        assert_ne!(fresh.tokens.id_token, first.tokens.id_token);
        assert_eq!(refreshes(&emu), before + 1);
        assert_eq!(f.events(), [SessionEvent::TokenRefresh]);
        assert_eq!(f.stored().unwrap()["idToken"], json!(fresh.tokens.id_token));
        block_on(reloaded.get_session(false)).unwrap();
        assert_eq!(refreshes(&emu), before + 1, "fresh tokens need no refresh");

        // Signed out: storage cleared, the refresh token revoked.
        block_on(reloaded.sign_out(false)).expect("sign-out");
        assert_eq!(f.events(), [SessionEvent::SignedOut]);
        assert!(f.stored().is_none());
        assert!(matches!(
            block_on(reloaded.get_session(false)),
            Err(SessionError::SignedOut)
        ));
        let refresh_token = fresh.tokens.refresh_token;
        let revoked = block_on(
            reloaded
                .client()
                .get_tokens_from_refresh_token(&refresh_token),
        );
        assert!(matches!(revoked, Err(Error::Cognito { .. })), "{revoked:?}");
    }
}

#[test]
fn twenty_callers_at_expiry_share_one_refresh() {
    let emu = Emulator::start(&[]);
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("twenty"));
    // Expired: nobody may use the tokens, so all wait for the one refresh.
    f.skip(3600 + 60);
    let before = refreshes(&emu);
    let sessions = block_on(join_all((0..20).map(|_| s.get_session(false))));
    let ids: Vec<String> = sessions
        .into_iter()
        .map(|r| r.expect("a session").tokens.id_token)
        .collect();
    assert_eq!(
        refreshes(&emu),
        before + 1,
        "one refresh for twenty callers"
    );
    assert!(ids.iter().all(|id| *id == ids[0]));
    // Twenty forced calls share one refresh too.
    let sessions = block_on(join_all((0..20).map(|_| s.get_session(true))));
    assert!(sessions.iter().all(Result::is_ok));
    assert_eq!(
        refreshes(&emu),
        before + 2,
        "one forced refresh for twenty callers"
    );
}

#[test]
fn a_device_clock_an_hour_off_still_refreshes_on_time() {
    for off in [3600, -3600] {
        let emu = Emulator::start(&[]);
        let f = Fixture::new(emu.public_app());
        f.device.skip(off);
        let s = f.session();
        f.signed_in(&s, &common::unique("drift"));
        // Fresh tokens look expired (or issued in the future) to the device: still ready.
        let before = refreshes(&emu);
        block_on(s.get_session(false)).expect("fresh tokens on a clock an hour off");
        f.skip(50 * 60);
        block_on(s.get_session(false)).unwrap();
        assert_eq!(refreshes(&emu), before, "not yet");
        f.skip(6 * 60);
        block_on(s.get_session(false)).unwrap();
        assert_eq!(refreshes(&emu), before + 1, "refreshed within the margin");
    }
}

#[test]
fn rotation_replaces_the_stored_refresh_token() {
    let emu = Emulator::start(&[]);
    let app = emu.app(json!({
        "GenerateSecret": true,
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
        "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 0 },
    }));
    let f = Fixture::new(app);
    let s = f.session();
    f.signed_in(&s, &common::unique("rotate"));
    let first = f.stored().unwrap()["refreshToken"].clone();
    let session = block_on(s.get_session(true)).unwrap();
    let second = f.stored().unwrap()["refreshToken"].clone();
    assert_ne!(first, second);
    assert_eq!(json!(session.tokens.refresh_token), second);
    let old = first.as_str().unwrap();
    let reused = block_on(s.client().get_tokens_from_refresh_token(old));
    assert!(matches!(
        reused,
        Err(Error::Cognito {
            exception: CognitoException::RefreshTokenReuse,
            ..
        })
    ));
    block_on(s.get_session(true)).expect("the rotated-in token refreshes");
}

#[test]
fn a_tampered_stored_session_is_discarded() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("tamper"));
    let key = format!("cognito-wasm.{}.{}", f.app.pool_id, f.app.client_id);
    let mut record = f.stored().unwrap();
    // Another user's claims under the same signature.
    let id = record["idToken"].as_str().unwrap().to_owned();
    let parts: Vec<&str> = id.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], parts[1].replace('A', "B"), parts[2]);
    record["idToken"] = json!(forged);
    f.storage.set(&key, &record.to_string());
    let reloaded = f.session();
    assert_eq!(block_on(reloaded.current_user()).unwrap(), None);
    assert!(
        f.storage.get(&key).is_none(),
        "the tampered record is removed"
    );
    // So is one that is not a record at all.
    f.storage.set(&key, "{\"v\":1");
    assert_eq!(block_on(f.session().current_user()).unwrap(), None);
    assert!(f.storage.get(&key).is_none());
}

#[test]
fn a_revoked_refresh_token_signs_the_session_out() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("revoked"));
    let refresh_token = f.stored().unwrap()["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    block_on(s.client().revoke_token(&refresh_token)).unwrap();
    assert_eq!(
        cognito(block_on(s.get_session(true))),
        CognitoException::NotAuthorized
    );
    assert_eq!(
        f.events(),
        [
            SessionEvent::TokenRefreshFailure,
            SessionEvent::SessionExpired,
            SessionEvent::SignedOut
        ]
    );
    assert!(f.stored().is_none());
    assert!(matches!(
        block_on(s.get_session(false)),
        Err(SessionError::SignedOut)
    ));
}

#[test]
fn the_network_cut_during_a_refresh_keeps_the_session() {
    let emu = Emulator::start(&[]);
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("offline"));
    // Within the margin: the refresh fails, the still-valid tokens are handed out.
    f.skip(3600 - 60);
    f.device.offline.store(true, Ordering::SeqCst);
    block_on(s.get_session(false)).expect("valid tokens while offline");
    assert_eq!(f.events(), [SessionEvent::TokenRefreshFailure]);
    // Expired and still offline: the network's error, the session kept.
    f.skip(120);
    let e = block_on(s.get_session(false)).unwrap_err();
    assert!(
        matches!(
            &e,
            SessionError::Client(Error::Network(_)) | SessionError::Unavailable { .. }
        ),
        "{e:?}"
    );
    assert!(block_on(s.current_user()).unwrap().is_some());
    assert!(f.stored().is_some());
    // Back online, after the back-off: refreshed.
    f.device.offline.store(false, Ordering::SeqCst);
    f.device.skip(60);
    block_on(s.get_session(false)).expect("refreshed once back online");
    assert!(f.events().contains(&SessionEvent::TokenRefresh));
}

#[test]
fn a_reload_after_the_access_token_expired_refreshes_the_stored_session() {
    let emu = Emulator::start(&[]);
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("expired-reload"));
    drop(s);
    // The page was closed for two hours: the stored tokens have expired, the refresh token
    // has not.
    f.skip(2 * 3600);
    let reloaded = f.session();
    let me = block_on(reloaded.current_user())
        .unwrap()
        .expect("verified without the clock");
    assert!(!me.user_id.is_empty());
    let before = refreshes(&emu);
    block_on(reloaded.get_session(false)).expect("refreshed");
    assert_eq!(refreshes(&emu), before + 1);
}

#[test]
fn signing_in_twice_or_starting_over_a_session_is_refused() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    let user = common::unique("twice");
    f.signed_in(&s, &user);
    assert!(matches!(
        block_on(s.sign_in_srp(&user, PASSWORD)),
        Err(SessionError::AlreadySignedIn)
    ));
    let tokens = f.app.tokens(&user, PASSWORD);
    let tokens = cognito_wasm::Tokens {
        id_token: tokens["IdToken"].as_str().unwrap().into(),
        access_token: tokens["AccessToken"].as_str().unwrap().into(),
        refresh_token: tokens["RefreshToken"].as_str().map(Into::into),
        expires_in: 3600,
        token_type: "Bearer".into(),
    };
    assert!(matches!(
        block_on(s.start(tokens)),
        Err(SessionError::AlreadySignedIn)
    ));
}

#[test]
fn global_sign_out_ends_every_session_and_sign_out_offline_still_clears() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let user = common::unique("global");
    let s = f.session();
    f.signed_in(&s, &user);
    // Another device's session of the same user.
    let other = f.app.tokens(&user, PASSWORD);
    block_on(s.sign_out(true)).expect("global sign-out");
    assert!(f.stored().is_none());
    let e = f
        .app
        .get_user(other["AccessToken"].as_str().unwrap())
        .unwrap_err();
    assert_eq!(
        e.kind, "NotAuthorizedException",
        "the other device is signed out too"
    );

    let s = f.session();
    srp(&s, &user);
    let refresh_token = f.stored().unwrap()["refreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    f.device.offline.store(true, Ordering::SeqCst);
    let e = block_on(s.sign_out(false)).unwrap_err();
    assert!(
        matches!(e, SessionError::Client(Error::Network(_))),
        "{e:?}"
    );
    assert!(f.stored().is_none(), "cleared offline");
    assert!(matches!(
        block_on(s.get_session(false)),
        Err(SessionError::SignedOut)
    ));
    // The refresh token could not be revoked: it still works (said in the docs).
    f.device.offline.store(false, Ordering::SeqCst);
    block_on(s.client().get_tokens_from_refresh_token(&refresh_token)).expect("not revoked");
}

#[test]
fn a_refresh_dropped_midway_is_abandoned_and_the_next_call_refreshes() {
    let emu = Emulator::start(&[]);
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("dropped"));
    f.skip(3600 + 60);
    // Polled once: the refresh is under way (the device yields before sending), then dropped.
    {
        let mut call = Box::pin(s.get_session(false));
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        assert!(call.as_mut().poll(&mut cx).is_pending());
    }
    let before = refreshes(&emu);
    block_on(s.get_session(false)).expect("a new refresh, not a wait for the dropped one");
    assert_eq!(refreshes(&emu), before + 1);
}

#[test]
fn a_back_off_sends_nothing_until_it_is_over() {
    let emu = Emulator::start(&[]);
    let f = Fixture::new(emu.public_app());
    let s = f.session();
    f.signed_in(&s, &common::unique("backoff"));
    f.skip(3600 + 60);
    f.device.offline.store(true, Ordering::SeqCst);
    let attempts = || f.device.attempts.load(Ordering::SeqCst);
    let start = attempts();
    let e = block_on(s.get_session(false)).unwrap_err();
    assert!(
        matches!(e, SessionError::Client(Error::Network(_))),
        "{e:?}"
    );
    assert_eq!(attempts(), start + 1);
    for _ in 0..5 {
        let e = block_on(s.get_session(false)).unwrap_err();
        assert!(matches!(e, SessionError::Unavailable { .. }), "{e:?}");
    }
    assert_eq!(attempts(), start + 1, "nothing sent during the back-off");
    f.device.skip(1);
    block_on(s.get_session(false)).unwrap_err();
    assert_eq!(attempts(), start + 2, "tried again once it was over");
}

#[test]
fn an_amazon_cognito_identity_js_session_is_taken_over() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let user = common::unique("acij");
    f.app.confirmed_user(&user, PASSWORD);
    let tokens = f.app.tokens(&user, PASSWORD);
    // What amazon-cognito-identity-js (and Amplify v6) leave in localStorage.
    let theirs = MemoryStorage::default();
    let keys = cognito_wasm::session::acij_keys(&f.app.client_id, &user);
    theirs.set(&keys[0], &user);
    for (key, name) in keys[1..]
        .iter()
        .zip(["IdToken", "AccessToken", "RefreshToken"])
    {
        theirs.set(key, tokens[name].as_str().unwrap());
    }
    theirs.set(
        &format!(
            "CognitoIdentityServiceProvider.{}.{user}.clockDrift",
            f.app.client_id
        ),
        "0",
    );
    let s = f.session();
    assert!(block_on(s.import_amazon_cognito_identity_js(&theirs)).unwrap());
    assert_eq!(f.events(), [SessionEvent::SignedIn]);
    let session = block_on(s.get_session(false)).unwrap();
    assert_eq!(json!(session.tokens.id_token), tokens["IdToken"]);
    assert!(f.stored().is_some(), "stored as ours");
    // Once signed in, nothing more is imported; a forged one is not taken.
    assert!(!block_on(s.import_amazon_cognito_identity_js(&theirs)).unwrap());
    let forged = MemoryStorage::default();
    forged.set(&keys[0], &user);
    let id = tokens["IdToken"].as_str().unwrap();
    let (head, _) = id.rsplit_once('.').unwrap();
    forged.set(&keys[1], &format!("{head}.AAAA"));
    forged.set(&keys[2], tokens["AccessToken"].as_str().unwrap());
    forged.set(&keys[3], tokens["RefreshToken"].as_str().unwrap());
    let fresh = Fixture::new(f.app.clone());
    let e = block_on(fresh.session().import_amazon_cognito_identity_js(&forged)).unwrap_err();
    assert!(matches!(e, SessionError::Verify(_)), "{e:?}");
    assert!(fresh.stored().is_none());
}

#[test]
fn two_tabs_over_one_storage_follow_each_other() {
    let emu = common::shared();
    let f = Fixture::new(emu.public_app());
    let (a, b) = (f.session(), f.session());
    let user = common::unique("tabs");
    f.app.confirmed_user(&user, PASSWORD);
    assert_eq!(block_on(b.current_user()).unwrap(), None);
    srp(&a, &user);
    f.events();
    // Tab B hears of the sign-in (the page's `storage` event) and takes the session.
    block_on(b.sync_from_storage()).unwrap();
    assert_eq!(f.events(), [SessionEvent::SignedIn]);
    let in_b = block_on(b.get_session(false)).unwrap();
    assert_eq!(in_b.id.sub, block_on(a.get_session(false)).unwrap().id.sub);
    // Nothing changed: nothing happens.
    block_on(b.sync_from_storage()).unwrap();
    assert_eq!(f.events(), []);
    // Tab A refreshes: B takes the new tokens without a refresh of its own.
    let before = refreshes(emu);
    let fresh = block_on(a.get_session(true)).unwrap();
    f.events();
    block_on(b.sync_from_storage()).unwrap();
    assert_eq!(f.events(), [SessionEvent::TokenRefresh]);
    let in_b = block_on(b.get_session(false)).unwrap();
    assert_eq!(in_b.tokens.id_token, fresh.tokens.id_token);
    assert_eq!(refreshes(emu), before + 1);
    // Tab A signs out: so does B.
    block_on(a.sign_out(false)).unwrap();
    f.events();
    block_on(b.sync_from_storage()).unwrap();
    assert_eq!(f.events(), [SessionEvent::SignedOut]);
    assert!(matches!(
        block_on(b.get_session(false)),
        Err(SessionError::SignedOut)
    ));
}
