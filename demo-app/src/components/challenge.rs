//! Step 4's second half: the challenge Cognito answered a sign-in with, asked as what it is
//! (`Challenge::step`): a new password (and the required attributes the user lacks), a code
//! sent by text or email, a code of the authenticator app, which factor to use, or an
//! authenticator app to set up first. Each answer goes through `confirm_sign_in`; it ends in
//! tokens, or in the next challenge, shown in turn.

use std::collections::BTreeMap;
use std::rc::Rc;

use cognito_wasm::{Challenge, ChallengeStep};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::authenticator::AuthenticatorKey;
use crate::components::field::Field;
use crate::components::mfa::factor_words;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;
use crate::errors::Failure;
use crate::session::{self, SignedIn};

/// The name VerifySoftwareToken gives the app (Cognito shows it to administrators).
const DEVICE_NAME: &str = "cognito-wasm demo";

#[derive(Properties, PartialEq)]
pub struct ChallengeFormProps {
    pub env: Env,
    pub challenge: Rc<Challenge>,
    /// The code, prefilled by the mailbox's "Use this code" (SMS_MFA, EMAIL_OTP).
    pub code: UseStateHandle<String>,
    /// What an answer came to: the session, or the next challenge.
    pub on_answered: Callback<Rc<SignedIn>>,
}

/// MFA_SETUP's authenticator app, once associated: its key, and the session that carries it
/// (once the app is verified, the session that answers the challenge: a retry after a failed
/// answer goes straight to it, as the code is spent).
#[derive(Clone, PartialEq)]
struct Setup {
    secret: String,
    session: Option<String>,
    verified: bool,
}

