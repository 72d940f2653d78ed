//! Parallel requests: distinct sign-ups all land; one username is taken exactly once.

use std::sync::Barrier;

use crate::admin::list_all_users;
use crate::common::*;

#[test]
fn fifty_parallel_sign_ups() {
    let emu = shared();
    let app = emu.public_app();
    let prefix = unique("par");
    let barrier = Barrier::new(50);
    let results: Vec<Result<serde_json::Value, ApiError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let app = app.clone();
                let prefix = &prefix;
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    app.sign_up(&format!("{prefix}-{i}"), PASSWORD)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, r) in results.iter().enumerate() {
        assert!(r.is_ok(), "sign-up {i}: {r:?}");
    }
    let mut subs: Vec<&str> = results
        .iter()
        .map(|r| r.as_ref().unwrap()["UserSub"].as_str().unwrap())
        .collect();
    subs.sort();
    subs.dedup();
    assert_eq!(subs.len(), 50, "50 distinct subs");
    let users = list_all_users(emu, &app.pool_id);
    assert_eq!(users.len(), 50, "ListUsers shows exactly 50");
    let mut names: Vec<String> = users
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (0..50).map(|i| format!("{prefix}-{i}")).collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn twenty_parallel_sign_ups_of_one_username() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("race");
    let barrier = Barrier::new(20);
    let results: Vec<Result<serde_json::Value, ApiError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let app = app.clone();
                let user = &user;
                let barrier = &barrier;
                s.spawn(move || {
                    barrier.wait();
                    // Mix the case: usernames are case-insensitive.
                    let name = if i % 2 == 0 {
                        user.clone()
                    } else {
                        user.to_ascii_uppercase()
                    };
                    app.sign_up(&name, PASSWORD)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "exactly one success: {results:?}");
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_api_error(e, "UsernameExistsException", "concurrent duplicate");
    }
    assert_eq!(list_all_users(emu, &app.pool_id).len(), 1);
    let sent = emu.get_json(&format!("/_emulator/outbox?pool_id={}", app.pool_id));
    assert_eq!(sent.as_array().unwrap().len(), 1, "one code sent: {sent}");
}

#[test]
fn parallel_sign_ins() {
    let emu = shared();
    let app = emu.public_app();
    let user = unique("par-in");
    app.confirmed_user(&user, PASSWORD);
    let tokens: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let app = app.clone();
                let user = &user;
                s.spawn(move || {
                    app.tokens(user, PASSWORD)["AccessToken"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for t in &tokens {
        app.get_user(t).unwrap();
    }
}
