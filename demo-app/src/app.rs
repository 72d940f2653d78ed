//! The app: the state that crosses steps, and the page's layout.
//!
//! Settings, the session (kept by the library's `SessionClient`, where the settings say) and
//! the usernames and codes that one step prefills in another live here; each step's own
//! fields and progress live in its component. The session is read back at load (a reload
//! keeps the user signed in, with stored sessions), followed when another tab changes it,
//! and asked for every few seconds, which refreshes it when its tokens near their expiry.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::components::admin_user::AdminUser;
use crate::components::api_call::ApiCall;
use crate::components::confirm::Confirm;
use crate::components::focus;
use crate::components::mailbox::Mailbox;
use crate::components::reset::ResetPassword;
use crate::components::session_view::SessionView;
use crate::components::settings_form::SettingsForm;
use crate::components::sign_in::SignIn;
use crate::components::sign_up::SignUp;
use crate::emulator::{self, Mail};
use crate::env::{Backend, Env};
use crate::policy::PasswordPolicy;
use crate::session::{self, Session};
use crate::settings::Settings;
use crate::time;

/// What a password policy is about: endpoint, pool, and who answered there.
type PolicyKey = (String, String, Backend);

#[function_component]
pub fn App() -> Html {
    let settings = use_state(|| Rc::new(Settings::load()));
    // What answered at which endpoint, and the rules of which (endpoint, pool): each result is
    // kept with what it is about, so that in the render right after a settings change the new
    // endpoint is never taken for the old one's emulator (and no mailbox polls the wrong host).
    let detected = use_state_eq(|| (String::new(), Backend::Checking));
    let policy = use_state_eq(|| None::<(PolicyKey, PasswordPolicy, AttrValue)>);
    let session = use_state(|| None::<Rc<Session>>);
    let confirm_username = use_state(String::new);
    let confirm_code = use_state(String::new);
    let sign_in_username = use_state(String::new);
    let sign_in_password = use_state(String::new);
    let challenge_code = use_state(String::new);
    let reset_username = use_state(String::new);
    let reset_code = use_state(String::new);
    let account_code = use_state(String::new);

    let backend = match (&*detected, settings.endpoint.as_str()) {
        (_, "") => Backend::Cognito,
        ((endpoint, found), current) if endpoint == current => *found,
        _ => Backend::Checking,
    };

    // Is the endpoint the local emulator? Asked whenever the endpoint changes; an answer for an
    // endpoint no longer in force is dropped.
    {
        let detected = detected.clone();
        use_effect_with(settings.endpoint.clone(), move |endpoint| {
            let live = Rc::new(Cell::new(true));
            if !endpoint.is_empty() {
                let (endpoint, live) = (endpoint.clone(), live.clone());
                spawn_local(async move {
                    let found = emulator::detect(&endpoint).await;
                    if live.get() {
                        let backend = if found {
                            Backend::Emulator
                        } else {
                            Backend::Cognito
                        };
                        detected.set((endpoint, backend));
                    }
                });
            }
            move || live.set(false)
        });
    }

    // The password rules: the pool's own on the emulator, else Cognito's defaults.
    let key: PolicyKey = (settings.endpoint.clone(), settings.pool_id.clone(), backend);
    {
        let policy = policy.clone();
        use_effect_with(key.clone(), move |key| {
            let live = Rc::new(Cell::new(true));
            let (endpoint, pool_id, backend) = key.clone();
            match backend {
                Backend::Checking => {}
                Backend::Cognito => policy.set(Some((
                    key.clone(),
                    PasswordPolicy::default(),
                    "Cognito's default rules (a real pool's own rules need AWS credentials \
                     to read, which a web page must not have)."
                        .into(),
                ))),
                Backend::Emulator => {
                    let (key, live) = (key.clone(), live.clone());
                    spawn_local(async move {
                        let result = emulator::password_policy(&endpoint, &pool_id).await;
                        if !live.get() {
                            return;
                        }
                        let (rules, note) = match result {
                            Ok(p) => (
                                p,
                                format!("The rules of pool {pool_id}, read with DescribeUserPool."),
                            ),
                            Err(f) => (
                                PasswordPolicy::default(),
                                format!(
                                    "The pool's rules could not be read ({}); \
                                     these are Cognito's defaults.",
                                    f.name
                                ),
                            ),
                        };
                        policy.set(Some((key, rules, note.into())));
                    });
                }
            }
            move || live.set(false)
        });
    }
    let (rules, rules_note) = match &*policy {
        Some((k, p, note)) if *k == key => (*p, note.clone()),
        _ => (
            PasswordPolicy::default(),
            "Reading the pool's rules…".into(),
        ),
    };

    let sessions_key = ((*settings).clone(), backend);
    let sessions = use_memo(sessions_key.clone(), |(s, backend)| {
        session::sessions(s, *backend == Backend::Emulator)
    });

    // The session of these settings: read back once (a stored one survives a reload), then
    // asked every few seconds (which refreshes tokens near their expiry) and whenever another
    // tab changes the stored session (a sign-in, a refresh, a sign-out there).
    {
        let (session, sessions) = (session.clone(), sessions.clone());
        use_effect_with(sessions_key, move |(settings, backend)| {
            let live = Rc::new(Cell::new(true));
            let on_emulator = *backend == Backend::Emulator;
            // On the emulator, the page keeps the emulator's time (moved by "skip 55 minutes",
            // perhaps in another tab).
            let clock = on_emulator.then(|| settings.endpoint.clone());
            // The ID token last shown from here (a state handle captured in a closure keeps
            // the value of its render, so it cannot tell).
            let shown = Rc::new(RefCell::new(None::<String>));
            let follow = {
                let (sessions, session, live) = (sessions.clone(), session.clone(), live.clone());
                move |sync: bool| {
                    let (sessions, session, live, shown) = (
                        sessions.clone(),
                        session.clone(),
                        live.clone(),
                        shown.clone(),
                    );
                    let clock = clock.clone();
                    spawn_local(async move {
                        let Ok(s) = sessions.as_ref() else { return };
                        if let Some(endpoint) = clock {
                            if let Ok(now) = emulator::advance_clock(&endpoint, 0).await {
                                time::align(now);
                            }
                        }
                        if sync && s.sync_from_storage().await.is_err() {
                            return;
                        }
                        // A refresh that fails on the network keeps the session: try later.
                        if let Ok(now) = session::current(s, false).await {
                            let id = now.as_ref().map(|s| s.tokens.id_token.clone());
                            if live.get() && *shown.borrow() != id {
                                *shown.borrow_mut() = id;
                                session.set(now.map(Rc::new));
                            }
                        }
                    });
                }
            };
            // Until we know who answers, the issuer (the emulator's or AWS's) is not known:
            // nothing is verified yet.
            let checking = *backend == Backend::Checking;
            if !checking {
                follow(false);
            }
            let tick = {
                let follow = follow.clone();
                Interval::new(5_000, move || {
                    if !checking {
                        follow(false)
                    }
                })
            };
            let key = sessions
                .as_ref()
                .as_ref()
                .map(|s| s.storage_key().to_owned())
                .unwrap_or_default();
            let storage = web_sys::window().map(|w| {
                EventListener::new(&w, "storage", move |e| {
                    use wasm_bindgen::JsCast;
                    let changed = e.dyn_ref::<web_sys::StorageEvent>().and_then(|e| e.key());
                    // `None`: the other tab cleared its storage.
                    if !checking && changed.is_none_or(|k| k == key) {
                        follow(true);
                    }
                })
            });
            move || {
                live.set(false);
                drop((tick, storage));
            }
        });
    }

    let env = Env {
        settings: (*settings).clone(),
        backend,
        policy: rules,
        policy_note: rules_note,
        sessions,
    };

    let on_apply = {
        let (settings, session) = (settings.clone(), session.clone());
        Callback::from(move |next: Settings| {
            next.save();
            // Tokens of another pool or client mean nothing under the new settings.
            if !next.same_cognito(&settings) {
                session.set(None);
            }
            settings.set(Rc::new(next));
        })
    };
    let on_signed_up = {
        let (confirm_username, sign_in_username) =
            (confirm_username.clone(), sign_in_username.clone());
        Callback::from(move |username: String| {
            confirm_username.set(username.clone());
            sign_in_username.set(username);
        })
    };
    let on_confirmed = {
        let sign_in_username = sign_in_username.clone();
        Callback::from(move |username: String| sign_in_username.set(username))
    };
    let on_use_code = {
        let (confirm_username, confirm_code) = (confirm_username.clone(), confirm_code.clone());
        let (reset_username, reset_code) = (reset_username.clone(), reset_code.clone());
        let account_code = account_code.clone();
        let (sign_in_username, sign_in_password) =
            (sign_in_username.clone(), sign_in_password.clone());
        let challenge_code = challenge_code.clone();
        Callback::from(move |mail: Mail| {
            if mail.kind == "admin_create_user" {
                sign_in_username.set(mail.username);
                sign_in_password.set(mail.code);
                focus("sign-in-submit");
            } else if mail.kind == "mfa" {
                challenge_code.set(mail.code);
                focus("challenge-code");
            } else if mail.kind == "verify_attribute" {
                account_code.set(mail.code);
                focus("email-code");
            } else if mail.kind == "forgot_password" {
                reset_username.set(mail.username);
                reset_code.set(mail.code);
                open_details("reset");
                focus("reset-code");
            } else {
                confirm_username.set(mail.username);
                confirm_code.set(mail.code);
                focus("confirm-code");
            }
        })
    };
    let on_admin_created = {
        let sign_in_username = sign_in_username.clone();
        Callback::from(move |username: String| sign_in_username.set(username))
    };
    let on_session = {
        let session = session.clone();
        Callback::from(move |s: Session| session.set(Some(Rc::new(s))))
    };
    let on_session_change = {
        let session = session.clone();
        Callback::from(move |s: Option<Session>| session.set(s.map(Rc::new)))
    };
    let access_token = session
        .as_ref()
        .map(|s| AttrValue::from(s.tokens.access_token.clone()));

    html! {
        <>
            <header>
                <h1>{ "The practical, with cognito-wasm and Yew" }</h1>
                <p>
                    { "Sign up, confirm with the emailed code, sign in, read your verified token \
                       claims and call a protected API: Amazon Cognito from the browser, in Rust \
                       compiled to WebAssembly. The defaults talk to the local emulator (" }
                    <code>{ "cargo xtask demo" }</code>{ "). " }
                    <a href="practical.html">{ "The same practical in plain JavaScript" }</a>
                    { "." }
                </p>
            </header>
            <main>
                <SettingsForm env={env.clone()} {on_apply} />
                <SignUp env={env.clone()} {on_signed_up} />
                if env.backend == Backend::Emulator {
                    <Mailbox
                        endpoint={env.settings.endpoint.clone()}
                        pool_id={env.settings.pool_id.clone()}
                        on_use={on_use_code}
                    />
                    <AdminUser env={env.clone()} on_created={on_admin_created} />
                }
                <Confirm
                    env={env.clone()} username={confirm_username} code={confirm_code}
                    {on_confirmed}
                />
                <SignIn
                    env={env.clone()} username={sign_in_username} password={sign_in_password}
                    code={challenge_code} on_signed_in={on_session}
                />
                <ResetPassword env={env.clone()} username={reset_username} code={reset_code} />
                <SessionView
                    env={env.clone()} session={(*session).clone()} on_change={on_session_change}
                    {account_code}
                />
                <ApiCall env={env} {access_token} />
            </main>
            <footer>
                <p>
                    { "Passwords are never stored or logged; tokens stay in this page's memory \
                       unless the settings keep the session in sessionStorage or localStorage. \
                       Settings (without the client secret) are kept in this browser's \
                       localStorage." }
                </p>
            </footer>
        </>
    }
}

/// Opens a `<details>` (the password reset, when its code is used from the mailbox).
fn open_details(id: &str) {
    if let Some(e) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        let _ = e.set_attribute("open", "");
    }
}
