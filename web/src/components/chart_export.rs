//! The chart's downloads: its SVG as a standalone file and its CSV.
//!
//! There is no PNG: drawing the view model on a canvas (rasterising the SVG through an `<img>`
//! is refused for `blob:` and `data:` images by a strict policy's `default-src 'self'`) cost
//! the ring and cache pages more than the 200 KB budget left them. Any browser or `rsvg-convert`
//! turns the SVG into a PNG.

use std::cell::RefCell;

use syslab_core::chart::{VIEW_HEIGHT, VIEW_WIDTH};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlAnchorElement};

thread_local! {
    /// The last file offered for download: its name and bytes (what the browser tests read).
    static LAST: RefCell<Option<(String, Vec<u8>)>> = const { RefCell::new(None) };
}

/// The last file offered for download, if any.
pub fn last_download() -> Option<(String, Vec<u8>)> {
    LAST.with(|l| l.borrow().clone())
}

/// Offers `bytes` as a file called `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    LAST.with(|l| *l.borrow_mut() = Some((name.to_owned(), bytes.to_vec())));
    let Some(document) = crate::dom::document() else {
        return;
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The chart's SVG as a standalone document: namespaced, sized, on a white background, without
/// the cursor.
pub fn svg_text(svg: &Element) -> String {
    let Ok(copy) = svg.clone_node_with_deep(true) else {
        return String::new();
    };
    let Ok(copy) = copy.dyn_into::<Element>() else {
        return String::new();
    };
    if let Ok(list) = copy.query_selector_all(".chart-cursor") {
        for i in 0..list.length() {
            if let Some(node) = list.item(i)
                && let Some(parent) = node.parent_node()
            {
                let _ = parent.remove_child(&node);
            }
        }
    }
    for (name, value) in [
        ("xmlns", "http://www.w3.org/2000/svg"),
        ("width", &VIEW_WIDTH.to_string()),
        ("height", &VIEW_HEIGHT.to_string()),
        ("color", "#1b1f24"),
    ] {
        let _ = copy.set_attribute(name, value);
    }
    for name in ["tabindex", "data-testid"] {
        let _ = copy.remove_attribute(name);
    }
    // A background, first, so viewers that default to black or transparent show the lines.
    let inner = copy.inner_html();
    copy.set_inner_html(&format!(
        "<rect width=\"{VIEW_WIDTH}\" height=\"{VIEW_HEIGHT}\" fill=\"#ffffff\"/>{inner}"
    ));
    let serializer = web_sys::XmlSerializer::new();
    let body = serializer
        .and_then(|s| s.serialize_to_string(&copy))
        .unwrap_or_default();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}
