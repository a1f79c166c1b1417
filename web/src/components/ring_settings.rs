//! The ring lab's own parameters: nodes, vnodes, replication, keys, strategy and ε.

use syslab_core::format::{fixed, parse_decimal, trimmed};
use syslab_core::ring::{RingConfig, StrategyKind};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct RingSettingsProps {
    pub config: RingConfig,
    pub n_nodes: usize,
    pub vnodes: u32,
    pub n_keys: usize,
    pub custom_keys: bool,
    pub onnodes: Callback<usize>,
    pub onaddnode: Callback<()>,
    pub onvnodes: Callback<u32>,
    pub onreplication: Callback<u32>,
    pub onkeys: Callback<u32>,
    pub onstrategy: Callback<StrategyKind>,
    pub onepsilon: Callback<f64>,
    pub oncustomkeys: Callback<String>,
    pub onfindkey: Callback<String>,
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

#[function_component(RingSettings)]
pub fn ring_settings(props: &RingSettingsProps) -> Html {
    let c = &props.config;
    let err = props.onerror.clone();
    let onstrategy = {
        let cb = props.onstrategy.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(s) = StrategyKind::from_id(&select.value()) {
                cb.emit(s);
            }
        }
    };
    let onepsilon = {
        let cb = props.onepsilon.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(v) = parse_decimal(&input.value()) {
                cb.emit(v);
            }
        }
    };
    let keys_text = use_node_ref();
    let apply_keys = {
        let cb = props.oncustomkeys.clone();
        let keys_text = keys_text.clone();
        move |_: MouseEvent| {
            if let Some(area) = keys_text.cast::<HtmlTextAreaElement>() {
                cb.emit(area.value());
            }
        }
    };
    let use_generated = {
        let cb = props.oncustomkeys.clone();
        move |_: MouseEvent| cb.emit(String::new())
    };
    let onfind = {
        let cb = props.onfindkey.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        }
    };
    let add = props.onaddnode.reform(|_: MouseEvent| ());
    let max_vnodes = 1000 / c.nodes.iter().map(|n| n.weight).max().unwrap_or(1).max(1);
    html! {
        <section class="panel settings" aria-label="Ring settings">
            <h2>{ "Ring" }</h2>
            <div class="settings-grid">
                <label class="control">
                    <span>{ "Nodes" }</span>
                    <input data-testid="nodes" type="number" min="1" max="64" value={props.n_nodes.to_string()}
                        onchange={parsed("The number of nodes", props.onnodes.clone(), err.clone())} />
                </label>
                <button data-testid="add-node" class="add-node" onclick={add}>{ "+ Add node" }</button>
                <label class="control wide">
                    <span>{ format!("Vnodes per weight: {}", props.vnodes) }</span>
                    <input data-testid="vnodes" type="range" min="1" max={max_vnodes.min(500).to_string()} value={props.vnodes.to_string()}
                        onchange={parsed("Vnodes", props.onvnodes.clone(), err.clone())} />
                </label>
                <label class="control">
                    <span>{ "Replication R" }</span>
                    <input data-testid="replication" type="number" min="1" max={props.n_nodes.to_string()} value={c.replication.to_string()}
                        onchange={parsed("The replication factor", props.onreplication.clone(), err.clone())} />
                </label>
                <label class="control">
                    <span>{ "Keys" }</span>
                    <input data-testid="keys" type="number" min="1" max="100000" step="100" value={props.n_keys.to_string()}
                        disabled={props.custom_keys}
                        onchange={parsed("The number of keys", props.onkeys.clone(), err.clone())} />
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
                    <span>{ format!("Bounded-load slack ε: {}", fixed(c.epsilon, 2)) }</span>
                    <input data-testid="epsilon" type="range" min="0" max="2" step="0.05" value={trimmed(c.epsilon, 2)} onchange={onepsilon} />
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
