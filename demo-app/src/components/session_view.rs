//! Step 5: the session: who is signed in, the access token's time left (ticking), both
//! tokens' verified claims, Refresh, sign-out (here, or everywhere), on the emulator "skip 55
//! minutes" (the session then refreshes by itself), the account (change the email, delete
//! the account) and two-factor sign-in.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::account::Account;
use crate::components::claims::ClaimsTable;
use crate::components::mfa::Mfa;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::emulator;
use crate::env::{Backend, Env};
use crate::errors::Failure;
use crate::session::{self, Session};
use crate::time;

/// How far "skip 55 minutes" moves the clocks: the tokens (an hour, by default) are then
/// within the session's five minutes of margin.
const SKIP_SECONDS: u64 = 55 * 60;

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
    // Which button started the running action: "refresh", "sign-out", "forget" or "skip".
    let running = use_state(|| "");

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

    // Runs `action` on the session client as the button `which`; `done` says what happened.
    let act = |which: &'static str, action: Action| {
        let (status, running) = (status.clone(), running.clone());
        let (env, on_change) = (props.env.clone(), props.on_change.clone());
        move || {
            if status.busy() {
                return;
            }
            running.set(which);
            let (sessions, settings) = (Rc::clone(&env.sessions), env.settings.clone());
            let on_change = on_change.clone();
            run(&status, async move {
                let sessions = sessions.as_ref().as_ref().map_err(Failure::clone)?;
                match action {
                    Action::Refresh => {
                        let fresh = session::current(sessions, true).await?;
                        let until = fresh
                            .as_ref()
                            .map(|f| time::local_datetime(f.access.exp as f64))
                            .unwrap_or_default();
                        on_change.emit(fresh);
                        Ok(Status::Done(format!(
                            "Refreshed: new ID and access tokens, valid until {until}."
                        )))
                    }
                    Action::SignOut { global } => {
                        let result = sessions.sign_out(global).await;
                        on_change.emit(None);
                        result?;
                        Ok(Status::Done(if global {
                            "Signed out everywhere: Cognito ended every session of this user, \
                             and this page forgot the tokens."
                                .into()
                        } else {
                            "Signed out here: Cognito revoked this session's refresh token, \
                             and the page forgot the tokens (other tabs of this browser \
                             follow when the session is in localStorage)."
                                .into()
                        }))
                    }
                    Action::Skip => {
                        let before = sessions
                            .get_session(false)
                            .await
                            .ok()
                            .map(|s| s.tokens.id_token);
                        let endpoint = settings.endpoint().unwrap_or_default().to_owned();
                        time::align(emulator::advance_clock(&endpoint, SKIP_SECONDS).await?);
                        let now = session::current(sessions, false).await?;
                        let refreshed = now.as_ref().map(|s| &s.tokens.id_token) != before.as_ref();
                        let until = now
                            .as_ref()
                            .map(|f| time::local_datetime(f.access.exp as f64))
                            .unwrap_or_default();
                        on_change.emit(now);
                        Ok(Status::Done(if refreshed {
                            format!(
                                "55 minutes later (the emulator's clock and this page's): \
                                 the tokens were near their expiry, so the session refreshed \
                                 them by itself; valid until {until}."
                            )
                        } else {
                            format!("55 minutes later: the tokens are valid until {until}.")
                        }))
                    }
                }
            });
        }
    };
    let refresh = {
        let go = act("refresh", Action::Refresh);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go();
        })
    };
    let sign_out = {
        let go = act("sign-out", Action::SignOut { global: true });
        Callback::from(move |_: MouseEvent| go())
    };
    let forget = {
        let go = act("forget", Action::SignOut { global: false });
        Callback::from(move |_: MouseEvent| go())
    };
    let skip = {
        let go = act("skip", Action::Skip);
        Callback::from(move |_: MouseEvent| go())
    };

    let on_deleted = {
        let (status, on_change) = (status.clone(), props.on_change.clone());
        let sessions = Rc::clone(&props.env.sessions);
        Callback::from(move |message: String| {
            // The account is gone: the stored session goes too (its revocation fails, the
            // user being deleted, and does not matter).
            let sessions = Rc::clone(&sessions);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = sessions.as_ref() {
                    let _ = s.sign_out(false).await;
                }
            });
            on_change.emit(None);
            status.set(Status::Done(message));
        })
    };

    let busy = status.busy();
    let refreshing = busy && *running == "refresh";
    let signing_out = busy && *running == "sign-out";
    let forgetting = busy && *running == "forget";
    let skipping = busy && *running == "skip";
    let on_emulator = props.env.backend == Backend::Emulator;
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
                { ", the app client, the token use; the session judges their expiry (on this \
                   page's clock, corrected for its drift from Cognito's) and refreshes them \
                   five minutes before it. Kept in " }
                <strong id="session-storage-used">{ props.env.settings.storage.key() }</strong>
                { "; never logged." }
            </p>
            <div class="tables">
                <ClaimsTable id="id-claims" title="ID token: who you are" claims={id} />
                <ClaimsTable
                    id="access-claims" title="Access token: what you may call" claims={access}
                />
            </div>
            <form id="refresh-form" onsubmit={refresh} aria-busy={refreshing.then_some("true")}>
                <div class="buttons">
                    <ActionButton
                        id="refresh-submit" label="Refresh the tokens now"
                        busy={refreshing} disabled={busy}
                    />
                    if on_emulator {
                        <ActionButton
                            id="skip-time" label="Skip 55 minutes (emulator)" secondary=true
                            onclick={skip} busy={skipping} disabled={busy}
                        />
                    }
                    <ActionButton
                        id="forget" label="Sign out here" secondary=true
                        onclick={forget} busy={forgetting} disabled={busy}
                    />
                    <ActionButton
                        id="sign-out" label="Sign out everywhere" secondary=true
                        onclick={sign_out} busy={signing_out} disabled={busy}
                    />
                </div>
            </form>
            <StatusLine id="session-status" status={(*status).clone()} />
            <Account
                key={current.username()} env={props.env.clone()} session={current.clone()}
                code={props.account_code.clone()} {on_deleted}
            />
            <Mfa key={current.username()} env={props.env.clone()} session={current.clone()} />
        </section>
    }
}

/// What a button of the session asks of the session client.
#[derive(Clone, Copy)]
enum Action {
    /// A refresh now (forced).
    Refresh,
    /// Sign-out: RevokeToken, or (`global`) GlobalSignOut.
    SignOut { global: bool },
    /// The emulator's clock and the page's moved 55 minutes on, then the session asked for.
    Skip,
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
