//! Every transition of the session's state machine, and the stored record.

use super::*;
use crate::verify::MAX_TOKEN_BYTES;

const IAT: f64 = 1_800_000_000.0;
/// Cognito's default: tokens valid for an hour.
const HOUR: f64 = 3600.0;

fn tokens(n: u32, refresh: Option<&str>, iat: f64) -> VerifiedTokens {
    VerifiedTokens {
        id_token: format!("id-{n}"),
        access_token: format!("access-{n}"),
        refresh_token: refresh.map(str::to_owned),
        username: "alice".into(),
        expires_at: iat + HOUR,
        issued_at: iat,
    }
}

/// Signed in at `IAT` (device clock = tokens' clock), events drained.
fn signed_in() -> Session {
    let mut s = Session::new(SessionConfig::default());
    s.sign_in(tokens(1, Some("refresh-1"), IAT), IAT).unwrap();
    assert_eq!(s.events(), [SessionEvent::SignedIn]);
    s
}

fn refresh_request(token: &str) -> Next {
    Next::Refresh(RefreshRequest {
        refresh_token: token.into(),
        username: "alice".into(),
    })
}

#[test]
fn a_new_session_is_signed_out_and_nothing_moves_it_but_a_sign_in() {
    let mut s = Session::new(SessionConfig::default());
    assert_eq!(s.next(IAT, false), Ok(Next::SignedOut));
    assert_eq!(s.next(IAT, true), Ok(Next::SignedOut));
    assert_eq!(s.sign_out(), None);
    assert_eq!(s.refreshed(Ok(tokens(2, None, IAT)), IAT), Ok(false));
    s.adopt(None);
    assert!(s.current().is_none());
    assert_eq!(s.events(), []);
}

#[test]
fn a_sign_in_without_a_refresh_token_or_with_a_broken_clock_is_refused() {
    let mut s = Session::new(SessionConfig::default());
    assert_eq!(
        s.sign_in(tokens(1, None, IAT), IAT),
        Err(SessionError::NoRefreshToken)
    );
    for clock in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let signed = s.sign_in(tokens(1, Some("r"), IAT), clock);
        assert_eq!(signed, Err(SessionError::Clock));
    }
    assert!(s.current().is_none());
    assert_eq!(s.events(), []);
}

#[test]
fn fresh_tokens_are_ready_until_the_margin() {
    let mut s = signed_in();
    let t = s.current().unwrap();
    assert_eq!(
        (t.refresh_token.as_str(), t.username.as_str()),
        ("refresh-1", "alice")
    );
    assert_eq!((t.expires_at, t.clock_drift), (IAT + HOUR, 0.0));
    assert_eq!(s.next(IAT, false), Ok(Next::Ready));
    // The default margin is two minutes.
    assert_eq!(s.next(IAT + HOUR - 120.5, false), Ok(Next::Ready));
    assert_eq!(
        s.next(IAT + HOUR - 119.5, false),
        Ok(refresh_request("refresh-1"))
    );
}

#[test]
fn the_margin_is_the_configured_one() {
    let mut s = Session::new(SessionConfig {
        refresh_margin: 600.0,
    });
    s.sign_in(tokens(1, Some("r"), IAT), IAT).unwrap();
    assert_eq!(s.next(IAT + HOUR - 601.0, false), Ok(Next::Ready));
    assert_eq!(s.next(IAT + HOUR - 599.0, false), Ok(refresh_request("r")));
}

#[test]
fn a_forced_refresh_refreshes_fresh_tokens() {
    let mut s = signed_in();
    assert_eq!(s.next(IAT, true), Ok(refresh_request("refresh-1")));
}

#[test]
fn one_refresh_at_a_time_the_others_wait() {
    let mut s = signed_in();
    let late = IAT + HOUR - 60.0;
    assert_eq!(s.next(late, false), Ok(refresh_request("refresh-1")));
    for force in [false, true] {
        assert_eq!(s.next(late, force), Ok(Next::Wait));
    }
    assert!(s.refreshed(Ok(tokens(2, None, late)), late).unwrap());
    assert_eq!(s.next(late, false), Ok(Next::Ready));
}