#[function_component]
pub fn ChallengeForm(props: &ChallengeFormProps) -> Html {
    let status = use_state(Status::default);
    let new_password = use_state(String::new);
    let attributes = use_state(BTreeMap::<String, String>::new);
    let setup = use_state(|| None::<Setup>);
    // The code field, once the key it is for is shown (after the render that shows it).
    use_effect_with(setup.is_some(), |shown| {
        if *shown {
            crate::components::focus("challenge-code");
        }
    });
    let challenge = Rc::clone(&props.challenge);
    let user = challenge
        .parameter("USERNAME")
        .or_else(|| challenge.parameter("USER_ID_FOR_SRP"))
        .unwrap_or_default()
        .to_owned();

    // Sends `answer` (with `attributes`) to the challenge `to`.
    let send = {
        let (status, sessions) = (status.clone(), Rc::clone(&props.env.sessions));
        let on_answered = props.on_answered.clone();
        move |to: Rc<Challenge>, answer: Option<String>, attributes: Vec<(String, String)>| {
            let (sessions, on_answered) = (Rc::clone(&sessions), on_answered.clone());
            run(&status, async move {
                let sessions = sessions.as_ref().as_ref().map_err(Failure::clone)?;
                let next = session::answer(sessions, &to, answer.as_deref(), &attributes).await?;
                on_answered.emit(Rc::new(next));
                Ok(Status::Idle)
            });
        }
    };

    let step = match challenge.step() {
        Ok(step) => step,
        Err(e) => {
            let failure = Failure::from(e);
            return html! {
                <div id="challenge">
                    <StatusLine id="challenge-status" status={Status::Failed(failure)} />
                </div>
            };
        }
    };
    let busy = status.busy();
    let code_field = |label: &'static str, hint: String| {
        html! {
            <Field
                id="challenge-code" label={label} value={props.code.clone()} required=true
                autocomplete="one-time-code" inputmode="numeric" hint={html! { hint }}
            />
        }
    };
    // `attrs`: NEW_PASSWORD_REQUIRED's attributes go along, and the answer (a password) is
    // sent as typed; a code is trimmed.
    let submit_with = |answer: UseStateHandle<String>, attrs: bool| {
        let (send, challenge, attributes) =
            (send.clone(), Rc::clone(&challenge), attributes.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let given = if attrs {
                attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            } else {
                Vec::new()
            };
            let answer = if attrs {
                (*answer).clone()
            } else {
                answer.trim().to_owned()
            };
            send(Rc::clone(&challenge), Some(answer), given);
        })
    };

    let (title, body) = match step {
        ChallengeStep::NewPasswordRequired {
            required_attributes,
            ..
        } => {
            let inputs = required_attributes
                .iter()
                .map(|name| {
                    let attributes = attributes.clone();
                    let key = name.clone();
                    let oninput = Callback::from(move |e: InputEvent| {
                        let value = e.target_unchecked_into::<HtmlInputElement>().value();
                        let mut next = (*attributes).clone();
                        next.insert(key.clone(), value);
                        attributes.set(next);
                    });
                    let id = format!("challenge-attribute-{name}");
                    html! {
                        <div class="field" key={name.clone()}>
                            <label for={id.clone()}>{ name.clone() }</label>
                            <input id={id} required=true {oninput} autocapitalize="off" />
                        </div>
                    }
                })
                .collect::<Html>();
            (
                "Choose a new password",
                html! {
                    <form id="challenge-form" onsubmit={submit_with(new_password.clone(), true)}>
                        <p>
                            { "Your account was made with a temporary password: choose your \
                               own (NEW_PASSWORD_REQUIRED)." }
                            if !required_attributes.is_empty() {
                                { " The pool also needs these details." }
                            }
                        </p>
                        <Field
                            id="challenge-new-password" label="New password" kind="password"
                            value={new_password.clone()} required=true autocomplete="new-password"
                        />
                        { inputs }
                        <ActionButton id="challenge-submit" label="Set the password" {busy} />
                    </form>
                },
            )
        }
        ChallengeStep::SmsMfa { destination } | ChallengeStep::EmailOtp { destination } => {
            let by = if challenge.name == "SMS_MFA" {
                "text message"
            } else {
                "email"
            };
            let to = destination.unwrap_or_else(|| "you".into());
            (
                "Enter the code we sent",
                html! {
                    <form id="challenge-form" onsubmit={submit_with(props.code.clone(), false)}>
                        { code_field("Code", format!("Sent by {by} to {to} ({}).", challenge.name)) }
                        <ActionButton id="challenge-submit" label="Sign in" {busy} />
                    </form>
                },
            )
        }
        ChallengeStep::SoftwareTokenMfa => (
            "Enter your authenticator app's code",
            html! {
                <form id="challenge-form" onsubmit={submit_with(props.code.clone(), false)}>
                    { code_field("Code", "The six digits your authenticator app shows now (SOFTWARE_TOKEN_MFA).".into()) }
                    <ActionButton id="challenge-submit" label="Sign in" {busy} />
                </form>
            },
        ),
        ChallengeStep::SelectMfaType { allowed } => {
            let buttons = allowed
                .iter()
                .map(|factor| {
                    let (send, challenge) = (send.clone(), Rc::clone(&challenge));
                    let answer = factor.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        send(Rc::clone(&challenge), Some(answer.clone()), Vec::new())
                    });
                    html! {
                        <ActionButton
                            key={factor.clone()} id={format!("choose-{factor}")}
                            label={factor_words(factor)} secondary=true {onclick} disabled={busy}
                        />
                    }
                })
                .collect::<Html>();
            (
                "Choose how to confirm it is you",
                html! {
                    <div id="challenge-form">
                        <p>{ "Your account has more than one second factor, and none is preferred (SELECT_MFA_TYPE)." }</p>
                        <div class="buttons">{ buttons }</div>
                    </div>
                },
            )
        }
        ChallengeStep::MfaSetup { allowed } => {
            let start = {
                let (status, setup, settings) =
                    (status.clone(), setup.clone(), props.env.settings.clone());
                let session = challenge.session.clone();
                Callback::from(move |_: MouseEvent| {
                    let (setup, settings, session) =
                        (setup.clone(), settings.clone(), session.clone());
                    run(&status, async move {
                        let key = settings
                            .client()?
                            .associate_software_token(None, session.as_deref())
                            .await?;
                        setup.set(Some(Setup {
                            secret: key.secret_code.unwrap_or_default(),
                            session: key.session,
                            verified: false,
                        }));
                        Ok(Status::Idle)
                    });
                })
            };
            let verify = {
                let (status, setup, code) = (status.clone(), setup.clone(), props.code.clone());
                let (settings, sessions) =
                    (props.env.settings.clone(), Rc::clone(&props.env.sessions));
                let (challenge, on_answered) = (Rc::clone(&challenge), props.on_answered.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(current) = (*setup).clone() else {
                        return;
                    };
                    let (settings, sessions) = (settings.clone(), Rc::clone(&sessions));
                    let (challenge, on_answered) = (Rc::clone(&challenge), on_answered.clone());
                    let code = code.trim().to_owned();
                    let setup = setup.clone();
                    run(&status, async move {
                        let session = if current.verified {
                            current.session.clone()
                        } else {
                            let verified = settings
                                .client()?
                                .verify_software_token(
                                    None,
                                    current.session.as_deref(),
                                    &code,
                                    Some(DEVICE_NAME),
                                )
                                .await?;
                            setup.set(Some(Setup {
                                session: verified.session.clone(),
                                verified: true,
                                ..current
                            }));
                            verified.session
                        };
                        // The answer to MFA_SETUP is the session VerifySoftwareToken renewed.
                        let answered = Challenge {
                            session,
                            ..(*challenge).clone()
                        };
                        let sessions = sessions.as_ref().as_ref().map_err(Failure::clone)?;
                        let next = session::answer(sessions, &answered, None, &[]).await?;
                        on_answered.emit(Rc::new(next));
                        Ok(Status::Idle)
                    });
                })
            };
            let can_app = allowed.iter().any(|f| f == "SOFTWARE_TOKEN_MFA");
            (
                "Set up two-factor sign-in",
                html! {
                    <div id="challenge-form">
                        <p>
                            { "This pool requires a second factor, and your account has none yet \
                               (MFA_SETUP). Set up an authenticator app." }
                        </p>
                        if let Some(current) = &*setup {
                            <AuthenticatorKey secret={current.secret.clone()} account={user.clone()} />
                            <form id="challenge-setup-form" onsubmit={verify}>
                                { code_field("Code from the app", "Six digits; they change every 30 seconds.".into()) }
                                <ActionButton id="challenge-submit" label="Verify and sign in" {busy} />
                            </form>
                        } else if can_app {
                            <ActionButton
                                id="challenge-setup" label="Set up an authenticator app"
                                onclick={start} {busy}
                            />
                        } else {
                            <p class="error">{ format!("This demo sets up an authenticator app; the pool allows {}.", allowed.join(", ")) }</p>
                        }
                    </div>
                },
            )
        }
        _ => (
            "One more step",
            html! {
                <p id="challenge-form">
                    { format!(
                        "Cognito asks for {}, which this demo does not answer (the library's \
                         respond_to_challenge can).",
                        challenge.name
                    ) }
                </p>
            },
        ),
    };

    html! {
        <div id="challenge" class="challenge" data-challenge={challenge.name.clone()}>
            <h3 id="challenge-title">{ title }</h3>
            { body }
            <StatusLine id="challenge-status" status={(*status).clone()} />
        </div>
    }
}
