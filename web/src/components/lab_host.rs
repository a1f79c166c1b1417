//! Turns a lab id and URL parameters into a mounted lab, in any of the three page modes.

use yew::prelude::*;

use crate::components::notices::Notices;
use crate::components::ring_lab::RingLabView;
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
    let bench = props
        .params
        .iter()
        .any(|(k, v)| k == "bench" && v == "drag");
    let key = props
        .params
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.clone());
    let body = match &*parsed {
        Ok((Scenario::Ring(scenario), notices)) => html! {
            <RingLabView
                scenario={scenario.clone()}
                notices={notices.clone()}
                mode={props.mode}
                base={props.base.clone()}
                bench={bench}
                selected_key={key}
            />
        },
        // The rate-limiter lab's component is built and tested (`RateLimitLabView`) but not
        // linked into the site yet: with it the bundle is 242 KB gzipped, over the 200 KB
        // budget, until labs are split into bundles loaded on demand.
        Ok((Scenario::RateLimiter(_), _)) => html! {
            <p class="notice" data-testid="notice" role="status">
                { "The rate-limiter lab is coming soon; its simulation already runs in the syslab CLI: syslab example rate-limiter | syslab run -" }
            </p>
        },
        // The load-balancer lab has its core, view model and CLI; its site component comes later.
        Ok((Scenario::LoadBalancer(_), _)) => html! {
            <p class="notice" data-testid="notice" role="status">
                { "The load-balancer lab is coming soon; its simulation already runs in the syslab CLI: syslab example load-balancer | syslab run -" }
            </p>
        },
        Err(err) => html! {
            <Notices notices={vec![syslab_core::Notice::new("lab", err.to_string())]} error={None::<String>} />
        },
    };
    html! { <div class={wrapper} data-theme={theme}>{ body }</div> }
}
