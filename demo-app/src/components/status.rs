//! Progress and outcome of an action: the action's button, and its status line.
//!
//! While an action runs its button says "Working…" and is `aria-disabled` (with `aria-busy`),
//! and further clicks or Enter presses are ignored. `aria-disabled` rather than `disabled`
//! because disabling the focused button throws the keyboard focus back to the top of the page.

use std::future::Future;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::errors::Failure;

/// Where an action stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Status {
    #[default]
    Idle,
    Working,
    /// It worked: what happened, in words.
    Done(String),
    /// Not an error, not the end either (a sign-in challenge).
    Info(String),
    Failed(Failure),
}

impl Status {
    pub fn busy(&self) -> bool {
        matches!(self, Status::Working)
    }
}

/// Runs `work`, showing "Working…" until it ends, then its outcome. Ignored if an action is
/// running already (a double click, Enter pressed twice).
pub fn run(
    status: &UseStateHandle<Status>,
    work: impl Future<Output = Result<Status, Failure>> + 'static,
) {
    if status.busy() {
        return;
    }
    status.set(Status::Working);
    let status = status.clone();
    spawn_local(async move {
        status.set(work.await.unwrap_or_else(Status::Failed));
    });
}

#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    pub status: Status,
    pub id: AttrValue,
}

/// The outcome of a form's actions, in a live region (present from the start, so screen
/// readers announce what appears in it). A failure shows plain words, then the error's name
/// for developers, then the raw message if it says more.
#[function_component]
pub fn StatusLine(props: &StatusLineProps) -> Html {
    let content = match &props.status {
        Status::Idle | Status::Working => html! {},
        Status::Done(m) => html! { <p class="ok">{ m }</p> },
        Status::Info(m) => html! { <p class="info">{ m }</p> },
        Status::Failed(f) => html! {
            <>
                <p class="error">
                    { f.plain() }{ " (" }<code class="error-name">{ &f.name }</code>{ ")" }
                </p>
                if let Some(detail) = f.detail() {
                    <p class="detail">{ "Details: " }{ detail }</p>
                }
            </>
        },
    };
    html! {
        <div class="status" id={props.id.clone()} role="status" aria-live="polite">
            { content }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionButtonProps {
    pub label: AttrValue,
    /// This button's action is running.
    #[prop_or_default]
    pub busy: bool,
    /// Another action of the form is running, or the button makes no sense now.
    #[prop_or_default]
    pub disabled: bool,
    /// A plain button with this handler; without one, the form's submit button.
    #[prop_or_default]
    pub onclick: Option<Callback<MouseEvent>>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub secondary: bool,
    /// An action that destroys something (deleting the account).
    #[prop_or_default]
    pub danger: bool,
}

/// A button that shows its action's progress.
#[function_component]
pub fn ActionButton(props: &ActionButtonProps) -> Html {
    let inert = props.busy || props.disabled;
    let kind = if props.onclick.is_some() {
        "button"
    } else {
        "submit"
    };
    let onclick = props.onclick.clone().map(|cb| {
        Callback::from(move |e: MouseEvent| {
            if !inert {
                cb.emit(e);
            }
        })
    });
    html! {
        <button
            type={kind}
            id={props.id.clone()}
            class={classes!(
                props.secondary.then_some("secondary"),
                props.danger.then_some("danger")
            )}
            aria-disabled={inert.then_some("true")}
            aria-busy={props.busy.then_some("true")}
            {onclick}
        >
            { if props.busy { "Working…" } else { props.label.as_str() } }
        </button>
    }
}
