//! Step 2: sign up with username, email and password, the password checked live against the
//! pool's rules.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::field::Field;
use crate::components::rules::PasswordRules;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::{Backend, Env};

#[derive(Properties, PartialEq)]
pub struct SignUpProps {
    pub env: Env,
    /// The new username, to prefill the next steps.
    pub on_signed_up: Callback<String>,
}

#[function_component]
pub fn SignUp(props: &SignUpProps) -> Html {
    let username = use_state(String::new);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let show = use_state(|| false);
    let status = use_state(Status::default);

    let onsubmit = {
        let (username, email, password, status) = (
            username.clone(),
            email.clone(),
            password.clone(),
            status.clone(),
        );
        let (env, on_signed_up) = (props.env.clone(), props.on_signed_up.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (user, email, password) = (
                username.trim().to_owned(),
                email.trim().to_owned(),
                (*password).clone(),
            );
            let (settings, on_emulator) = (env.settings.clone(), env.backend == Backend::Emulator);
            let on_signed_up = on_signed_up.clone();
            run(&status, async move {
                let result = settings
                    .client()?
                    .sign_up(&user, &password, &[("email".to_owned(), email)])
                    .await?;
                on_signed_up.emit(user.clone());
                if result.user_confirmed {
                    return Ok(Status::Done(format!(
                        "Signed up {user}, already confirmed: sign in below."
                    )));
                }
                let to = result
                    .code_delivery
                    .and_then(|d| d.destination)
                    .unwrap_or_else(|| "your email".into());
                let where_ = if on_emulator {
                    " The emulator's Mailbox below shows it."
                } else {
                    ""
                };
                Ok(Status::Done(format!(
                    "Signed up {user}. A confirmation code went to {to}.{where_}"
                )))
            });
        })
    };
    let toggle = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            show.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };

    html! {
        <section aria-labelledby="sign-up-title">
            <h2 id="sign-up-title">{ "2. Sign up" }</h2>
            <form id="sign-up-form" {onsubmit} aria-busy={status.busy().then_some("true")}>
                <Field
                    id="sign-up-username" label="Username" value={username}
                    required=true autocomplete="username"
                />
                <Field
                    id="sign-up-email" label="Email" value={email}
                    kind="email" required=true autocomplete="email"
                />
                <Field
                    id="sign-up-password" label="Password" value={password.clone()}
                    kind={if *show { "text" } else { "password" }}
                    required=true autocomplete="new-password" describedby="sign-up-rules"
                />
                <div class="check indent">
                    <input type="checkbox" id="sign-up-show" checked={*show} onchange={toggle} />
                    <label for="sign-up-show">{ "Show the password" }</label>
                </div>
                <PasswordRules
                    id="sign-up-rules" policy={props.env.policy}
                    password={AttrValue::from((*password).clone())}
                    source={props.env.policy_note.clone()}
                />
                <ActionButton id="sign-up-submit" label="Sign up" busy={status.busy()} />
            </form>
            <StatusLine id="sign-up-status" status={(*status).clone()} />
        </section>
    }
}
