//! The panel the Embed button beside the share link opens (`lab_controls.rs`): an iframe, a
//! script-tag embed and the `syslab run` command for exactly the lab's current state
//! (`syslab_core::embed::snippets`, built from the share link). Each box selects its whole
//! text when focused, ready to copy; no copy buttons, which would cost every page's bundle
//! more than the panel itself.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The three snippets for the share link `share_url`: drawn only while the panel is open, so
/// a playing lab does not rewrite them every frame behind a closed button. A plain function
/// rather than a component: a component type of its own cost every page's bundle more.
pub fn embed_panel(share_url: &str) -> Html {
    let Some(s) = syslab_core::embed::snippets(share_url) else {
        return html! {
            <div id="embed-panel" class="embed-panel" role="status">
                { "This page's link names no lab, so there is nothing to embed." }
            </div>
        };
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        area.select();
    });
    let row = |label: &'static str, id: &'static str, text: String| {
        html! {
            <label class="embed-row">
                { label }
                <textarea data-testid={id} readonly=true rows="3" value={text}
                    onfocus={select_all.clone()} spellcheck="false" />
            </label>
        }
    };
    html! {
        <div id="embed-panel" class="embed-panel">
            { row("iframe (click, then copy)", "embed-iframe", s.iframe) }
            { row("Script tag", "embed-script", s.script) }
            { row("The same numbers from the command line", "embed-cli", s.cli) }
        </div>
    }
}
