//! Part of step 5: the signed-in user's own account. Change the email (Cognito sends a code to
//! the new address, the Mailbox shows it; in the practical's pool the old address stays, and
//! stays verified, until the new one is), and delete the account.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::field::Field;
use crate::components::focus;
use crate::components::status::{run, ActionButton, Status, StatusLine};
use crate::env::Env;
use crate::session::Session;

#[derive(Properties, PartialEq)]
pub struct AccountProps {
    pub env: Env,
    pub session: Rc<Session>,
    /// The code for the new email, prefilled by the mailbox's "Use this code".
    pub code: UseStateHandle<String>,
    /// The account is gone: the message to show, and the session to forget.
    pub on_deleted: Callback<String>,
}

#[function_component]
pub fn Account(props: &AccountProps) -> Html {
    let status = use_state(Status::default);
    let new_email = use_state(String::new);
    // The address waiting for its code, once one went out.
    let pending = use_state(|| None::<String>);
    // The account's email as GetUser last told it (the ID token's until then).
    let email = use_state(|| props.session.id.email.clone());
    let confirming = use_state(|| false);
    // Which action is running: "email", "verify" or "delete".
    let running = use_state(|| "");
    let access = props.session.tokens.access_token.clone();
    let settings = props.env.settings.clone();

    let change = {
        let (status, running, new_email, pending, email) = (
            status.clone(),
            running.clone(),
            new_email.clone(),
            pending.clone(),
            email.clone(),
        );
        let (settings, access) = (settings.clone(), access.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if status.busy() {
                return;
            }
            running.set("email");
            let (settings, access, pending, email) = (
                settings.clone(),
                access.clone(),
                pending.clone(),
                email.clone(),
            );
            let address = new_email.trim().to_owned();
            run(&status, async move {
                let change = [("email".to_owned(), address.clone())];
                let client = settings.client()?;
                let sent = client.update_user_attributes(&access, &change).await?;
                // A pool that does not verify email sends no code: the change is done.
                let Some(to) = sent.first().map(|d| d.destination.clone()) else {
                    email.set(Some(address.clone()));
                    return Ok(Status::Done(format!(
                        "Your email is now {address} (this pool sends no code to verify it)."
                    )));
                };
                let to = to.unwrap_or_else(|| address.clone());
                pending.set(Some(address.clone()));
                focus("email-code");
                let me = client.get_user(&access).await?;
                let now = me.attribute("email").map(str::to_owned);
                email.set(now.clone());
                let stays = match now.filter(|e| *e != address) {
                    Some(old) => format!(" Until you enter it, your email stays {old}."),
                    None => String::new(),
                };
                Ok(Status::Done(format!("A code went to {to}.{stays}")))
            });
        })
    };
    let verify = {
        let (status, running, code, pending, email) = (
            status.clone(),
            running.clone(),
            props.code.clone(),
            pending.clone(),
            email.clone(),
        );
        let (settings, access) = (settings.clone(), access.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if status.busy() {
                return;
            }
            running.set("verify");
            let (settings, access, pending, email) = (
                settings.clone(),
                access.clone(),
                pending.clone(),
                email.clone(),
            );
            let code = code.trim().to_owned();
            run(&status, async move {
                let client = settings.client()?;
                client
                    .verify_user_attribute(&access, "email", &code)
                    .await?;
                let me = client.get_user(&access).await?;
                let now = me.attribute("email").unwrap_or_default().to_owned();
                email.set(Some(now.clone()));
                pending.set(None);
                Ok(Status::Done(format!(
                    "Verified: your email is now {now}. The ID token above shows the old \
                     one until the tokens are refreshed."
                )))
            });
        })
    };
    let ask = {
        let (status, confirming) = (status.clone(), confirming.clone());
        Callback::from(move |_: MouseEvent| {
            if !status.busy() {
                confirming.set(!*confirming);
            }
        })
    };
    let delete = {
        let (status, running, confirming) = (status.clone(), running.clone(), confirming.clone());
        let (settings, access, on_deleted) =
            (settings.clone(), access.clone(), props.on_deleted.clone());
        let who = props.session.username();
        Callback::from(move |_: MouseEvent| {
            if status.busy() {
                return;
            }
            running.set("delete");
            let (settings, access, on_deleted, confirming, who) = (
                settings.clone(),
                access.clone(),
                on_deleted.clone(),
                confirming.clone(),
                who.clone(),
            );
            run(&status, async move {
                settings.client()?.delete_user(&access).await?;
                confirming.set(false);
                on_deleted.emit(format!(
                    "Deleted {who}: the account is gone and every session of it has ended."
                ));
                Ok(Status::Idle)
            });
        })
    };

    let busy = status.busy();
    let who = props.session.username();
    html! {
        <section aria-labelledby="account-title" class="account">
            <h3 id="account-title">{ "Your account" }</h3>
            <p id="account-email">
                { "Email: " }
                <strong>{ (*email).clone().unwrap_or_else(|| "none".into()) }</strong>
                if let Some(p) = &*pending { { format!(" (waiting for the code sent to {p})") } }
            </p>
            <form id="email-form" onsubmit={change} aria-busy={(busy && *running == "email").then_some("true")}>
                <Field
                    id="email-new" label="New email" value={new_email} kind="email"
                    required=true autocomplete="email"
                />
                <div class="buttons">
                    <ActionButton
                        id="email-submit" label="Send a code to it"
                        busy={busy && *running == "email"} disabled={busy}
                    />
                </div>
            </form>
            <form id="email-verify-form" onsubmit={verify} aria-busy={(busy && *running == "verify").then_some("true")}>
                <Field
                    id="email-code" label="Code for the new email" value={props.code.clone()}
                    required=true inputmode="numeric" autocomplete="one-time-code"
                />
                <div class="buttons">
                    <ActionButton
                        id="email-verify" label="Verify the new email"
                        busy={busy && *running == "verify"} disabled={busy}
                    />
                </div>
            </form>
            <div class="buttons">
                <ActionButton
                    id="delete-account" label="Delete my account" secondary=true
                    onclick={ask} disabled={busy}
                />
            </div>
            if *confirming {
                <div class="confirm-delete" role="alertdialog" aria-labelledby="delete-question">
                    <p id="delete-question">
                        { format!("Delete {who} for good? Every session ends; this cannot be undone.") }
                    </p>
                    <div class="buttons">
                        <ActionButton
                            id="delete-confirm" label="Yes, delete it" danger=true
                            onclick={delete} busy={busy && *running == "delete"} disabled={busy}
                        />
                    </div>
                </div>
            }
            <StatusLine id="account-status" status={(*status).clone()} />
        </section>
    }
}
