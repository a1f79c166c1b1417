//! Every parameter of the cache lab: presets, policy and comparison, size and TTL, the write
//! strategy, and the workload. Changes apply to the running simulation at once.

use std::rc::Rc;

use syslab_core::cache::{CacheAction, CacheLab, CacheScenario, PolicyKind};
use yew::prelude::*;

use crate::components::schema_field::{self as field, OnParam};

type L = CacheLab;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheSettingsProps {
    pub scenario: Rc<CacheScenario>,
    /// Whether the workload is a trace loaded in the page (the generated workload's settings
    /// are then hidden).
    pub trace_loaded: bool,
    pub onparam: OnParam,
    pub dispatch: Callback<CacheAction>,
    pub onpreset: Callback<String>,
}

#[function_component(CacheSettings)]
pub fn cache_settings(props: &CacheSettingsProps) -> Html {
    let s = &*props.scenario;
    let c = &s.config;
    let on = &props.onparam;
    html! {
        <section class="panel rl-settings cache-settings" aria-label="Cache settings">
            { field::presets::<L>(&props.onpreset) }
            <h2>{ "Cache" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "policy", "cache-policy") }
                { field::number::<L>(on, s, "size", "cache-size", ("1", "500", "1")) }
                { field::number::<L>(on, s, "ttl", "cache-ttl", ("0", "60000", "100")) }
                { field::number::<L>(on, s, "batch", "cache-batch", ("1", "1000", "1")) }
            </div>
            <fieldset class="rl-compare-set">
                <legend>{ "Compare on the same requests" }</legend>
                { for PolicyKind::ALL.iter().map(|&k| {
                    let cb = props.dispatch.clone();
                    let shown = k == c.policy;
                    html! {
                        <label class="check">
                            <input type="checkbox" data-testid="cache-compare" data-policy={k.id()}
                                checked={shown || c.compare.contains(&k)} disabled={shown}
                                onchange={move |_: Event| cb.emit(CacheAction::ToggleCompare(k))} />
                            { k.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <h2>{ "Writes" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "write", "cache-write") }
                { field::number::<L>(on, s, "flush", "cache-flush", ("10", "10000", "10")) }
                { field::number::<L>(on, s, "rw", "cache-rw", ("0", "1", "0.01")) }
            </div>
            <h2>{ "Workload" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "workload", "cache-workload") }
                { if props.trace_loaded { html! {
                    <p class="hint">{ "Replaying an imported trace: pick a pattern above to go back to generated requests." }</p>
                } } else { html! { <>
                    { field::number::<L>(on, s, "skew", "cache-skew", ("0", "2", "0.05")) }
                    { field::number::<L>(on, s, "items", "cache-items", ("10", "100000", "10")) }
                    { field::number::<L>(on, s, "n", "cache-requests", ("100", "200000", "100")) }
                </> } } }
            </div>
        </section>
    }
}
