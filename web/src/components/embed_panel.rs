//! The panel the Embed button beside the share link opens (`lab_controls.rs`): an iframe, a script-tag
//! embed and the `syslab run` command for exactly the lab's current state
//! (`syslab_core::embed::snippets`, built from the share link), each with a copy button.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct EmbedPanelProps {
    /// The absolute link to the lab's current state.
    pub share_url: AttrValue,
}

/// The three snippets; built only while the panel is shown, so a playing lab does not
/// rewrite them every frame behind a closed button.
#[function_component(EmbedPanel)]
pub fn embed_panel(props: &EmbedPanelProps) -> Html {
    let copied = use_state(|| None::<&'static str>);
    let Some(s) = syslab_core::embed::snippets(&props.share_url) else {
        return html! {
            <div id="embed-panel" class="embed-panel" role="status">
                { "This page's link names no lab, so there is nothing to embed." }
            </div>
        };
    };
    let row = |label: &'static str, id: &'static str, text: String, rows: u32| {
        let node = NodeRef::default();
        let onclick = {
            let (copied, node, text) = (copied.clone(), node.clone(), text.clone());
            move |_: MouseEvent| {
                let (copied, node, text) = (copied.clone(), node.clone(), text.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if crate::dom::copy_to_clipboard(&text).await {
                        copied.set(Some(id));
                    } else if let Some(area) = node.cast::<HtmlTextAreaElement>() {
                        let _ = area.focus();
                        area.select();
                        copied.set(None);
                    }
                });
            }
        };
        let select_all = |e: FocusEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            area.select();
        };
        html! {
            <div class="embed-row">
                <label for={id}>{ label }</label>
                <textarea id={id} data-testid={id} readonly=true rows={rows.to_string()} ref={node}
                    value={text} onfocus={select_all} spellcheck="false" />
                <button data-testid={format!("{id}-copy")} onclick={onclick} aria-live="polite">
                    { if *copied == Some(id) { "Copied ✓" } else { "Copy" } }
                </button>
            </div>
        }
    };
    html! {
        <div id="embed-panel" class="embed-panel">
            { row("iframe", "embed-iframe", s.iframe, 3) }
            { row("Script tag", "embed-script", s.script, 3) }
            { row("Same numbers from the command line", "embed-cli", s.cli, 2) }
        </div>
    }
}
