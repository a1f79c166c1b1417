//! Small, fallible helpers around web-sys, so components never unwrap browser objects.

use wasm_bindgen::JsCast;

/// The window, if there is one.
pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The document, if there is one.
pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// `location.href`, or "" if unavailable.
pub fn href() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// `performance.now()` in milliseconds (0 if unavailable).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The URL of the playground page `page` (e.g. "ring?seed=2"), resolved against the site root
/// that serves this module: the directory of the current page for the site and iframe embed.
pub fn site_url(base: &str, page: &str) -> String {
    web_sys::Url::new_with_base(page, base)
        .map(|u| u.href())
        .unwrap_or_else(|_| page.to_owned())
}

/// Replaces the address bar's query without reloading or adding history entries.
pub fn replace_url(url: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Copies text to the clipboard, ignoring failure (the share URL field stays selectable).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Whether the user asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The element as an `HtmlElement`, if it is one.
pub fn html_element(el: &web_sys::Element) -> Option<web_sys::HtmlElement> {
    el.clone().dyn_into().ok()
}