#[test]
fn a_refresh_replaces_the_tokens_and_keeps_the_refresh_token_unless_rotated() {
    let mut s = signed_in();
    let at = IAT + HOUR - 60.0;
    s.next(at, false).unwrap();
    assert_eq!(s.refreshed(Ok(tokens(2, None, at)), at), Ok(true));
    assert_eq!(s.events(), [SessionEvent::TokenRefresh]);
    let t = s.current().unwrap();
    assert_eq!(
        (t.id_token.as_str(), t.access_token.as_str()),
        ("id-2", "access-2")
    );
    assert_eq!(
        (t.refresh_token.as_str(), t.expires_at),
        ("refresh-1", at + HOUR)
    );

    // Rotation: the answer's refresh token replaces the old one.
    let at = at + HOUR - 60.0;
    assert_eq!(s.next(at, false), Ok(refresh_request("refresh-1")));
    s.refreshed(Ok(tokens(3, Some("refresh-3"), at)), at)
        .unwrap();
    assert_eq!(s.current().unwrap().refresh_token, "refresh-3");
    assert_eq!(
        s.next(at + HOUR - 60.0, false),
        Ok(refresh_request("refresh-3"))
    );
}

#[test]
fn a_network_failure_keeps_the_session_and_backs_off() {
    let mut s = signed_in();
    let mut at = IAT + HOUR - 60.0;
    s.next(at, false).unwrap();
    assert_eq!(s.refreshed(Err(RefreshFailure::Network), at), Ok(true));
    assert_eq!(s.events(), [SessionEvent::TokenRefreshFailure]);
    assert!(s.current().is_some());
    // Still valid: the tokens are used while the back-off runs, then tried again.
    assert_eq!(s.next(at + 0.5, false), Ok(Next::Ready));
    assert_eq!(s.next(at + 1.0, false), Ok(refresh_request("refresh-1")));
    // The waits double: 1, 2, 4, ... and stop at 60 s.
    let mut waits = Vec::new();
    for _ in 0..8 {
        at += 1.0;
        s.refreshed(Err(RefreshFailure::Network), at).unwrap();
        let mut wait = 0.0;
        while s.next(at + wait, false) != Ok(refresh_request("refresh-1")) {
            wait += 0.25;
        }
        waits.push(wait);
    }
    assert_eq!(waits, [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]);
    // A forced call does not wait for the back-off.
    s.refreshed(Err(RefreshFailure::Network), at).unwrap();
    assert_eq!(s.next(at, true), Ok(refresh_request("refresh-1")));
    // A success ends the back-off.
    s.refreshed(Ok(tokens(2, None, at)), at).unwrap();
    s.events();
    let late = at + HOUR - 60.0;
    s.next(late, false).unwrap();
    s.refreshed(Err(RefreshFailure::Network), late).unwrap();
    assert_eq!(s.next(late + 1.0, false), Ok(refresh_request("refresh-1")));
}

#[test]
fn expired_tokens_during_a_back_off_are_unavailable_not_signed_out() {
    let mut s = signed_in();
    let at = IAT + HOUR + 10.0;
    assert_eq!(s.next(at, false), Ok(refresh_request("refresh-1")));
    s.refreshed(Err(RefreshFailure::Network), at).unwrap();
    assert_eq!(
        s.next(at + 0.5, false),
        Ok(Next::Unavailable { retry_at: at + 1.0 })
    );
    assert!(s.current().is_some());
}

#[test]
fn a_refused_refresh_token_ends_the_session() {
    let mut s = signed_in();
    s.next(IAT, true).unwrap();
    assert_eq!(s.refreshed(Err(RefreshFailure::Refused), IAT), Ok(true));
    assert_eq!(
        s.events(),
        [
            SessionEvent::TokenRefreshFailure,
            SessionEvent::SessionExpired,
            SessionEvent::SignedOut
        ]
    );
    assert!(s.current().is_none());
    assert_eq!(s.next(IAT, false), Ok(Next::SignedOut));
}

