//! The controls every lab shares: play/pause, step, speed, seed, reset, share and embed.

use syslab_core::format::{fixed, parse_decimal, trimmed};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::embed_panel::embed_panel;
use crate::hooks::use_session::SessionControls;

#[derive(Properties, PartialEq, Clone)]
pub struct LabControlsProps {
    pub playing: bool,
    /// Steps per second.
    pub speed: f64,
    pub seed: u64,
    /// The absolute link to the lab's current state.
    pub share_url: String,
    /// What one step does, for the Step button's tooltip.
    pub step_hint: AttrValue,
    /// Play, step, speed, seed and reset; `onerror` when the seed field holds something that is
    /// not a seed.
    pub controls: SessionControls,
}

/// What the Share button last did.
#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Idle,
    /// The browser confirmed the copy.
    Copied,
    /// There is no clipboard here, or the copy was refused: the link field is selected for
    /// the user to copy.
    ByHand,
}

#[function_component(LabControls)]
pub fn lab_controls(props: &LabControlsProps) -> Html {
    let copy = use_state(|| CopyState::Idle);
    let embed = use_state(|| false);
    let link = use_node_ref();
    let onembed = {
        let embed = embed.clone();
        move |_: MouseEvent| embed.set(!*embed)
    };
    let toggle = props.controls.ontoggleplay.reform(|_: MouseEvent| ());
    let step = props.controls.onstep.reform(|_: MouseEvent| ());
    let reset = props.controls.onreset.reform(|_: MouseEvent| ());
    let onspeed = {
        let cb = props.controls.onspeed.clone();
        move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(v) = parse_decimal(&input.value()) {
                cb.emit(v);
            }
        }
    };
    let onseed = {
        let cb = props.controls.onseed.clone();
        let err = props.controls.onerror.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(v) => cb.emit(v),
                Err(_) => err.emit(format!(
                    "The seed must be a whole number from 0 to 18446744073709551615 (got {:?})",
                    input.value()
                )),
            }
        }
    };
    let share = {
        let url = props.share_url.clone();
        let copy = copy.clone();
        let link = link.clone();
        move |_: MouseEvent| {
            let url = url.clone();
            let copy = copy.clone();
            let link = link.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if crate::dom::copy_to_clipboard(&url).await {
                    copy.set(CopyState::Copied);
                } else {
                    if let Some(input) = link.cast::<HtmlInputElement>() {
                        let _ = input.focus();
                        input.select();
                    }
                    copy.set(CopyState::ByHand);
                }
            });
        }
    };
    let share_label = match *copy {
        CopyState::Idle => "Share link",
        CopyState::Copied => "Copied ✓",
        CopyState::ByHand => "Press Ctrl+C to copy",
    };
    let select_all = |e: FocusEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.select();
    };
    html! {
        <>
        <div class="lab-controls" role="toolbar" aria-label="Simulation controls">
            <button data-testid="play" class="primary" aria-pressed={props.playing.to_string()} onclick={toggle}>
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button data-testid="step" title={props.step_hint.clone()} onclick={step}>{ "Step" }</button>
            <label class="control">
                <span>{ format!("Speed {}/s", fixed(props.speed, 2)) }</span>
                <input data-testid="speed" type="range" min="0.25" max="10" step="0.25"
                    value={trimmed(props.speed, 2)} oninput={onspeed} />
            </label>
            <label class="control">
                <span>{ "Seed" }</span>
                <input data-testid="seed" type="number" min="0" inputmode="numeric"
                    value={props.seed.to_string()} onchange={onseed} />
            </label>
            <button data-testid="reset" onclick={reset}>{ "Reset" }</button>
            <span class="share">
                <button data-testid="share" onclick={share} aria-live="polite">{ share_label }</button>
                <input data-testid="share-url" class="share-url" readonly=true aria-label="Share link"
                    ref={link} value={props.share_url.clone()} onfocus={select_all} />
                <button data-testid="embed" aria-expanded={embed.to_string()} aria-controls="embed-panel"
                    onclick={onembed}>{ "Embed" }</button>
            </span>
        </div>
        if *embed {
            { embed_panel(&props.share_url) }
        }
        </>
    }
}
