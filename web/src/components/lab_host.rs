//! Turns a lab id and URL parameters into a mounted lab, in any of the three page modes.

use yew::prelude::*;

use crate::bundle::Bundle;
use crate::components::notices::Notices;
use crate::hooks::use_inline_styles::use_inline_styles;
use crate::state::session::StoryRequest;

/// Where a lab is mounted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The full site: the lab keeps the address bar in sync with its state.
    Site,
    /// `embed.html` in an iframe: no site chrome, a link back to the playground.
    Frame,
    /// A script-tag embed inside someone else's page.
    Inline,
}

#[derive(Properties, PartialEq, Clone)]
pub struct LabHostProps {
    /// The lab's id, as in the registry.
    pub lab: String,
    /// URL parameters or `data-*` attributes.
    pub params: Vec<(String, String)>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// The labs this page's wasm links.
    pub bundle: Bundle,
}

#[function_component(LabHost)]
pub fn lab_host(props: &LabHostProps) -> Html {
    // Every lab draws its computed styles through `data-style` (see the hook), so the pages
    // work under a Content-Security-Policy without 'unsafe-inline'.
    let root = use_node_ref();
    use_inline_styles(root.clone());
    let wrapper = match props.mode {
        Mode::Site => "syslab lab-host",
        Mode::Frame => "syslab lab-host embedded frame",
        Mode::Inline => "syslab lab-host embedded inline",
    };
    let theme = props
        .params
        .iter()
        .find(|(k, _)| k == "theme")
        .map(|(_, v)| v.clone())
        .filter(|v| v == "light" || v == "dark");
    let story = StoryRequest::from_params(&props.params);
    let body = match props.bundle.entry(&props.lab) {
        Some(entry) => html! {
            <ContextProvider<StoryRequest> context={story}>{ (entry.mount)(props) }</ContextProvider<StoryRequest>>
        },
        None => html! {
            <Notices notices={vec![syslab_core::Notice::new("lab", missing(&props.lab, props.bundle))]} error={None::<String>} />
        },
    };
    html! { <div ref={root} class={wrapper} data-theme={theme}>{ body }</div> }
}

/// Why this page cannot show lab `id`: not a lab, not in the browser yet, or (when a page mixes
/// up its loaders) not in this page's bundle.
fn missing(id: &str, bundle: Bundle) -> String {
    match syslab_core::lab_info(id) {
        Some(lab) if lab.status == syslab_core::LabStatus::Ready => format!(
            "{} ({id}) is not part of this page's syslab bundle ({}); open it at its own address.",
            lab.title, bundle.name
        ),
        _ => syslab_core::not_a_lab(id).to_string(),
    }
}
