//! The full site: a header, then the landing page or one lab.

use yew::prelude::*;

use crate::bundle::Bundle;
use crate::components::lab_host::{LabHost, Mode};
use crate::components::landing::Landing;

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The last path segment: "" for the landing page, a lab id for a lab.
    pub page: String,
    /// The page's query parameters.
    pub params: Vec<(String, String)>,
    /// The page's URL, which relative links resolve against.
    pub base: String,
    /// The labs this page's wasm links.
    pub bundle: Bundle,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let page = props.page.as_str();
    let is_landing = page.is_empty() || page == "index.html";
    let body = if is_landing {
        html! { <Landing stories={props.bundle.stories} /> }
    } else if syslab_core::lab_info(page).is_some() {
        html! {
            <LabHost lab={page.to_owned()} params={props.params.clone()} mode={Mode::Site} base={props.base.clone()} bundle={props.bundle} />
        }
    } else {
        html! {
            <>
                <p class="notice" data-testid="notice" role="alert">
                    { format!("There is no page called {page:?}; here are the labs.") }
                </p>
                <Landing stories={props.bundle.stories} />
            </>
        }
    };
    // `theme=light|dark` overrides the system preference for the whole page.
    let theme = props
        .params
        .iter()
        .find(|(k, v)| k == "theme" && (v == "light" || v == "dark"))
        .map(|(_, v)| v.clone());
    html! {
        <div class="syslab syslab-site" data-theme={theme}>
            <header class="site-header">
                <a class="brand" href="./">
                    <svg class="brand-mark" viewBox="-12 -12 24 24" aria-hidden="true">
                        <circle r="9" fill="none" stroke="currentColor" stroke-width="2.5" />
                        <circle cx="0" cy="-9" r="3.2" />
                        <circle cx="7.8" cy="4.5" r="3.2" />
                    </svg>
                    <span>{ "syslab" }</span>
                </a>
                <nav aria-label="Labs">
                    { for syslab_core::LABS.iter().filter(|l| l.status == syslab_core::LabStatus::Ready).map(|l| html! {
                        <a href={l.id} aria-current={(l.id == page).then_some("page")}>{ l.title }</a>
                    }) }
                </nav>
            </header>
            <main class="site-main">{ body }</main>
            <footer class="site-footer">
                { "Every lab is seeded and deterministic: the same link shows the same numbers, here, in an embed and in the " }
                <code>{ "syslab" }</code>{ " CLI." }
            </footer>
        </div>
    }
}