#[test]
fn an_outcome_nobody_asked_for_changes_nothing() {
    let mut s = signed_in();
    // No refresh under way.
    assert_eq!(s.refreshed(Err(RefreshFailure::Refused), IAT), Ok(false));
    assert_eq!(s.current().unwrap().id_token, "id-1");
    // Signed out while the refresh ran.
    s.next(IAT, true).unwrap();
    assert_eq!(s.sign_out().as_deref(), Some("refresh-1"));
    assert_eq!(s.refreshed(Ok(tokens(2, None, IAT)), IAT), Ok(false));
    assert!(s.current().is_none());
    assert_eq!(s.events(), [SessionEvent::SignedOut]);
}

#[test]
fn signing_out_gives_the_refresh_token_to_revoke_once() {
    let mut s = signed_in();
    assert_eq!(s.sign_out().as_deref(), Some("refresh-1"));
    assert_eq!(s.events(), [SessionEvent::SignedOut]);
    assert_eq!(s.sign_out(), None);
    assert_eq!(s.events(), []);
}

#[test]
fn the_device_clock_drift_is_kept_and_used() {
    // A device clock an hour ahead would see the tokens expired at once, one an hour behind
    // would refresh an hour late: the drift measured at sign-in corrects both.
    for drift in [HOUR, -HOUR, 37.0] {
        let mut s = Session::new(SessionConfig::default());
        s.sign_in(tokens(1, Some("r"), IAT), IAT + drift).unwrap();
        assert_eq!(s.current().unwrap().clock_drift, drift);
        assert_eq!(s.next(IAT + drift + 1.0, false), Ok(Next::Ready));
        assert_eq!(s.next(IAT + drift + HOUR - 121.0, false), Ok(Next::Ready));
        let due = s.next(IAT + drift + HOUR - 119.0, false);
        assert_eq!(due, Ok(refresh_request("r")));
        // The refresh measures it again.
        let now = IAT + HOUR + 2.0 * drift;
        s.refreshed(Ok(tokens(2, None, IAT + HOUR)), now).unwrap();
        assert_eq!(s.current().unwrap().clock_drift, 2.0 * drift);
    }
}

#[test]
fn a_broken_clock_is_an_error_and_changes_nothing() {
    let mut s = signed_in();
    assert_eq!(s.next(f64::NAN, false), Err(SessionError::Clock));
    assert_eq!(s.next(IAT, true), Ok(refresh_request("refresh-1")));
    let refreshed = s.refreshed(Err(RefreshFailure::Refused), f64::INFINITY);
    assert_eq!(refreshed, Err(SessionError::Clock));
    assert_eq!(s.next(IAT, false), Ok(Next::Wait));
}

#[test]
fn adopting_what_another_tab_stored() {
    let mut s = signed_in();
    let mine = s.current().unwrap().clone();
    // The same tokens: nothing happens.
    s.adopt(Some(mine.clone()));
    assert_eq!(s.events(), []);
    // Another tab refreshed: its tokens are taken.
    let theirs = SessionTokens {
        id_token: "id-9".into(),
        refresh_token: "refresh-9".into(),
        ..mine.clone()
    };
    s.adopt(Some(theirs.clone()));
    assert_eq!(s.events(), [SessionEvent::TokenRefresh]);
    assert_eq!(s.current(), Some(&theirs));
    // Another tab signed out.
    s.adopt(None);
    assert_eq!(s.events(), [SessionEvent::SignedOut]);
    assert!(s.current().is_none());
    // Another tab signed in.
    s.adopt(Some(mine.clone()));
    assert_eq!(s.events(), [SessionEvent::SignedIn]);
    assert_eq!(s.current(), Some(&mine));
}

#[test]
fn adopting_during_a_refresh_leaves_the_refresh_to_report() {
    let mut s = signed_in();
    s.next(IAT, true).unwrap();
    let mut theirs = s.current().unwrap().clone();
    theirs.id_token = "id-9".into();
    s.adopt(Some(theirs));
    assert_eq!(s.next(IAT, false), Ok(Next::Wait));
    assert!(s.refreshed(Ok(tokens(2, None, IAT)), IAT).unwrap());
    assert_eq!(s.current().unwrap().id_token, "id-2");
}

