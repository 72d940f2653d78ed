//! Step 3: confirm the sign-up with the emailed code, or ask for a new one.

use yew::prelude::*;

use crate::components::field::Field;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    pub env: Env,
    /// Prefilled by the sign-up and by the mailbox's "Use this code".
    pub username: UseStateHandle<String>,
    pub code: UseStateHandle<String>,
    /// The confirmed username, to prefill the sign-in.
    pub on_confirmed: Callback<String>,
}

#[function_component]
pub fn Confirm(props: &ConfirmProps) -> Html {
    let status = use_state(Status::default);
    // Which of the two buttons started the running action.
    let resending = use_state(|| false);

    let onsubmit = {
        let (username, code, status, resending) = (
            props.username.clone(),
            props.code.clone(),
            status.clone(),
            resending.clone(),
        );
        let (settings, on_confirmed) = (props.env.settings.clone(), props.on_confirmed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if status.busy() {
                return;
            }
            resending.set(false);
            let (user, code) = (username.trim().to_owned(), code.trim().to_owned());
            let (settings, on_confirmed) = (settings.clone(), on_confirmed.clone());
            run(&status, async move {
                settings.client()?.confirm_sign_up(&user, &code).await?;
                on_confirmed.emit(user.clone());
                Ok(Status::Done(format!("Confirmed {user}. Now sign in.")))
            });
        })
    };
    let resend = {
        let (username, status, resending) =
            (props.username.clone(), status.clone(), resending.clone());
        let settings = props.env.settings.clone();
        Callback::from(move |_: MouseEvent| {
            if status.busy() {
                return;
            }
            resending.set(true);
            let user = username.trim().to_owned();
            let settings = settings.clone();
            run(&status, async move {
                let delivery = settings.client()?.resend_confirmation_code(&user).await?;
                let to = delivery
                    .destination
                    .unwrap_or_else(|| "the user's email".into());
                Ok(Status::Done(format!(
                    "A new code went to {to}. The old one no longer works."
                )))
            });
        })
    };
    let busy = status.busy();

    html! {
        <section aria-labelledby="confirm-title">
            <h2 id="confirm-title">{ "3. Confirm your email" }</h2>
            <form id="confirm-form" {onsubmit} aria-busy={busy.then_some("true")}>
                <Field
                    id="confirm-username" label="Username" value={props.username.clone()}
                    required=true autocomplete="username"
                />
                <Field
                    id="confirm-code" label="Code from the email" value={props.code.clone()}
                    required=true inputmode="numeric" autocomplete="one-time-code"
                />
                <div class="buttons">
                    <ActionButton
                        id="confirm-submit" label="Confirm"
                        busy={busy && !*resending} disabled={busy}
                    />
                    <ActionButton
                        id="confirm-resend" label="Resend code" secondary=true onclick={resend}
                        busy={busy && *resending} disabled={busy}
                    />
                </div>
            </form>
            <StatusLine id="confirm-status" status={(*status).clone()} />
        </section>
    }
}
