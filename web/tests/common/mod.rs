//! Helpers shared by the browser tests: a visible container, polling for what yew renders,
//! reading text, and dispatching real DOM events.

#![allow(dead_code)]

use std::time::Duration;

use syslab_web::components::lab_host::{LabHost, LabHostProps, Mode};
use web_sys::Element;

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh, visible container on the page.
pub fn container() -> Element {
    let el = document().create_element("div").unwrap();
    el.set_attribute("style", "width: 1000px").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Polls until `selector` matches inside `root` (yew renders asynchronously).
pub async fn find(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(el) = root.query_selector(selector).unwrap() {
            return el;
        }
        sleep(10).await;
    }
    panic!("nothing matched {selector:?} within 2 s");
}

pub async fn settle() {
    sleep(Duration::from_millis(60).as_millis() as i32).await;
}

pub fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

pub fn mount(params: &[(&str, &str)]) -> Element {
    mount_lab("ring", params)
}

/// Mounts the rate-limiter lab the way a script-tag embed does.
pub fn mount_rate_limiter(params: &[(&str, &str)]) -> Element {
    mount_lab("rate-limiter", params)
}

/// Mounts lab `lab` the way a script-tag embed does, configured by `params`.
pub fn mount_lab(lab: &str, params: &[(&str, &str)]) -> Element {
    let root = container();
    let props = LabHostProps {
        lab: lab.to_owned(),
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        mode: Mode::Inline,
        base: "http://example.test/".to_owned(),
        bundle: syslab_web::bundle::ALL,
    };
    yew::Renderer::<LabHost>::with_root_and_props(root.clone(), props).render();
    root
}

pub fn pointer(kind: &str, target: &Element, x: f64, y: f64) {
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_pointer_id(1);
    init.set_button(0);
    init.set_is_primary(true);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

pub fn key(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_key(key);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Clicks the element `selector` matches and lets yew render.
pub async fn click(root: &Element, selector: &str) {
    use wasm_bindgen::JsCast;
    let el: web_sys::HtmlElement = find(root, selector).await.dyn_into().unwrap();
    el.click();
    settle().await;
}

/// Types `value` into the input `selector` matches and fires `event` ("input" or "change").
pub async fn set_input(root: &Element, selector: &str, value: &str, event: &str) {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = find(root, selector).await.dyn_into().unwrap();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
    settle().await;
}

/// Chooses `value` in the `<select>` `selector` matches.
pub async fn choose(root: &Element, selector: &str, value: &str) {
    use wasm_bindgen::JsCast;
    let select: web_sys::HtmlSelectElement = find(root, selector).await.dyn_into().unwrap();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
}

/// How many elements `selector` matches.
pub fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

/// Polls until `selector` matches, for work that takes longer than `find` waits.
pub async fn wait_for(root: &Element, selector: &str, seconds: u32) -> Element {
    for _ in 0..seconds * 20 {
        if let Some(el) = root.query_selector(selector).unwrap() {
            return el;
        }
        sleep(50).await;
    }
    panic!("nothing matched {selector:?} within {seconds} s");
}

/// The lab's share link, as its read-only field shows it.
pub async fn share_url(root: &Element) -> String {
    use wasm_bindgen::JsCast;
    let share: web_sys::HtmlInputElement = find(root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    share.value()
}
