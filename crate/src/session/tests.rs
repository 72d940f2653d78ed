//! Every transition of the session's state machine (the shared rules and the stored record: `rules.rs`).

use super::*;
use crate::error::{CognitoException, Error};
use crate::verify::{VerifyError, MAX_TOKEN_BYTES};

const IAT: f64 = 1_800_000_000.0;
/// Cognito's default: tokens valid for an hour.
const HOUR: f64 = 3600.0;

fn tokens_for(user: &str, n: u32, refresh: Option<&str>, iat: f64) -> VerifiedTokens {
    VerifiedTokens {
        id_token: format!("id-{n}"),
        access_token: format!("access-{n}"),
        refresh_token: refresh.map(str::to_owned),
        username: user.into(),
        expires_at: iat + HOUR,
        issued_at: iat,
    }
}

fn tokens(n: u32, refresh: Option<&str>, iat: f64) -> VerifiedTokens {
    tokens_for("alice", n, refresh, iat)
}

fn session() -> Session {
    Session::new(SessionConfig::default()).unwrap()
}

/// Signed in at `IAT` (device clock = tokens' clock), events drained.
fn signed_in() -> Session {
    let mut s = session();
    s.sign_in(tokens(1, Some("refresh-1"), IAT), IAT).unwrap();
    assert_eq!(s.events(), [SessionEvent::SignedIn]);
    s
}

/// The refresh `next` asks for, with its ticket; panics on anything else.
fn refresh(s: &mut Session, now: f64, force: bool) -> RefreshRequest {
    match s.next(now, force) {
        Ok(Next::Refresh(r)) => r,
        other => panic!("expected a refresh, got {other:?}"),
    }
}

fn held(s: &Session) -> (&str, &str, &str) {
    let t = s.current().unwrap();
    (&t.id_token, &t.access_token, &t.refresh_token)
}

#[test]
fn a_new_session_is_signed_out_and_nothing_moves_it_but_a_sign_in() {
    let mut s = session();
    assert_eq!(s.next(IAT, false), Ok(Next::SignedOut));
    assert_eq!(s.next(IAT, true), Ok(Next::SignedOut));
    assert_eq!(s.sign_out(), None);
    let stale = s.refreshed(1, Ok(tokens(2, None, IAT)), IAT);
    assert_eq!(stale, Refreshed::Stale { revoke: None });
    s.abandon(1);
    s.adopt(None);
    assert!(s.current().is_none());
    assert_eq!(s.events(), []);
}

#[test]
fn a_margin_that_cannot_work_is_refused() {
    for margin in [-1.0, f64::NAN, f64::INFINITY] {
        let config = SessionConfig {
            refresh_margin: margin,
        };
        assert!(matches!(Session::new(config), Err(SessionError::Config(_))));
    }
}

#[test]
fn a_sign_in_without_a_refresh_token_or_with_a_broken_clock_is_refused() {
    let mut s = session();
    assert_eq!(
        s.sign_in(tokens(1, None, IAT), IAT),
        Err(SessionError::NoRefreshToken)
    );
    // Not a number, or further from the tokens' clock than the record can hold.
    let far = MAX_CLOCK_DRIFT_MS as f64 / 1000.0 + 1.0;
    for clock in [f64::NAN, f64::INFINITY, IAT + far, IAT - far] {
        let signed = s.sign_in(tokens(1, Some("r"), IAT), clock);
        assert_eq!(signed, Err(SessionError::Clock));
    }
    assert!(s.current().is_none());
    assert_eq!(s.events(), []);
}

#[test]
fn a_second_sign_in_is_refused_until_signed_out() {
    let mut s = signed_in();
    let again = s.sign_in(tokens_for("bob", 2, Some("r-2"), IAT), IAT);
    assert_eq!(again, Err(SessionError::AlreadySignedIn));
    assert_eq!(s.current().unwrap().username, "alice");
    s.sign_out();
    s.sign_in(tokens_for("bob", 2, Some("r-2"), IAT), IAT)
        .unwrap();
    assert_eq!(s.current().unwrap().username, "bob");
}

