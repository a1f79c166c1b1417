//! A labelled number: a slider for quick moves and a box for exact values. Both report the raw
//! text, so the lab can explain input that is not a number instead of ignoring it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct NumberFieldProps {
    pub label: AttrValue,
    /// `data-testid` of the box; the slider gets the same with `-slider`.
    pub testid: AttrValue,
    /// The current value, as text.
    pub value: AttrValue,
    pub min: AttrValue,
    pub max: AttrValue,
    #[prop_or(AttrValue::Static("1"))]
    pub step: AttrValue,
    /// Unit shown after the label, e.g. "ms".
    #[prop_or_default]
    pub unit: AttrValue,
    /// A tooltip: what the setting does.
    #[prop_or_default]
    pub help: AttrValue,
    pub onvalue: Callback<String>,
}

#[function_component(NumberField)]
pub fn number_field(props: &NumberFieldProps) -> Html {
    let emit = |e: &Event, cb: &Callback<String>| {
        let input: HtmlInputElement = e.target_unchecked_into();
        cb.emit(input.value());
    };
    let oninput = {
        let cb = props.onvalue.clone();
        move |e: InputEvent| emit(&e, &cb)
    };
    let onchange = {
        let cb = props.onvalue.clone();
        move |e: Event| emit(&e, &cb)
    };
    let unit = if props.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", props.unit)
    };
    html! {
        <label class="control number-field" title={(!props.help.is_empty()).then(|| props.help.clone())}>
            <span>{ format!("{}{unit}", props.label) }</span>
            <span class="number-inputs">
                <input type="range" data-testid={format!("{}-slider", props.testid)} aria-hidden="true" tabindex="-1"
                    min={props.min.clone()} max={props.max.clone()} step={props.step.clone()}
                    value={props.value.clone()} {oninput} />
                <input type="number" data-testid={props.testid.clone()} inputmode="decimal"
                    min={props.min.clone()} max={props.max.clone()} step={props.step.clone()}
                    value={props.value.clone()} {onchange} />
            </span>
        </label>
    }
}
