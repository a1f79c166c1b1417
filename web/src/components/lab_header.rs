//! A lab's heading: title and summary on the site, a compact title with a link to the full
//! playground in embeds.

use yew::prelude::*;

use crate::components::lab_host::Mode;

#[derive(Properties, PartialEq, Clone)]
pub struct LabHeaderProps {
    pub title: AttrValue,
    /// One or two sentences on what the lab shows (site only).
    pub summary: AttrValue,
    pub mode: Mode,
    /// Where "Open in syslab" leads in embeds.
    pub share_url: AttrValue,
}

#[function_component(LabHeader)]
pub fn lab_header(props: &LabHeaderProps) -> Html {
    match props.mode {
        Mode::Site => html! {
            <div class="lab-head">
                <h1>{ &props.title }</h1>
                <p class="lab-summary">{ &props.summary }</p>
            </div>
        },
        // An iframe is a document of its own: its title is its level-one heading. Inside a host's
        // page (script tag) the host's headings stay in charge.
        Mode::Frame | Mode::Inline => html! {
            <div class="lab-head compact">
                { if props.mode == Mode::Frame { html! { <h1>{ &props.title }</h1> } } else { html! { <strong>{ &props.title }</strong> } } }
                <a class="open-full" href={props.share_url.clone()} target="_blank" rel="noopener">{ "Open in syslab ↗" }</a>
            </div>
        },
    }
}