#[test]
fn fresh_tokens_are_ready_until_the_margin() {
    let mut s = signed_in();
    let t = s.current().unwrap();
    assert_eq!(held(&s), ("id-1", "access-1", "refresh-1"));
    assert_eq!(
        (t.expires_at, t.issued_at, t.clock_drift),
        (IAT + HOUR, IAT, 0.0)
    );
    assert_eq!(s.next(IAT, false), Ok(Next::Ready));
    // The default margin is five minutes.
    assert_eq!(s.next(IAT + HOUR - 300.5, false), Ok(Next::Ready));
    let r = refresh(&mut s, IAT + HOUR - 299.5, false);
    assert_eq!(
        (r.refresh_token.as_str(), r.username.as_str()),
        ("refresh-1", "alice")
    );
}

#[test]
fn the_margin_is_the_configured_one_and_at_most_half_the_lifetime() {
    let mut s = Session::new(SessionConfig {
        refresh_margin: 600.0,
    })
    .unwrap();
    s.sign_in(tokens(1, Some("r"), IAT), IAT).unwrap();
    assert_eq!(s.next(IAT + HOUR - 601.0, false), Ok(Next::Ready));
    refresh(&mut s, IAT + HOUR - 599.0, false);

    // A margin of a day on tokens of an hour: half an hour.
    let mut s = Session::new(SessionConfig {
        refresh_margin: 86_400.0,
    })
    .unwrap();
    s.sign_in(tokens(1, Some("r"), IAT), IAT).unwrap();
    assert_eq!(s.next(IAT + HOUR / 2.0 - 1.0, false), Ok(Next::Ready));
    refresh(&mut s, IAT + HOUR / 2.0 + 1.0, false);
}

#[test]
fn a_forced_refresh_refreshes_fresh_tokens() {
    let mut s = signed_in();
    assert_eq!(refresh(&mut s, IAT, true).refresh_token, "refresh-1");
}

#[test]
fn one_refresh_at_a_time_valid_tokens_meanwhile_and_the_rest_wait() {
    let mut s = signed_in();
    let late = IAT + HOUR - 60.0;
    let r = refresh(&mut s, late, false);
    // Still valid: handed out while the refresh runs; a forced caller waits for it.
    assert_eq!(s.next(late, false), Ok(Next::Ready));
    assert_eq!(s.next(late, true), Ok(Next::Wait));
    // Expired (or within the tolerance): everybody waits.
    let expired = IAT + HOUR - EXPIRY_TOLERANCE;
    assert_eq!(s.next(expired, false), Ok(Next::Wait));
    assert_eq!(
        s.refreshed(r.ticket, Ok(tokens(2, None, late)), late),
        Refreshed::Applied
    );
    assert_eq!(s.next(late, false), Ok(Next::Ready));
}

#[test]
fn a_refresh_replaces_the_tokens_and_keeps_the_refresh_token_unless_rotated() {
    let mut s = signed_in();
    let at = IAT + HOUR - 60.0;
    let r = refresh(&mut s, at, false);
    assert_eq!(
        s.refreshed(r.ticket, Ok(tokens(2, None, at)), at),
        Refreshed::Applied
    );
    assert_eq!(s.events(), [SessionEvent::TokenRefresh]);
    assert_eq!(held(&s), ("id-2", "access-2", "refresh-1"));
    assert_eq!(s.current().unwrap().expires_at, at + HOUR);

    // Rotation: the answer's refresh token replaces the old one.
    let at = at + HOUR - 60.0;
    let r = refresh(&mut s, at, false);
    assert_eq!(r.refresh_token, "refresh-1");
    s.refreshed(r.ticket, Ok(tokens(3, Some("refresh-3"), at)), at);
    assert_eq!(held(&s), ("id-3", "access-3", "refresh-3"));
    assert_eq!(
        refresh(&mut s, at + HOUR - 60.0, false).refresh_token,
        "refresh-3"
    );
}

