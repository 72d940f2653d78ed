//! The app: the state that crosses steps, and the page's layout.
//!
//! Settings, the session (tokens in memory only) and the usernames and codes that one step
//! prefills in another live here; each step's own fields and progress live in its component.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

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
use crate::session::{Session, Verifiers};
use crate::settings::Settings;

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

    let verifiers = use_memo(
        ((*settings).clone(), backend == Backend::Emulator),
        |(s, on_emulator)| Verifiers::new(s, *on_emulator),
    );

    let env = Env {
        settings: (*settings).clone(),
        backend,
        policy: rules,
        policy_note: rules_note,
        verifiers,
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
        Callback::from(move |mail: Mail| {
            if mail.kind == "verify_attribute" {
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
                }
                <Confirm
                    env={env.clone()} username={confirm_username} code={confirm_code}
                    {on_confirmed}
                />
                <SignIn env={env.clone()} username={sign_in_username} on_signed_in={on_session} />
                <ResetPassword env={env.clone()} username={reset_username} code={reset_code} />
                <SessionView
                    env={env.clone()} session={(*session).clone()} on_change={on_session_change}
                    {account_code}
                />
                <ApiCall env={env} {access_token} />
            </main>
            <footer>
                <p>
                    { "Passwords and tokens stay in this page's memory: never stored, never \
                       logged. Settings (without the client secret) are kept in this browser's \
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
