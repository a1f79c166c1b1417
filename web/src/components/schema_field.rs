//! Settings widgets drawn from a lab's parameter schema: the label, unit, tooltip, accepted
//! range and choices come from the core's declaration, so a parameter is described once. The
//! lab's settings panel only chooses where each one goes and its slider's range (a UI choice,
//! often narrower than what a link accepts: the box takes anything and the lab explains what
//! it refuses).

use syslab_core::Lab;
use syslab_core::schema::{Kind, Param};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::number_field::NumberField;

/// Emits `(key, text)` for the schema's parameters.
pub type OnParam = Callback<(&'static str, String)>;

fn param<L: Lab>(key: &'static str) -> &'static Param<L::Scenario> {
    L::param(key).unwrap_or_else(|| panic!("{key:?} is not in {}'s schema", L::ID))
}

/// A slider and a number box for numeric parameter `key`, showing its value in `scenario`.
pub fn number<L: Lab>(
    onparam: &OnParam,
    scenario: &L::Scenario,
    key: &'static str,
    testid: &'static str,
    (min, max, step): (&'static str, &'static str, &'static str),
) -> Html {
    let p = param::<L>(key);
    let cb = onparam.clone();
    html! {
        <NumberField label={p.label} testid={testid} value={(p.write)(scenario)} {min} {max} {step}
            unit={p.unit} help={p.help}
            onvalue={Callback::from(move |text: String| cb.emit((key, text)))} />
    }
}

/// A menu for choice parameter `key`.
pub fn select<L: Lab>(
    onparam: &OnParam,
    scenario: &L::Scenario,
    key: &'static str,
    testid: &'static str,
) -> Html {
    let p = param::<L>(key);
    let Kind::Choice(options) = p.kind else {
        panic!("{key:?} is not a choice");
    };
    let current = (p.write)(scenario);
    let cb = onparam.clone();
    let onchange = move |e: Event| {
        let el: HtmlSelectElement = e.target_unchecked_into();
        cb.emit((key, el.value()));
    };
    html! {
        <label class="control" title={p.help}>
            <span>{ p.label }</span>
            <select data-testid={testid} {onchange}>
                { for options.iter().map(|o| html! {
                    <option value={o.id} selected={o.id == current}>{ o.label }</option>
                }) }
            </select>
        </label>
    }
}

/// A checkbox for flag parameter `key`, labelled `label` (a sentence fits a checkbox better
/// than the parameter's short name, which the tooltip keeps).
pub fn check<L: Lab>(
    onparam: &OnParam,
    scenario: &L::Scenario,
    key: &'static str,
    testid: &'static str,
    label: &'static str,
) -> Html {
    let p = param::<L>(key);
    let on = (p.write)(scenario) == "1";
    let cb = onparam.clone();
    let onchange = move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        cb.emit((key, if input.checked() { "1" } else { "0" }.to_owned()));
    };
    html! {
        <label class="check" title={p.help}>
            <input type="checkbox" data-testid={testid} checked={on} {onchange} />
            { label }
        </label>
    }
}

/// A row of the lab's preset buttons (`data-testid=preset`, `data-preset=ID`).
pub fn presets<L: Lab>(onpreset: &Callback<String>) -> Html {
    html! {
        <div class="rl-presets" role="group" aria-label="Presets">
            { for L::presets().into_iter().map(|p| {
                let cb = onpreset.clone();
                let id = p.id;
                html! {
                    <button data-testid="preset" data-preset={id} title={p.title}
                        onclick={move |_: MouseEvent| cb.emit(id.to_owned())}>{ p.label }</button>
                }
            }) }
        </div>
    }
}

/// A text box for free-text parameter `key` (a list such as the resilience lab's faults),
/// committed on change; the lab explains what it refuses and keeps its state.
pub fn text<L: Lab>(
    onparam: &OnParam,
    scenario: &L::Scenario,
    key: &'static str,
    testid: &'static str,
) -> Html {
    let p = param::<L>(key);
    let cb = onparam.clone();
    let onchange = move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        cb.emit((key, input.value()));
    };
    html! {
        <label class="control text-field" title={p.help}>
            <span>{ p.label }</span>
            <input type="text" data-testid={testid} spellcheck="false" value={(p.write)(scenario)} {onchange} />
        </label>
    }
}