#[test]
fn a_network_failure_keeps_the_session_and_backs_off() {
    let mut s = signed_in();
    let mut at = IAT + HOUR - 60.0;
    let r = refresh(&mut s, at, false);
    let failed = s.refreshed(r.ticket, Err(RefreshFailure::Network), at);
    assert_eq!(failed, Refreshed::Applied);
    assert_eq!(s.events(), [SessionEvent::TokenRefreshFailure]);
    assert!(s.current().is_some());
    // Still valid: the tokens are used while the back-off runs, then tried again.
    assert_eq!(s.next(at + 0.5, false), Ok(Next::Ready));
    let mut r = refresh(&mut s, at + 1.0, false);
    // The waits double: 1, 2, 4, ... and stop at 60 s.
    let mut waits = Vec::new();
    for _ in 0..8 {
        at += 1.0;
        s.refreshed(r.ticket, Err(RefreshFailure::Network), at);
        let wait = (1..=240)
            .map(|quarter| f64::from(quarter) / 4.0)
            .find(|wait| matches!(s.next(at + wait, false), Ok(Next::Refresh(_))))
            .expect("a refresh within a minute");
        waits.push(wait);
        s.abandon(s.tickets);
        r = refresh(&mut s, at + wait, false);
    }
    assert_eq!(waits, [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]);
    // A forced call does not wait for the back-off.
    s.refreshed(r.ticket, Err(RefreshFailure::Network), at);
    let r = refresh(&mut s, at, true);
    // A success ends it.
    s.refreshed(r.ticket, Ok(tokens(2, None, at)), at);
    let late = at + HOUR - 60.0;
    let r = refresh(&mut s, late, false);
    s.refreshed(r.ticket, Err(RefreshFailure::Network), late);
    refresh(&mut s, late + 1.0, false);
}

#[test]
fn expired_tokens_during_a_back_off_are_unavailable_then_refreshed() {
    let mut s = signed_in();
    let at = IAT + HOUR + 10.0;
    let r = refresh(&mut s, at, false);
    s.refreshed(r.ticket, Err(RefreshFailure::Network), at);
    let unavailable = Next::Unavailable { retry_at: at + 1.0 };
    assert_eq!(s.next(at + 0.5, false), Ok(unavailable));
    assert!(s.current().is_some());
    refresh(&mut s, at + 1.0, false);
}

#[test]
fn tokens_about_to_expire_are_not_handed_out_during_a_back_off() {
    let mut s = signed_in();
    let at = IAT + HOUR - 60.0;
    let r = refresh(&mut s, at, false);
    s.refreshed(r.ticket, Err(RefreshFailure::Network), at);
    // 60 s of back-off would end after the tokens; within the tolerance they are withheld.
    let r = refresh(&mut s, at + 1.0, false);
    s.refreshed(r.ticket, Err(RefreshFailure::Network), IAT + HOUR - 6.0);
    assert_eq!(s.next(IAT + HOUR - 5.5, false), Ok(Next::Ready));
    let Ok(Next::Unavailable { .. }) = s.next(IAT + HOUR - 4.5, false) else {
        panic!("tokens within the tolerance were handed out");
    };
}

