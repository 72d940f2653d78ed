//! A labelled input bound to a string state: every input of the app has a `<label for>`, and
//! hints are tied to their input with `aria-describedby`.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: UseStateHandle<String>,
    /// The input's `type`.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    /// A hint under the input.
    #[prop_or_default]
    pub hint: Option<Html>,
    /// Ids of further elements describing the input (password rules).
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let oninput = {
        let value = props.value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let hint_id = format!("{}-hint", props.id);
    let describedby: Vec<String> = props
        .hint
        .as_ref()
        .map(|_| hint_id.clone())
        .into_iter()
        .chain(props.describedby.as_ref().map(|d| d.to_string()))
        .collect();
    // Usernames, codes and URLs are not prose: no capitals, no spelling fixes.
    let plain = props.kind.as_str() != "email";
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input
                id={props.id.clone()}
                type={props.kind.clone()}
                value={(*props.value).clone()}
                {oninput}
                autocomplete={props.autocomplete.clone()}
                inputmode={props.inputmode.clone()}
                placeholder={props.placeholder.clone()}
                required={props.required}
                autocapitalize={plain.then_some("off")}
                spellcheck="false"
                aria-describedby={(!describedby.is_empty()).then(|| describedby.join(" "))}
            />
            if let Some(hint) = props.hint.clone() {
                <small class="hint" id={hint_id}>{ hint }</small>
            }
        </div>
    }
}
