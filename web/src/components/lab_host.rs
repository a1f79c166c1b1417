//! Turns a lab id and URL parameters into a mounted lab, in any of the three page modes.

use yew::prelude::*;

use crate::bundle::{Bundle, LabArgs};
use crate::components::notices::Notices;
use syslab_core::Scenario;

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
    let parsed = use_memo(
        (props.lab.clone(), props.params.clone()),
        |(lab, params)| Scenario::from_params(lab, params),
    );
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
    let body = match &*parsed {
        Ok((scenario, notices)) => match props.bundle.entry(scenario.lab_id()) {
            Some(entry) => (entry.render)(LabArgs {
                scenario: scenario.clone(),
                notices: notices.clone(),
                host: props,
            }),
            // The loaders pick the bundle from the lab id, so this only happens when a page
            // mixes them up; say so rather than show nothing.
            None => html! {
                <p class="notice" data-testid="notice" role="alert">
                    { format!("The {} lab is not part of this page's syslab bundle ({}); open it at its own address.", scenario.lab_id(), props.bundle.name) }
                </p>
            },
        },
        Err(err) => html! {
            <Notices notices={vec![syslab_core::Notice::new("lab", err.to_string())]} error={None::<String>} />
        },
    };
    html! { <div class={wrapper} data-theme={theme}>{ body }</div> }
}