#[test]
fn a_refused_refresh_token_ends_the_session_even_during_a_back_off() {
    for back_off_first in [false, true] {
        let mut s = signed_in();
        if back_off_first {
            let r = refresh(&mut s, IAT, true);
            s.refreshed(r.ticket, Err(RefreshFailure::Network), IAT);
            s.events();
        }
        let r = refresh(&mut s, IAT + 10.0, true);
        let refused = s.refreshed(r.ticket, Err(RefreshFailure::Refused), IAT);
        assert_eq!(refused, Refreshed::Applied);
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
}

#[test]
fn new_tokens_of_another_user_end_the_session() {
    let mut s = signed_in();
    let r = refresh(&mut s, IAT, true);
    s.refreshed(r.ticket, Ok(tokens_for("mallory", 2, None, IAT)), IAT);
    assert!(s.current().is_none());
    assert!(s.events().contains(&SessionEvent::SessionExpired));
}

#[test]
fn an_outcome_nobody_waits_for_changes_nothing() {
    let mut s = signed_in();
    // No refresh under way, or another ticket.
    assert_eq!(
        s.refreshed(7, Err(RefreshFailure::Refused), IAT),
        Refreshed::Stale { revoke: None }
    );
    let r = refresh(&mut s, IAT, true);
    let other = s.refreshed(r.ticket + 1, Ok(tokens(9, None, IAT)), IAT);
    assert_eq!(other, Refreshed::Stale { revoke: None });
    assert_eq!(held(&s).0, "id-1");
    // Abandoned: the next call refreshes again, and the late outcome is stale.
    s.abandon(r.ticket);
    let again = refresh(&mut s, IAT, true);
    assert_ne!(again.ticket, r.ticket);
    let late = s.refreshed(r.ticket, Ok(tokens(9, None, IAT)), IAT);
    assert_eq!(late, Refreshed::Stale { revoke: None });
    assert_eq!(held(&s).0, "id-1");
    // Signed out meanwhile: a refresh token rotated in comes back, to revoke.
    assert_eq!(s.sign_out().as_deref(), Some("refresh-1"));
    let rotated = s.refreshed(again.ticket, Ok(tokens(2, Some("refresh-2"), IAT)), IAT);
    let revoke = Some("refresh-2".to_owned());
    assert_eq!(rotated, Refreshed::Stale { revoke });
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
        let mut s = session();
        s.sign_in(tokens(1, Some("r"), IAT), IAT + drift).unwrap();
        assert_eq!(s.current().unwrap().clock_drift, drift);
        assert_eq!(s.next(IAT + drift + 1.0, false), Ok(Next::Ready));
        assert_eq!(s.next(IAT + drift + HOUR - 301.0, false), Ok(Next::Ready));
        let r = refresh(&mut s, IAT + drift + HOUR - 299.0, false);
        // The refresh measures it again; a clock that cannot be used keeps the old one.
        let now = IAT + HOUR + 2.0 * drift;
        s.refreshed(r.ticket, Ok(tokens(2, None, IAT + HOUR)), now);
        assert_eq!(s.current().unwrap().clock_drift, 2.0 * drift);
        let r = refresh(&mut s, now, true);
        s.refreshed(r.ticket, Ok(tokens(3, None, IAT + HOUR)), f64::NAN);
        assert_eq!(held(&s).0, "id-3");
        assert_eq!(s.current().unwrap().clock_drift, 2.0 * drift);
    }
}

#[test]
fn a_drift_that_no_longer_holds_refreshes() {
    // Signed in with the device an hour behind; the device clock was set right since: by
    // the stored drift the tokens now look an hour old... or, the other way round, issued
    // in the future. The second case cannot be judged: refreshed.
    let mut s = session();
    s.sign_in(tokens(1, Some("r"), IAT), IAT + HOUR).unwrap();
    // The device now reads the right time: the corrected clock is an hour before `iat`.
    let r = refresh(&mut s, IAT + 60.0, false);
    s.refreshed(r.ticket, Ok(tokens(2, None, IAT + 60.0)), IAT + 60.0);
    assert_eq!(s.current().unwrap().clock_drift, 0.0, "measured again");
    assert_eq!(s.next(IAT + 61.0, false), Ok(Next::Ready));
    // Within the tolerance, tokens from a few seconds "ahead" are fine.
    let mut s = session();
    s.sign_in(tokens(1, Some("r"), IAT), IAT).unwrap();
    assert_eq!(s.next(IAT - EXPIRY_TOLERANCE + 0.5, false), Ok(Next::Ready));
}

#[test]
fn a_stored_drift_never_makes_tokens_younger() {
    // Tokens that expired an hour ago, stored with a drift of two hours (written by whoever
    // can write the storage): by that drift they would look an hour from expiry.
    let now = IAT + 2.0 * HOUR;
    let record = StoredSession {
        id_token: "id-1".into(),
        access_token: "access-1".into(),
        refresh_token: "refresh-1".into(),
        clock_drift_ms: (2.0 * HOUR * 1000.0) as i64,
    };
    let mut s = session();
    s.adopt(Some(record.clone().verified(
        "alice".into(),
        IAT + HOUR,
        IAT,
    )));
    // Its refresh measures the drift, which is then used in full.
    let r = refresh(&mut s, now, false);
    s.refreshed(r.ticket, Ok(tokens(2, None, now - HOUR / 2.0)), now);
    assert_eq!(s.current().unwrap().clock_drift, HOUR / 2.0);
    assert_eq!(s.next(now + 60.0, false), Ok(Next::Ready));
    // A stored drift that makes the tokens older is used: they are refreshed sooner.
    let behind = StoredSession {
        clock_drift_ms: -(HOUR * 1000.0) as i64,
        ..record
    };
    let mut s = session();
    s.adopt(Some(behind.verified("alice".into(), IAT + HOUR, IAT)));
    assert!(matches!(s.next(IAT + 60.0, false), Ok(Next::Refresh(_))));
}

