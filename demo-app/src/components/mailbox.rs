//! The emulator sends no email: its outbox of "sent" codes, shown as a mailbox (newest first,
//! checked every 2 s), each with a button that puts the code where it belongs.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::emulator::{self, Mail};
use crate::errors::Failure;
use crate::time;

/// How often the outbox is read.
const POLL_MS: u32 = 2_000;
/// Rows shown: the newest matter.
const SHOWN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct MailboxProps {
    pub endpoint: AttrValue,
    pub pool_id: AttrValue,
    /// "Use this code".
    pub on_use: Callback<Mail>,
}

#[function_component]
pub fn Mailbox(props: &MailboxProps) -> Html {
    let mails = use_state_eq(|| None::<Vec<Mail>>);
    let error = use_state_eq(|| None::<Failure>);

    {
        let (mails, error) = (mails.clone(), error.clone());
        use_effect_with(
            (props.endpoint.clone(), props.pool_id.clone()),
            move |(endpoint, pool_id)| {
                // One read at a time: a slow answer must not pile requests up.
                let in_flight = Rc::new(Cell::new(false));
                let live = Rc::new(Cell::new(true));
                let poll = {
                    let (endpoint, pool_id, live) =
                        (endpoint.clone(), pool_id.clone(), live.clone());
                    move || {
                        if in_flight.replace(true) {
                            return;
                        }
                        let (endpoint, pool_id, live, in_flight) = (
                            endpoint.clone(),
                            pool_id.clone(),
                            live.clone(),
                            in_flight.clone(),
                        );
                        let (mails, error) = (mails.clone(), error.clone());
                        spawn_local(async move {
                            let result = emulator::outbox(&endpoint, &pool_id).await;
                            in_flight.set(false);
                            if !live.get() {
                                return;
                            }
                            match result {
                                Ok(m) => {
                                    mails.set(Some(m));
                                    error.set(None);
                                }
                                Err(f) => error.set(Some(f)),
                            }
                        });
                    }
                };
                poll();
                let interval = Interval::new(POLL_MS, poll);
                move || {
                    live.set(false);
                    drop(interval);
                }
            },
        );
    }

    let rows = mails.as_ref().map(|m| {
        m.iter()
            .take(SHOWN)
            .map(|mail| {
                let on_use = props.on_use.clone();
                let m = mail.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_use.emit(m.clone()));
                // The visible words first (what voice control users say), then which code.
                let label = format!("Use this code: {} for {}", mail.code, mail.username);
                html! {
                    <tr key={format!("{}-{}-{}", mail.sent_at, mail.kind, mail.code)}>
                        <td class="kind">{ mail.kind_text() }</td>
                        <td class="to">
                            { &mail.destination }
                            // The username is what "Use this code" fills in: shown when the
                            // address does not already say it.
                            if !mail.destination.starts_with(&format!("{}@", mail.username)) {
                                <br /><small>{ "user " }{ &mail.username }</small>
                            }
                        </td>
                        <td class="code-cell"><code class="code">{ &mail.code }</code></td>
                        <td class="sent"><time>{ time::local_time(mail.sent_at) }</time></td>
                        <td class="use">
                            <button
                                type="button" class="secondary use-code" {onclick}
                                aria-label={label}
                            >
                                { "Use this code" }
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let total = mails.as_ref().map_or(0, Vec::len);
    let newest = mails
        .as_ref()
        .and_then(|m| m.first())
        .map(|m| format!("Newest mail: {} for {}.", m.kind_text(), m.username))
        .unwrap_or_default();

    html! {
        <section class="mailbox" id="mailbox" aria-labelledby="mailbox-title">
            <h2 id="mailbox-title">{ "Mailbox " }<small>{ "(local emulator only)" }</small></h2>
            <p class="hint">
                { "The emulator sends no email: the codes it would have sent land here (checked \
                   every 2 s). With real Cognito they arrive by email." }
            </p>
            <p class="visually-hidden" aria-live="polite">{ newest }</p>
            if let Some(f) = &*error {
                <p class="error">{ "The mailbox cannot be read right now: " }{ f.plain() }
                    { " (" }<code class="error-name">{ &f.name }</code>{ ")" }</p>
            }
            if mails.is_none() && error.is_none() {
                <p>{ "Opening the mailbox…" }</p>
            } else if total == 0 && error.is_none() {
                <p>{ "No codes yet. Sign up, and the confirmation code shows up here." }</p>
            }
            if let Some(rows) = rows.filter(|_| total > 0) {
                <div class="table-wrap">
                    <table id="mailbox-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "Kind" }</th>
                                <th scope="col">{ "To" }</th>
                                <th scope="col">{ "Code" }</th>
                                <th scope="col">{ "Sent" }</th>
                                <th scope="col">
                                    <span class="visually-hidden">{ "Action" }</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{ rows }</tbody>
                    </table>
                </div>
                if total > SHOWN {
                    <p class="hint">{ format!("The {SHOWN} newest of {total}.") }</p>
                }
            }
        </section>
    }
}
