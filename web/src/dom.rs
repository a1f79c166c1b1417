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

/// Copies text to the clipboard: `true` once the browser says it did. `false` where there is
/// no clipboard API (a page on plain http away from localhost: `navigator.clipboard` is
/// undefined there, and calling it would throw) or the browser refuses the copy (a sandboxed
/// frame, a denied permission); the caller then lets the user copy by hand.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(w) = window() else {
        return false;
    };
    if !w.is_secure_context() {
        return false;
    }
    let navigator = w.navigator();
    let get = |target: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(target, &wasm_bindgen::JsValue::from_str(name)).ok()
    };
    let Some(clipboard) = get(&navigator, "clipboard").filter(|c| c.is_object()) else {
        return false;
    };
    // Anything with a `writeText` method will do (a polyfill, a test's stand-in). It is called
    // through `Function::call1`, which catches a synchronous throw as well.
    let Some(write) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &wasm_bindgen::JsValue::from_str(text)) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .is_ok()
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
