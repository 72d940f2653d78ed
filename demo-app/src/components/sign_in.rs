//! Step 4: sign in by SRP (the default: the password never leaves the page) or by password,
//! timing the sign-in. A challenge is a next step, not an error: `ChallengeForm` asks it.

use std::rc::Rc;

use cognito_wasm::Challenge;
use yew::prelude::*;

use crate::components::challenge::ChallengeForm;
use crate::components::field::Field;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;
use crate::errors::Failure;
use crate::session::{self, Flow, Session, SignedIn};

#[derive(Properties, PartialEq)]
pub struct SignInProps {
    pub env: Env,
    /// Prefilled by the sign-up and the confirmation.
    pub username: UseStateHandle<String>,
    /// Prefilled by the mailbox with an administrator's temporary password.
    pub password: UseStateHandle<String>,
    /// A challenge's code, prefilled by the mailbox.
    pub code: UseStateHandle<String>,
    pub on_signed_in: Callback<Session>,
}

#[function_component]
pub fn SignIn(props: &SignInProps) -> Html {
    let password = props.password.clone();
    let flow = use_state(|| Flow::Srp);
    let status = use_state(Status::default);
    // The challenge the sign-in is waiting on.
    let challenge = use_state(|| None::<Rc<Challenge>>);

    let onsubmit = {
        let (username, password, flow, status, pending) = (
            props.username.clone(),
            password.clone(),
            flow.clone(),
            status.clone(),
            challenge.clone(),
        );
        let code = props.code.clone();
        let (env, on_signed_in) = (props.env.clone(), props.on_signed_in.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (user, password, flow) = (username.trim().to_owned(), (*password).clone(), *flow);
            let (sessions, on_signed_in) = (Rc::clone(&env.sessions), on_signed_in.clone());
            let (pending, code) = (pending.clone(), code.clone());
            if !status.busy() {
                // A new sign-in: the challenge of the last one, if any, is over.
                pending.set(None);
            }
            run(&status, async move {
                let sessions = sessions.as_ref().as_ref().map_err(Failure::clone)?;
                let (outcome, ms) = session::sign_in(sessions, flow, &user, &password).await?;
                Ok(match outcome {
                    SignedIn::Session(s) => {
                        on_signed_in.emit(*s);
                        Status::Done(format!(
                            "Signed in with {} in {ms:.0} ms. \
                             The verified claims are under “5. Your session”.",
                            flow.name()
                        ))
                    }
                    SignedIn::Challenge(c) => {
                        let name = c.name.clone();
                        code.set(String::new());
                        pending.set(Some(Rc::new(*c)));
                        Status::Info(format!(
                            "Password proven with {} in {ms:.0} ms; Cognito asks for one more \
                             step before it gives tokens ({name}).",
                            flow.name()
                        ))
                    }
                })
            });
        })
    };
    let on_answered = {
        let (status, pending, code) = (status.clone(), challenge.clone(), props.code.clone());
        let on_signed_in = props.on_signed_in.clone();
        Callback::from(move |next: Rc<SignedIn>| match &*next {
            SignedIn::Session(s) => {
                pending.set(None);
                on_signed_in.emit((**s).clone());
                status.set(Status::Done(
                    "Signed in. The verified claims are under “5. Your session”.".into(),
                ));
            }
            SignedIn::Challenge(c) => {
                code.set(String::new());
                status.set(Status::Info(format!("One more step: {}.", c.name)));
                pending.set(Some(Rc::new((**c).clone())));
            }
        })
    };
    let radio = |value: Flow, id: &'static str, label: &'static str, hint: &'static str| {
        let flow_state = flow.clone();
        let onchange = Callback::from(move |_: Event| flow_state.set(value));
        html! {
            <div class="check">
                <input
                    type="radio" name="flow" id={id} checked={*flow == value} {onchange}
                    aria-describedby={format!("{id}-hint")}
                />
                <label for={id}><code>{ value.name() }</code>{ label }</label>
                <small class="hint" id={format!("{id}-hint")}>{ hint }</small>
            </div>
        }
    };

    html! {
        <section aria-labelledby="sign-in-title">
            <h2 id="sign-in-title">{ "4. Sign in" }</h2>
            <form id="sign-in-form" {onsubmit} aria-busy={status.busy().then_some("true")}>
                <Field
                    id="sign-in-username" label="Username" value={props.username.clone()}
                    required=true autocomplete="username"
                />
                <Field
                    id="sign-in-password" label="Password" value={password}
                    kind="password" required=true autocomplete="current-password"
                />
                <fieldset>
                    <legend>{ "How to prove the password" }</legend>
                    { radio(
                        Flow::Srp, "flow-srp", " (recommended)",
                        "SRP: the password never leaves this page.",
                    ) }
                    { radio(
                        Flow::Password, "flow-password", "",
                        "The password goes to Cognito (over TLS); the app client must allow it.",
                    ) }
                </fieldset>
                <ActionButton id="sign-in-submit" label="Sign in" busy={status.busy()} />
            </form>
            <StatusLine id="sign-in-status" status={(*status).clone()} />
            if let Some(c) = &*challenge {
                <ChallengeForm
                    key={c.session.clone().unwrap_or_default()} env={props.env.clone()}
                    challenge={Rc::clone(c)} code={props.code.clone()} {on_answered}
                />
            }
        </section>
    }
}
