//! On the emulator only: a user made as an administrator makes one (AdminCreateUser), with a
//! temporary password that lands in the Mailbox. Signing in with it is answered
//! NEW_PASSWORD_REQUIRED, the path every admin-created user takes on first sign-in.

use yew::prelude::*;

use crate::components::field::Field;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::emulator;
use crate::env::Env;

#[derive(Properties, PartialEq)]
pub struct AdminUserProps {
    pub env: Env,
    /// The user was created: their username, for the sign-in.
    pub on_created: Callback<String>,
}

#[function_component]
pub fn AdminUser(props: &AdminUserProps) -> Html {
    let username = use_state(String::new);
    let status = use_state(Status::default);
    let onsubmit = {
        let (username, status) = (username.clone(), status.clone());
        let (settings, on_created) = (props.env.settings.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let user = username.trim().to_owned();
            let (settings, on_created) = (settings.clone(), on_created.clone());
            run(&status, async move {
                let endpoint = settings.endpoint().unwrap_or_default().to_owned();
                let email = format!("{user}@example.com");
                emulator::admin_create_user(&endpoint, &settings.pool_id, &user, &email).await?;
                on_created.emit(user.clone());
                Ok(Status::Done(format!(
                    "Created {user} ({email}) with a temporary password: it is in the Mailbox. \
                     Sign in with it under “4. Sign in” to choose a new one."
                )))
            });
        })
    };
    html! {
        <details class="admin-user" id="admin-user">
            <summary>{ "Create a user as an administrator (emulator)" }</summary>
            <form id="admin-user-form" {onsubmit}>
                <p class="hint">
                    { "AdminCreateUser, which on AWS needs an administrator's credentials: the \
                       emulator takes its admin header instead. The user starts in \
                       FORCE_CHANGE_PASSWORD." }
                </p>
                <Field
                    id="admin-username" label="Username" value={username} required=true
                    autocomplete="off"
                />
                <ActionButton id="admin-create" label="Create the user" busy={status.busy()} />
            </form>
            <StatusLine id="admin-user-status" status={(*status).clone()} />
        </details>
    }
}
