//! A button that copies a text to the clipboard, or, where there is no clipboard (plain http
//! away from localhost, a sandboxed frame, a refused permission), focuses and selects the field
//! that shows the text so the reader can copy it by hand. Used by the share link and the embed
//! snippets.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct CopyButtonProps {
    /// What to copy.
    pub text: String,
    /// The input or textarea that shows it (selected when the copy fails).
    pub field: NodeRef,
    /// The button's label before a copy.
    pub label: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    // None: not tried; Some(true): the browser confirmed; Some(false): select by hand.
    let copied = use_state(|| None::<bool>);
    let onclick = {
        let (text, copied, field) = (props.text.clone(), copied.clone(), props.field.clone());
        move |_: MouseEvent| {
            let (text, copied, field) = (text.clone(), copied.clone(), field.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ok = crate::dom::copy_to_clipboard(&text).await;
                if !ok && let Some(el) = field.get() {
                    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                        let _ = input.focus();
                        input.select();
                    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
                        let _ = area.focus();
                        area.select();
                    }
                }
                copied.set(Some(ok));
            });
        }
    };
    html! {
        <button class={props.class.clone()} data-testid={props.testid.clone()} {onclick} aria-live="polite">
            { match *copied {
                Some(true) => "Copied ✓",
                Some(false) => "Press Ctrl+C to copy",
                None => props.label.as_str(),
            } }
        </button>
    }
}
