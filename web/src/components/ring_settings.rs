//! The ring lab's own parameters: nodes, vnodes, replication, keys, strategy and ε.

use syslab_core::Lab;
use syslab_core::format::{fixed, trimmed};
use syslab_core::ring::{RingAction, RingConfig, RingEvent, RingLab, StrategyKind};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::schema_field::OnParam;

#[derive(Properties, PartialEq, Clone)]
pub struct RingSettingsProps {
    pub config: RingConfig,
    pub n_nodes: usize,
    pub vnodes: u32,
    pub n_keys: usize,
    pub custom_keys: bool,
    /// The ring's own actions (node count, add a node, vnodes, strategy, keys).
    pub dispatch: Callback<RingAction>,
    /// Schema parameters (replication, key count, ε) as typed: the core explains bad ones.
    pub onparam: OnParam,
    /// A value that cannot be parsed at all (the core reports range problems itself).
    pub onerror: Callback<String>,
}

/// An `onchange` handler that parses the input's value and reports text that is not a number.
fn parsed<T: std::str::FromStr + 'static>(
    what: &'static str,
    cb: Callback<T>,
    err: Callback<String>,
) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        match input.value().trim().parse::<T>() {
            Ok(v) => cb.emit(v),
            Err(_) => err.emit(format!("{what} must be a number (got {:?})", input.value())),
        }
    })
}

/// An `onchange` handler that sends the input's text as schema parameter `key`.
fn text(key: &'static str, cb: &OnParam) -> Callback<Event> {
    let cb = cb.clone();
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        cb.emit((key, input.value()));
    })
}

/// The schema's label of parameter `key`.
fn label(key: &str) -> &'static str {
    <RingLab as Lab>::param(key).map_or("", |p| p.label)
}

#[function_component(RingSettings)]
pub fn ring_settings(props: &RingSettingsProps) -> Html {
    let c = &props.config;
    let err = props.onerror.clone();
    let d = &props.dispatch;
    let onstrategy = {
        let d = d.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(s) = StrategyKind::from_id(&select.value()) {
                d.emit(RingAction::SetStrategy(s));
            }
        }
    };
    let onnodes = d.reform(RingAction::SetNodeCount);
    let onvnodes = d.reform(|vnodes| RingAction::Change(RingEvent::SetVnodes { vnodes }));
    let keys_text = use_node_ref();
    let apply_keys = {
        let cb = d.reform(RingAction::SetCustomKeys);
        let keys_text = keys_text.clone();
        move |_: MouseEvent| {
            if let Some(area) = keys_text.cast::<HtmlTextAreaElement>() {
                cb.emit(area.value());
            }
        }
    };
    let use_generated = {
        let cb = d.reform(RingAction::SetCustomKeys);
        move |_: MouseEvent| cb.emit(String::new())
    };
    let onfind = {
        let cb = d.reform(RingAction::FindKey);
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        }
    };
    let add = d.reform(|_: MouseEvent| RingAction::AddNode);
    let max_vnodes = 1000 / c.nodes.iter().map(|n| n.weight).max().unwrap_or(1).max(1);
    html! {
        <section class="panel settings" aria-label="Ring settings">
            <h2>{ "Ring" }</h2>
            <div class="settings-grid">
                <label class="control">
                    <span>{ "Nodes" }</span>
                    <input data-testid="nodes" type="number" min="1" max="64" value={props.n_nodes.to_string()}
                        onchange={parsed("The number of nodes", onnodes, err.clone())} />
                </label>
                <button data-testid="add-node" class="add-node" onclick={add}>{ "+ Add node" }</button>
                <label class="control wide">
                    <span>{ format!("Vnodes per weight: {}", props.vnodes) }</span>
                    <input data-testid="vnodes" type="range" min="1" max={max_vnodes.min(500).to_string()} value={props.vnodes.to_string()}
                        onchange={parsed("Vnodes", onvnodes, err)} />
                </label>
                <label class="control">
                    <span>{ label("r") }</span>
                    <input data-testid="replication" type="number" min="1" max={props.n_nodes.to_string()} value={c.replication.to_string()}
                        onchange={text("r", &props.onparam)} />
                </label>
                <label class="control">
                    <span>{ label("keys") }</span>
                    <input data-testid="keys" type="number" min="1" max="100000" step="100" value={props.n_keys.to_string()}
                        disabled={props.custom_keys}
                        onchange={text("keys", &props.onparam)} />
                </label>
                <label class="control">
                    <span>{ "Strategy on the ring" }</span>
                    <select data-testid="strategy" onchange={onstrategy}>
                        { for StrategyKind::ALL.iter().map(|s| html! {
                            <option value={s.id()} selected={*s == c.strategy}>{ s.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="control wide">
                    <span>{ format!("{}: {}", label("eps"), fixed(c.epsilon, 2)) }</span>
                    <input data-testid="epsilon" type="range" min="0" max="2" step="0.05" value={trimmed(c.epsilon, 2)} onchange={text("eps", &props.onparam)} />
                </label>
                <label class="control wide">
                    <span>{ "Find a key" }</span>
                    <input data-testid="find-key" type="search" placeholder="user:42" onchange={onfind} />
                </label>
            </div>
            <details class="custom-keys">
                <summary>{ if props.custom_keys { "Your keys (in use)" } else { "Use your own keys" } }</summary>
                <textarea ref={keys_text} data-testid="custom-keys" rows="4" placeholder="one key per line" />
                <div class="row">
                    <button onclick={apply_keys}>{ "Use these keys" }</button>
                    <button onclick={use_generated}>{ "Back to generated keys" }</button>
                </div>
            </details>
        </section>
    }
}
