//! Forgot your password? Ask for a reset code, then set a new password with it. Folded away
//! (a `<details>`) as it is off the practical's main path; the mailbox opens it for a reset code.

use yew::prelude::*;

use crate::components::field::Field;
use crate::components::rules::PasswordRules;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;

#[derive(Properties, PartialEq)]
pub struct ResetProps {
    pub env: Env,
    /// Prefilled by the mailbox's "Use this code".
    pub username: UseStateHandle<String>,
    pub code: UseStateHandle<String>,
}

#[function_component]
pub fn ResetPassword(props: &ResetProps) -> Html {
    let password = use_state(String::new);
    let send_status = use_state(Status::default);
    let status = use_state(Status::default);

    let send = {
        let (username, status) = (props.username.clone(), send_status.clone());
        let settings = props.env.settings.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (user, settings) = (username.trim().to_owned(), settings.clone());
            run(&status, async move {
                let delivery = settings.client()?.forgot_password(&user).await?;
                let to = delivery
                    .destination
                    .unwrap_or_else(|| "the user's email".into());
                Ok(Status::Done(format!(
                    "If {user} exists, a reset code went to {to}. Enter it below."
                )))
            });
        })
    };
    let confirm = {
        let (username, code, password, status) = (
            props.username.clone(),
            props.code.clone(),
            password.clone(),
            status.clone(),
        );
        let settings = props.env.settings.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (user, code, password) = (
                username.trim().to_owned(),
                code.trim().to_owned(),
                (*password).clone(),
            );
            let settings = settings.clone();
            run(&status, async move {
                settings
                    .client()?
                    .confirm_forgot_password(&user, &code, &password)
                    .await?;
                Ok(Status::Done(format!(
                    "The password of {user} is changed. Sign in with the new one."
                )))
            });
        })
    };

    let (sending, setting) = (send_status.busy(), status.busy());
    html! {
        <details id="reset">
            <summary>{ "Forgot your password?" }</summary>
            <form id="reset-request-form" onsubmit={send} aria-busy={sending.then_some("true")}>
                <Field
                    id="reset-username" label="Username" value={props.username.clone()}
                    required=true autocomplete="username"
                />
                <ActionButton id="reset-send" label="Send me a reset code" busy={sending} />
            </form>
            <StatusLine id="reset-send-status" status={(*send_status).clone()} />
            <form id="reset-form" onsubmit={confirm} aria-busy={setting.then_some("true")}>
                <Field
                    id="reset-code" label="Reset code" value={props.code.clone()}
                    required=true inputmode="numeric" autocomplete="one-time-code"
                />
                <Field
                    id="reset-password" label="New password" value={password.clone()}
                    kind="password" required=true autocomplete="new-password"
                    describedby="reset-rules"
                />
                <PasswordRules
                    id="reset-rules" policy={props.env.policy}
                    password={AttrValue::from((*password).clone())}
                    source={props.env.policy_note.clone()}
                />
                <ActionButton id="reset-submit" label="Set the new password" busy={setting} />
            </form>
            <StatusLine id="reset-status" status={(*status).clone()} />
        </details>
    }
}
