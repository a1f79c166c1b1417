//! The chart's downloads: its SVG as a standalone file, a PNG drawn from the same view model on
//! a canvas, and its CSV. The PNG is drawn rather than rasterised from the SVG through an
//! `<img>`: a strict policy's `default-src 'self'` refuses `blob:` and `data:` images, while a
//! canvas needs nothing.

use std::cell::RefCell;

use syslab_core::chart::{
    ChartView, Orient, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, VIEW_HEIGHT, VIEW_WIDTH,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlAnchorElement, HtmlCanvasElement};

use super::chart::{colour, dash_array};

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

/// The chart drawn at twice its view size on a canvas, as PNG bytes; `hidden[g]` leaves group
/// g out, as on screen.
pub fn png_bytes(view: &ChartView, hidden: &[bool]) -> Option<Vec<u8>> {
    let document = crate::dom::document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let scale = 2.0;
    canvas.set_width((f64::from(VIEW_WIDTH) * scale) as u32);
    canvas.set_height((f64::from(VIEW_HEIGHT) * scale) as u32);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.scale(scale, scale).ok()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(VIEW_WIDTH), f64::from(VIEW_HEIGHT));
    let line = |x1: i32, y1: i32, x2: i32, y2: i32| {
        ctx.begin_path();
        ctx.move_to(f64::from(x1), f64::from(y1));
        ctx.line_to(f64::from(x2), f64::from(y2));
        ctx.stroke();
    };
    let set_dash = |pattern: Option<&str>| {
        let array = js_sys::Array::new();
        for part in pattern.unwrap_or("").split_whitespace() {
            if let Ok(v) = part.parse::<u32>() {
                array.push(&JsValue::from(v));
            }
        }
        let _ = ctx.set_line_dash(&array);
    };
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str("#dfe3ea");
    for t in &view.y.ticks {
        line(PLOT_LEFT, t.at, PLOT_RIGHT, t.at);
    }
    ctx.set_stroke_style_str("#868e96");
    line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM);
    line(PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM);
    ctx.set_fill_style_str("#1b1f24");
    ctx.set_text_align("right");
    for t in &view.y.ticks {
        let _ = ctx.fill_text(&t.text, f64::from(PLOT_LEFT - 5), f64::from(t.at + 4));
    }
    ctx.set_text_align("center");
    for t in &view.x.ticks {
        let _ = ctx.fill_text(&t.text, f64::from(t.at), f64::from(PLOT_BOTTOM + 14));
    }
    let _ = ctx.fill_text(
        &view.x.title,
        f64::from(PLOT_LEFT + PLOT_RIGHT) / 2.0,
        f64::from(VIEW_HEIGHT - 8),
    );
    ctx.save();
    let _ = ctx.translate(12.0, f64::from(PLOT_TOP + PLOT_BOTTOM) / 2.0);
    let _ = ctx.rotate(-std::f64::consts::FRAC_PI_2);
    let _ = ctx.fill_text(&view.y.title, 0.0, 0.0);
    ctx.restore();
    ctx.set_text_align("left");
    for n in &view.notes {
        ctx.set_stroke_style_str("#e03131");
        if n.x1 > n.x0 {
            ctx.set_fill_style_str("rgba(224, 49, 49, 0.1)");
            ctx.fill_rect(
                f64::from(n.x0),
                f64::from(PLOT_TOP),
                f64::from(n.x1 - n.x0),
                f64::from(PLOT_BOTTOM - PLOT_TOP),
            );
        } else {
            line(n.x0, PLOT_TOP, n.x0, PLOT_BOTTOM);
        }
        ctx.set_fill_style_str("#c92a2a");
        let _ = ctx.fill_text(&n.label, f64::from(n.x0 + 3), f64::from(PLOT_TOP + 10));
    }
    for s in view
        .series
        .iter()
        .filter(|s| !hidden.get(s.group).copied().unwrap_or(false))
    {
        let entry = view.legend.get(s.group);
        ctx.set_stroke_style_str(colour(entry.map_or(s.group, |e| e.color)));
        ctx.set_line_width(if entry.is_some_and(|e| e.emphasis) {
            3.0
        } else {
            1.75
        });
        set_dash(dash_array(s.dash));
        if let Ok(path) = web_sys::Path2d::new_with_path_string(&s.path) {
            ctx.stroke_with_path(&path);
        }
    }
    ctx.set_line_width(1.25);
    set_dash(Some("5 4"));
    ctx.set_stroke_style_str("#1b1f24");
    ctx.set_fill_style_str("#1b1f24");
    for r in &view.refs {
        match r.orient {
            Orient::Horizontal => {
                line(PLOT_LEFT, r.at, PLOT_RIGHT, r.at);
                ctx.set_text_align("right");
                let _ = ctx.fill_text(&r.label, f64::from(PLOT_RIGHT - 2), f64::from(r.at - 4));
            }
            Orient::Vertical => {
                line(r.at, PLOT_TOP, r.at, PLOT_BOTTOM);
                ctx.set_text_align("left");
                let _ = ctx.fill_text(&r.label, f64::from(r.at + 3), f64::from(PLOT_BOTTOM - 4));
            }
        }
    }
    let url = canvas.to_data_url_with_type("image/png").ok()?;
    let base64 = url.split_once(',')?.1;
    let binary = crate::dom::window()?.atob(base64).ok()?;
    Some(binary.chars().map(|c| c as u8).collect())
}
