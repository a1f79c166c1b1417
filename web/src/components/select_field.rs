//! A labelled `<select>` over a lab's options (value, URL id, label) that emits the chosen value.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A `<select>` with `data-testid={testid}` over `options` that emits the chosen value.
pub fn select<T: Copy + PartialEq + 'static>(
    testid: &'static str,
    label: &'static str,
    options: &[(T, &'static str, &'static str)],
    current: T,
    cb: &Callback<T>,
) -> Html {
    let items: Vec<(T, &'static str)> = options.iter().map(|(v, id, _)| (*v, *id)).collect();
    let cb = cb.clone();
    let onchange = move |e: Event| {
        let el: HtmlSelectElement = e.target_unchecked_into();
        if let Some((v, _)) = items.iter().find(|(_, id)| *id == el.value()) {
            cb.emit(*v);
        }
    };
    html! {
        <label class="control">
            <span>{ label }</span>
            <select data-testid={testid} {onchange}>
                { for options.iter().map(|(v, id, text)| html! {
                    <option value={*id} selected={*v == current}>{ *text }</option>
                }) }
            </select>
        </label>
    }
}