#[test]
fn another_tabs_drift_that_agrees_with_ours_is_trusted() {
    // This device's clock is an hour ahead; this tab measured it at its sign-in.
    let mut s = session();
    s.sign_in(tokens(1, Some("r"), IAT), IAT + HOUR).unwrap();
    // Another tab refreshed (same device, same drift) and stored its tokens.
    let stored = |drift_hours: f64| {
        StoredSession {
            id_token: "id-9".into(),
            access_token: "access-9".into(),
            refresh_token: "refresh-9".into(),
            clock_drift_ms: (drift_hours * HOUR * 1000.0) as i64,
        }
        .verified("alice".into(), IAT + 600.0 + HOUR, IAT + 600.0)
    };
    s.adopt(Some(stored(1.0)));
    assert_eq!(s.next(IAT + HOUR + 700.0, false), Ok(Next::Ready));
    // A drift this tab never saw (two hours) is not trusted to make tokens younger.
    let mut other = stored(2.0);
    other.id_token = "id-10".into();
    s.adopt(Some(other));
    assert!(matches!(
        s.next(IAT + HOUR + 700.0, false),
        Ok(Next::Refresh(_))
    ));
}

#[test]
fn a_broken_clock_is_an_error_for_next_and_leaves_the_back_off_for_refreshed() {
    let mut s = signed_in();
    assert_eq!(s.next(f64::NAN, false), Err(SessionError::Clock));
    let r = refresh(&mut s, IAT, true);
    s.refreshed(r.ticket, Err(RefreshFailure::Network), f64::INFINITY);
    // The outcome was taken (no refresh under way), with no back-off: a call within the
    // margin refreshes at once.
    refresh(&mut s, IAT + HOUR - 60.0, false);
}

#[test]
fn adopting_what_another_tab_stored() {
    let mut s = signed_in();
    let mine = s.current().unwrap().clone();
    // The same tokens read back from storage, drift rounded: nothing happens.
    let stored = StoredSession::parse(&StoredSession::record(&mine)).unwrap();
    s.adopt(Some(stored.verified("alice".into(), mine.expires_at, IAT)));
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
    // Another tab signed in as someone else.
    let bob = SessionTokens {
        username: "bob".into(),
        ..theirs.clone()
    };
    s.adopt(Some(bob.clone()));
    assert_eq!(
        s.events(),
        [SessionEvent::SignedOut, SessionEvent::SignedIn]
    );
    assert_eq!(s.current(), Some(&bob));
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
fn adopting_other_tokens_during_a_refresh_ends_the_wait_for_it() {
    let mut s = signed_in();
    let r = refresh(&mut s, IAT, true);
    assert_eq!(s.refreshing(), Some(r.ticket));
    let mut theirs = s.current().unwrap().clone();
    theirs.id_token = "id-9".into();
    theirs.refresh_token = "refresh-9".into();
    s.adopt(Some(theirs));
    assert_eq!(s.refreshing(), None);
    assert_eq!(s.next(IAT, false), Ok(Next::Ready));
    let late = s.refreshed(r.ticket, Err(RefreshFailure::Refused), IAT);
    assert_eq!(late, Refreshed::Stale { revoke: None });
    assert_eq!(held(&s), ("id-9", "access-1", "refresh-9"));
    // The same tokens adopted do not end it.
    let r = refresh(&mut s, IAT, true);
    let same = s.current().cloned();
    s.adopt(same);
    assert_eq!(s.refreshing(), Some(r.ticket));
    let outcome = s.refreshed(r.ticket, Ok(tokens(2, None, IAT)), IAT);
    assert_eq!(outcome, Refreshed::Applied);
}

mod rules;
