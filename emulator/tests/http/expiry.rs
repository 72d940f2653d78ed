//! What expires is forgotten: SRP challenges and sign-in sessions are swept as new ones come
//! in, so the emulator's memory does not grow with use, and a swept one, presented again, gets
//! the error an expired one got before.

use crate::auth::{srp_answer, srp_start};
use crate::common::*;

fn stat(emu: &Emulator, name: &str) -> u64 {
    let v = emu.get_json("/_emulator/stats");
    v[name].as_u64().unwrap_or_else(|| panic!("{name} in {v}"))
}

/// Calls `add`, which adds one to the count `name`, until the count is less than it would be
/// without a sweep, at most `limit` times; returns how many calls it took.
fn add_until_swept(emu: &Emulator, name: &str, limit: u64, mut add: impl FnMut()) -> u64 {
    let start = stat(emu, name);
    for i in 1..=limit {
        add();
        if stat(emu, name) < start + i {
            return i;
        }
    }
    panic!("{name}: no sweep in {limit} inserts");
}

#[test]
fn expired_srp_challenges_are_forgotten() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("sweep-srp");
    app.confirmed_user(&user, PASSWORD);
    let ghost = unique("sweep-ghost");
    let old: Vec<_> = (0..10)
        .map(|i| srp_start(&app, if i % 2 == 0 { &user } else { &ghost }).unwrap())
        .collect();
    assert_eq!(stat(&emu, "srp_challenges"), 10);
    let now = emu.advance_clock(301);
    // Expired: refused (and, presented, forgotten at once).
    let (client, challenge) = &old[0];
    let body = srp_answer(&app, client, challenge, PASSWORD, now);
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "a challenge 301 s old");
    let expired_message = e.message;
    assert_eq!(stat(&emu, "srp_challenges"), 9);
    // New challenges sweep the old ones out.
    let mut fresh = 0;
    let calls = add_until_swept(&emu, "srp_challenges", 200, || {
        srp_start(&app, &user).unwrap();
        fresh += 1;
    });
    assert!(calls <= 64, "swept after {calls} new challenges");
    assert_eq!(
        stat(&emu, "srp_challenges"),
        fresh,
        "only the fresh challenges are left"
    );
    // A swept challenge, presented, gets the same error as an expired one.
    let (client, challenge) = &old[2];
    let body = srp_answer(&app, client, challenge, PASSWORD, emu.now());
    let e = emu.call("RespondToAuthChallenge", body).unwrap_err();
    assert_api_error(&e, "NotAuthorizedException", "a swept challenge");
    assert_eq!(e.message, expired_message);
    // Fresh ones still work.
    let (client, challenge) = srp_start(&app, &user).unwrap();
    let body = srp_answer(&app, &client, &challenge, PASSWORD, emu.now());
    emu.ok("RespondToAuthChallenge", body);
}

#[test]
fn challenges_stay_bounded_under_use() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("bounded");
    app.confirmed_user(&user, PASSWORD);
    // 300 sign-ins begun and never finished, in rounds 5 min apart: at most 60 are live.
    let mut peak = 0;
    for _ in 0..5 {
        for _ in 0..60 {
            srp_start(&app, &user).unwrap();
        }
        peak = peak.max(stat(&emu, "srp_challenges"));
        emu.advance_clock(301);
    }
    assert!(
        peak <= 2 * 64,
        "at most twice what is live (or the floor): {peak}"
    );
}

#[test]
fn expired_sessions_are_forgotten() {
    let emu = Emulator::start(&[]);
    let app = emu.public_app();
    let user = unique("sweep-session");
    app.confirmed_user(&user, PASSWORD);
    let old = app.tokens(&user, PASSWORD);
    let (access, refresh) = (
        old["AccessToken"].as_str().unwrap(),
        old["RefreshToken"].as_str().unwrap(),
    );
    assert_eq!(stat(&emu, "sessions"), 1);
    assert_eq!(stat(&emu, "refresh_tokens"), 1);
    // Past the refresh token's 30 days and the last access token it could have minted.
    emu.advance_clock(30 * 86_400 + 3_600 + 1);
    let expired = |what: &str| {
        let e = app.refresh(refresh, &user).unwrap_err();
        assert_api_error(&e, "NotAuthorizedException", what);
        assert_eq!(e.message, "Refresh Token has expired", "{what}");
        let e = app.get_user(access).unwrap_err();
        assert_api_error(&e, "NotAuthorizedException", what);
        assert_eq!(e.message, "Access Token has expired", "{what}");
    };
    expired("an expired session");
    let mut fresh = 0;
    let calls = add_until_swept(&emu, "sessions", 200, || {
        app.tokens(&user, PASSWORD);
        fresh += 1;
    });
    assert!(calls <= 64, "swept after {calls} new sessions");
    assert_eq!(stat(&emu, "sessions"), fresh);
    assert_eq!(stat(&emu, "refresh_tokens"), fresh);
    // The same errors once it is forgotten.
    expired("a swept session");
    // A made-up token is still invalid, not expired; a live one still works.
    let e = app.refresh("not-a-refresh-token", &user).unwrap_err();
    assert_eq!(e.message, "Invalid Refresh Token.");
    let live = app.tokens(&user, PASSWORD);
    app.refresh(live["RefreshToken"].as_str().unwrap(), &user)
        .expect("a live refresh token");
    assert_eq!(live["RefreshToken"].as_str().unwrap().len(), refresh.len());
}
