//! Where labs get mounted: the full site, the iframe embed page, and script-tag embeds.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::Renderer;

use crate::app::{App, AppProps};
use crate::bundle::Bundle;
use crate::components::lab_host::{LabHost, LabHostProps, Mode};
use crate::dom;

/// Logs panics to the console and shows a recoverable message instead of a dead page.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash(&info.to_string());
    }));
}

/// Puts a message over the page telling the user what happened and how to recover: the last
/// committed state is in the address bar, so reloading restores it.
fn show_crash(message: &str) {
    let Some(doc) = dom::document() else { return };
    let Some(body) = doc.body() else { return };
    if doc.get_element_by_id("syslab-crash").is_some() {
        return;
    }
    if let Ok(el) = doc.create_element("div") {
        el.set_id("syslab-crash");
        el.set_class_name("syslab syslab-crash");
        let _ = el.set_attribute("role", "alert");
        let text = doc.create_element("p").ok();
        if let Some(p) = text {
            p.set_text_content(Some(&format!(
                "syslab hit a bug and stopped: {message}. Your last change is saved in the address; reload to continue."
            )));
            let _ = el.append_child(&p);
        }
        if let Ok(button) = doc.create_element("button") {
            button.set_text_content(Some("Reload"));
            // A listener rather than an `onclick` attribute: a strict Content-Security-Policy
            // refuses inline handlers. One overlay per page, so the closure may live forever.
            let reload = Closure::<dyn FnMut()>::new(|| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            });
            let _ =
                button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
            reload.forget();
            let _ = el.append_child(&button);
        }
        let _ = body.append_child(&el);
    }
}

/// Mounts the site or the iframe embed into `#syslab-app`, if the page has one.
pub fn mount_page(bundle: Bundle) {
    let Some(doc) = dom::document() else { return };
    let Some(root) = doc.get_element_by_id("syslab-app") else {
        return;
    };
    let href = dom::href();
    let query = syslab_core::query::query_of(&href).to_owned();
    let pairs = syslab_core::query::parse_query(&query);
    root.set_inner_html("");
    if root.has_attribute("data-embed") {
        let lab = pairs
            .iter()
            .find(|(k, _)| k == "lab")
            .map_or_else(|| "ring".to_owned(), |(_, v)| v.clone());
        let props = LabHostProps {
            lab,
            params: pairs,
            mode: Mode::Frame,
            base: href,
            bundle,
        };
        Renderer::<LabHost>::with_root_and_props(root, props).render();
    } else {
        let page = syslab_core::query::last_segment(&href).to_owned();
        let props = AppProps {
            page,
            params: pairs,
            base: href,
            bundle,
        };
        Renderer::<App>::with_root_and_props(root, props).render();
    }
}

/// Mounts every `[data-syslab-lab]` element not mounted yet whose lab `bundle` mounts (see
/// [`Bundle::mounts`]; another bundle on the same page takes the others), configured by its
/// `data-*` attributes (`data-vnodes="50"` is the URL's `vnodes=50`). Returns how many were
/// mounted.
pub fn mount_all(bundle: Bundle) -> u32 {
    let Some(doc) = dom::document() else { return 0 };
    let Ok(list) = doc.query_selector_all("[data-syslab-lab]:not([data-syslab-mounted])") else {
        return 0;
    };
    // Share links point at the site that serves this module (where syslab-embed.js lives).
    let base = embed_base(&doc);
    let mut mounted = 0;
    for idx in 0..list.length() {
        let Some(el) = list
            .item(idx)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let lab = el.get_attribute("data-syslab-lab").unwrap_or_default();
        if !bundle.mounts(&lab) {
            continue;
        }
        let _ = el.set_attribute("data-syslab-mounted", "true");
        let params = data_params(&el);
        let props = LabHostProps {
            lab,
            params,
            mode: Mode::Inline,
            base: base.clone(),
            bundle,
        };
        Renderer::<LabHost>::with_root_and_props(el, props).render();
        mounted += 1;
    }
    mounted
}

/// The site root for script-tag embeds: `data-syslab-base` on `<html>` (set by
/// syslab-embed.js from its own URL), else the page itself.
fn embed_base(doc: &web_sys::Document) -> String {
    doc.document_element()
        .and_then(|html| html.get_attribute("data-syslab-base"))
        .unwrap_or_else(dom::href)
}

/// The element's `data-*` attributes as URL parameters, in attribute order.
fn data_params(el: &web_sys::Element) -> Vec<(String, String)> {
    let attrs = el.attributes();
    (0..attrs.length())
        .filter_map(|idx| attrs.item(idx))
        .filter_map(|attr| {
            let name = attr.name();
            let key = name.strip_prefix("data-")?;
            (!key.starts_with("syslab-")).then(|| (key.to_owned(), attr.value()))
        })
        .collect()
}