#[test]
fn nothing_prints_a_token() {
    let mut s = signed_in();
    let printed = [
        format!("{s:?}"),
        format!("{:?}", tokens(1, Some("refresh-1"), IAT)),
        format!("{:?}", s.next(IAT, true).unwrap()),
        format!(
            "{:?}",
            StoredSession::parse(&StoredSession::record(s.current().unwrap()))
        ),
    ];
    for p in printed {
        for secret in ["id-1", "access-1", "refresh-1"] {
            assert!(!p.contains(secret), "{p}");
        }
    }
}

#[test]
fn a_record_reads_back_what_was_stored() {
    let mut s = Session::new(SessionConfig::default());
    s.sign_in(tokens(1, Some("refresh-\"1\""), IAT), IAT - 1.2346)
        .unwrap();
    let t = s.current().unwrap().clone();
    let stored = StoredSession::parse(&StoredSession::record(&t)).unwrap();
    assert_eq!(
        stored,
        StoredSession {
            id_token: "id-1".into(),
            access_token: "access-1".into(),
            refresh_token: "refresh-\"1\"".into(),
            clock_drift_ms: -1235,
        }
    );
    let back = stored.verified("alice".into(), t.expires_at);
    assert_eq!(back.clock_drift, -1.235);
    // And the same record again.
    assert_eq!(StoredSession::record(&back), StoredSession::record(&t));
    assert_eq!(
        (back.id_token, back.refresh_token),
        (t.id_token, t.refresh_token)
    );
    assert_eq!(
        storage_key("us-east-1_AbC123xyz", "4tq8a9c1"),
        "cognito-wasm.us-east-1_AbC123xyz.4tq8a9c1"
    );
}

#[test]
fn a_record_that_is_not_ours_is_refused() {
    let good = r#"{"v":1,"idToken":"i","accessToken":"a","refreshToken":"r","clockDriftMs":5}"#;
    assert!(StoredSession::parse(good).is_ok());
    let unreadable = |text: &str| match StoredSession::parse(text) {
        Err(SessionError::UnreadableRecord(why)) => why,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        unreadable(&good.replace("\"v\":1", "\"v\":2")),
        "another version"
    );
    assert_eq!(unreadable(&good.replace("\"v\":1,", "")), "another version");
    assert_eq!(unreadable(&good.replace("\"i\"", "\"\"")), "idToken");
    assert_eq!(unreadable(&good.replace("\"a\"", "7")), "accessToken");
    assert_eq!(
        unreadable(&good.replace(",\"refreshToken\":\"r\"", "")),
        "refreshToken"
    );
    assert_eq!(unreadable(&good.replace("5}", "\"5\"}")), "clockDriftMs");
    let far = MAX_CLOCK_DRIFT_MS as i64;
    let drift = |ms: i64| good.replace("5}", &format!("{ms}}}"));
    assert!(StoredSession::parse(&drift(far)).is_ok());
    assert!(StoredSession::parse(&drift(-far)).is_ok());
    assert_eq!(unreadable(&drift(far + 1)), "clockDriftMs");
    assert_eq!(unreadable(&drift(-far - 1)), "clockDriftMs");
    assert_eq!(unreadable(&good[..good.len() - 1]), "not JSON");
    assert_eq!(unreadable("[]"), "not JSON");
    // A duplicate member is not JSON we read (the parser is strict).
    assert_eq!(unreadable(&good.replace("{", r#"{"v":1,"#)), "not JSON");
    let huge = good.replace("\"i\"", &format!("\"{}\"", "i".repeat(MAX_TOKEN_BYTES + 1)));
    assert_eq!(unreadable(&huge), "idToken");
    let huger = good.replace("\"i\"", &format!("\"{}\"", "i".repeat(4 * MAX_TOKEN_BYTES)));
    assert_eq!(unreadable(&huger), "longer than any session");
}
