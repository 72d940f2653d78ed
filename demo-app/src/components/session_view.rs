//! Step 5: the session: who is signed in, the access token's time left (ticking), both
//! tokens' verified claims, Refresh, Sign out everywhere, and the account (change the email,
//! delete the account).

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::account::Account;
use crate::components::claims::ClaimsTable;
use crate::components::field::Field;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;
use crate::errors::Failure;
use crate::session::{self, Session};
use crate::time;

#[derive(Properties, PartialEq)]
pub struct SessionViewProps {
    pub env: Env,
    pub session: Option<Rc<Session>>,
    /// A refreshed session, or `None` once signed out.
    pub on_change: Callback<Option<Session>>,
    /// The code for a new email, prefilled by the mailbox.
    pub account_code: UseStateHandle<String>,
}

#[function_component]
pub fn SessionView(props: &SessionViewProps) -> Html {
    let status = use_state(Status::default);
    // Which button started the running action: "refresh" or "sign-out".
    let running = use_state(|| "");
    let refresh_username = use_state(String::new);

    // The username SECRET_HASH needs, prefilled from each new session.
    {
        let refresh_username = refresh_username.clone();
        let username = props.session.as_ref().map(|s| s.username());
        use_effect_with(username, move |u| {
            if let Some(u) = u {
                refresh_username.set(u.clone());
            }
        });
    }

    let Some(current) = props.session.clone() else {
        return html! {
            <section aria-labelledby="session-title">
                <h2 id="session-title">{ "5. Your session" }</h2>
                <p id="no-session">
                    { "Not signed in. After a sign-in, the tokens' verified claims show here." }
                </p>
                <StatusLine id="session-status" status={(*status).clone()} />
            </section>
        };
    };

    let refresh = {
        let (status, running, refresh_username) =
            (status.clone(), running.clone(), refresh_username.clone());
        let (env, on_change, current) =
            (props.env.clone(), props.on_change.clone(), current.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if status.busy() {
                return;
            }
            running.set("refresh");
            let (settings, verifiers, on_change, current) = (
                env.settings.clone(),
                Rc::clone(&env.verifiers),
                on_change.clone(),
                current.clone(),
            );
            let username = (*refresh_username).clone();
            run(&status, async move {
                let verifiers = verifiers.as_ref().as_ref().map_err(Failure::clone)?;
                let fresh = session::refresh(&settings, verifiers, &current, &username).await?;
                let until = time::local_datetime(fresh.access.exp as f64);
                on_change.emit(Some(fresh));
                Ok(Status::Done(format!(
                    "Refreshed: new ID and access tokens, valid until {until}."
                )))
            });
        })
    };
    let sign_out = {
        let (status, running) = (status.clone(), running.clone());
        let (settings, on_change, current) = (
            props.env.settings.clone(),
            props.on_change.clone(),
            current.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if status.busy() {
                return;
            }
            running.set("sign-out");
            let (settings, on_change, current) =
                (settings.clone(), on_change.clone(), current.clone());
            run(&status, async move {
                settings
                    .client()?
                    .global_sign_out(&current.tokens.access_token)
                    .await?;
                on_change.emit(None);
                Ok(Status::Done(
                    "Signed out everywhere: Cognito revoked the refresh token, \
                     and this page forgot the tokens."
                        .into(),
                ))
            });
        })
    };
    let forget = {
        let (status, on_change) = (status.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            if status.busy() {
                return;
            }
            on_change.emit(None);
            status.set(Status::Done(
                "This page forgot the tokens (Cognito was not told).".into(),
            ));
        })
    };

    let on_deleted = {
        let (status, on_change) = (status.clone(), props.on_change.clone());
        Callback::from(move |message: String| {
            on_change.emit(None);
            status.set(Status::Done(message));
        })
    };

    let busy = status.busy();
    let refreshing = busy && *running == "refresh";
    let signing_out = busy && *running == "sign-out";
    let has_secret = props.env.settings.secret().is_some();
    let who = current.username();
    let email = current.id.email.clone();
    let id = Rc::new(current.id.clone());
    let access = Rc::new(current.access.clone());

    html! {
        <section aria-labelledby="session-title">
            <h2 id="session-title">{ "5. Your session" }</h2>
            <p id="signed-in-as">
                { "Signed in as " }<strong>{ who }</strong>
                if let Some(email) = email { { " (" }{ email }{ ")" } }
                { "." }
            </p>
            <Countdown exp={current.access.exp} />
            <p class="hint">
                { "Both tokens verified here with cognito-wasm's Verifier: the RS256 signature \
                   against the pool's JWKS, the issuer " }
                <code>{ &current.id.iss }</code>
                { ", the app client, the token use and the expiry. The tokens stay in this \
                   page's memory: never stored, never logged." }
            </p>
            <div class="tables">
                <ClaimsTable id="id-claims" title="ID token: who you are" claims={id} />
                <ClaimsTable
                    id="access-claims" title="Access token: what you may call" claims={access}
                />
            </div>
            <form id="refresh-form" onsubmit={refresh} aria-busy={refreshing.then_some("true")}>
                if has_secret {
                    <Field
                        id="refresh-username" label="Username" value={refresh_username}
                        required=true autocomplete="username"
                        hint={html! {
                            "With a client secret, a refresh needs the username (for SECRET_HASH)."
                        }}
                    />
                }
                <div class="buttons">
                    <ActionButton
                        id="refresh-submit" label="Refresh the tokens"
                        busy={refreshing} disabled={busy}
                    />
                    <ActionButton
                        id="sign-out" label="Sign out everywhere" secondary=true
                        onclick={sign_out} busy={signing_out} disabled={busy}
                    />
                    <ActionButton
                        id="forget" label="Forget the tokens here only" secondary=true
                        onclick={forget} disabled={busy}
                    />
                </div>
            </form>
            <StatusLine id="session-status" status={(*status).clone()} />
            <Account
                key={current.username()} env={props.env.clone()} session={current.clone()}
                code={props.account_code.clone()} {on_deleted}
            />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CountdownProps {
    /// The access token's `exp`.
    exp: i64,
}

/// The access token's time left, ticking each second. `role="timer"` is not announced on
/// every tick, which is what a screen reader user wants from a clock.
#[function_component]
fn Countdown(props: &CountdownProps) -> Html {
    let now = use_state(time::now);
    {
        let now = now.clone();
        use_effect_with((), move |_| {
            let tick = Interval::new(1_000, move || now.set(time::now()));
            move || drop(tick)
        });
    }
    let left = props.exp - now.floor() as i64;
    let at = time::local_datetime(props.exp as f64);
    html! {
        <p class="countdown" id="countdown">
            if left > 0 {
                { "The access token expires in " }
                <strong role="timer" id="countdown-left">{ time::countdown(left) }</strong>
                { format!(" (at {at}).") }
            } else {
                <strong>{ "The access token has expired" }</strong>
                { format!(" (at {at}). Refresh the tokens, or sign in again.") }
            }
        </p>
    }
}
