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
        <label class="control number-field">
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

/// A [`NumberField`] for one of a lab's numeric parameters: its text goes to `onparam` tagged
/// with `param`. `range` is the slider's (min, max, step); the box accepts anything and the
/// lab explains what it refuses.
pub fn param_field<P: Copy + 'static>(
    onparam: &Callback<(P, String)>,
    param: P,
    testid: &'static str,
    label: &'static str,
    value: String,
    (min, max, step): (&'static str, &'static str, &'static str),
    unit: &'static str,
) -> Html {
    let cb = onparam.clone();
    html! {
        <NumberField label={label} testid={testid} value={value} min={min} max={max} step={step} unit={unit}
            onvalue={Callback::from(move |text: String| cb.emit((param, text)))} />
    }
}

/// A row of preset buttons (`data-testid=preset`, `data-preset=ID`): (id, short name, title).
pub fn preset_buttons(
    presets: impl IntoIterator<Item = (&'static str, &'static str, &'static str)>,
    onpreset: &Callback<String>,
) -> Html {
    html! {
        <div class="rl-presets" role="group" aria-label="Presets">
            { for presets.into_iter().map(|(id, name, title)| {
                let cb = onpreset.clone();
                html! {
                    <button data-testid="preset" data-preset={id} title={title}
                        onclick={move |_: MouseEvent| cb.emit(id.to_owned())}>{ name }</button>
                }
            }) }
        </div>
    }
}
