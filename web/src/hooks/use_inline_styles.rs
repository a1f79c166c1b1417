//! Per-element styles that a strict Content-Security-Policy allows.
//!
//! A page served with `style-src 'self'` (no `'unsafe-inline'`) refuses every `style="…"`
//! attribute, and Yew writes a `style` prop as exactly that attribute. Styles set through the
//! CSSOM (`element.style.setProperty`) are not inline markup, so the policy allows them. So
//! components write their computed styles (a bar's width, a node's colour) into a `data-style`
//! attribute with the same `property: value; …` text, and this hook copies them into each
//! element's CSSOM style: once for what is rendered, then for every element added below the root
//! and every `data-style` that changes, from a `MutationObserver`. Its callback runs as a
//! microtask, so the styles are in place before the browser paints the new frame.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, MutationObserver, MutationObserverInit, MutationRecord};
use yew::prelude::*;

/// The attribute components write their styles into.
pub const ATTR: &str = "data-style";

/// Keeps the CSSOM style of every element under `root` in step with its `data-style`, until
/// the component unmounts.
#[hook]
pub fn use_inline_styles(root: NodeRef) {
    use_effect_with((), move |()| {
        let observer = root.cast::<Element>().and_then(|root| observe(&root));
        move || {
            if let Some((observer, closure)) = observer {
                observer.disconnect();
                drop(closure);
            }
        }
    });
}

type Callback = Closure<dyn FnMut(js_sys::Array)>;

/// Applies the styles below `root` and starts watching it.
fn observe(root: &Element) -> Option<(MutationObserver, Callback)> {
    apply_below(root);
    let closure = Callback::new(|records: js_sys::Array| {
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<MutationRecord>() else {
                continue;
            };
            if record.type_() == "attributes" {
                if let Some(el) = record.target().and_then(|n| n.dyn_into::<Element>().ok()) {
                    apply(&el);
                }
                continue;
            }
            let added = record.added_nodes();
            for idx in 0..added.length() {
                if let Some(el) = added.item(idx).and_then(|n| n.dyn_into::<Element>().ok()) {
                    apply(&el);
                    apply_below(&el);
                }
            }
        }
    });
    let observer = MutationObserver::new(closure.as_ref().unchecked_ref()).ok()?;
    let options = MutationObserverInit::new();
    options.set_subtree(true);
    options.set_child_list(true);
    options.set_attribute_filter(&js_sys::Array::of1(&ATTR.into()));
    observer
        .observe_with_options(root, &options)
        .ok()
        .map(|()| (observer, closure))
}

/// Applies the styles of every element below `el` that has one.
fn apply_below(el: &Element) {
    let Ok(list) = el.query_selector_all(&format!("[{ATTR}]")) else {
        return;
    };
    for idx in 0..list.length() {
        if let Some(el) = list.item(idx).and_then(|n| n.dyn_into::<Element>().ok()) {
            apply(&el);
        }
    }
}

/// Makes `el`'s CSSOM style exactly its `data-style` declarations (none if it has none), in
/// one call: `cssText` is the CSSOM, which a strict `style-src` allows, and setting it
/// replaces every declaration the element had.
fn apply(el: &Element) {
    let Ok(style) = js_sys::Reflect::get(el, &"style".into())
        .and_then(|s| s.dyn_into::<web_sys::CssStyleDeclaration>())
    else {
        return;
    };
    style.set_css_text(&el.get_attribute(ATTR).unwrap_or_default());
}
