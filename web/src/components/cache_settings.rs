//! Every parameter of the cache lab: presets, policy and comparison, size and TTL, the write
//! strategy, and the workload. Changes apply to the running simulation at once.

use syslab_core::cache::{CacheConfig, PolicyKind, WorkloadKind, WriteStrategy, presets};
use syslab_core::format::trimmed;
use yew::prelude::*;

use crate::components::number_field::{param_field, preset_buttons};
use crate::components::select_field::select;
use crate::state::cache::Param;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheSettingsProps {
    pub config: CacheConfig,
    pub onparam: Callback<(Param, String)>,
    pub onpolicy: Callback<PolicyKind>,
    pub oncompare: Callback<PolicyKind>,
    pub onworkload: Callback<WorkloadKind>,
    pub onwrite: Callback<WriteStrategy>,
    pub onpreset: Callback<String>,
}

#[function_component(CacheSettings)]
pub fn cache_settings(props: &CacheSettingsProps) -> Html {
    let c = &props.config;
    let field = |param: Param, testid, label, value, range, unit| {
        param_field(&props.onparam, param, testid, label, value, range, unit)
    };
    let policies: Vec<(PolicyKind, &'static str, &'static str)> = PolicyKind::ALL
        .iter()
        .map(|p| (*p, p.id(), p.label()))
        .collect();
    let writes: Vec<(WriteStrategy, &'static str, &'static str)> = WriteStrategy::ALL
        .iter()
        .map(|w| (*w, w.id(), w.label()))
        .collect();
    let workloads = [
        (WorkloadKind::Zipf, "zipf", "Zipf (skewed)"),
        (WorkloadKind::Uniform, "uniform", "uniform"),
        (WorkloadKind::Scan, "scan", "Zipf with scans"),
        (WorkloadKind::Loop, "loop", "loop"),
        (WorkloadKind::Shifting, "shifting", "shifting hot set"),
        (WorkloadKind::Trace, "trace", "imported trace"),
    ];
    let generated = c.workload.kind != WorkloadKind::Trace;
    html! {
        <section class="panel rl-settings cache-settings" aria-label="Cache settings">
            { preset_buttons(presets().into_iter().map(|(id, title, _)| (id, preset_name(id), title)), &props.onpreset) }
            <h2>{ "Cache" }</h2>
            <div class="settings-grid">
                { select("cache-policy", "Eviction policy", &policies, c.policy, &props.onpolicy) }
                { field(Param::Capacity, "cache-size", "Size", c.capacity.to_string(), ("1", "500", "1"), "objects") }
                { field(Param::TtlMs, "cache-ttl", "Time to live", c.ttl_ms.to_string(), ("0", "60000", "100"), "ms, 0 = none") }
                { field(Param::Batch, "cache-batch", "Requests per step", c.batch.to_string(), ("1", "1000", "1"), "") }
            </div>
            <fieldset class="rl-compare-set">
                <legend>{ "Compare on the same requests" }</legend>
                { for PolicyKind::ALL.iter().map(|&k| {
                    let cb = props.oncompare.clone();
                    let shown = k == c.policy;
                    html! {
                        <label class="check">
                            <input type="checkbox" data-testid="cache-compare" data-policy={k.id()}
                                checked={shown || c.compare.contains(&k)} disabled={shown}
                                onchange={move |_: Event| cb.emit(k)} />
                            { k.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <h2>{ "Writes" }</h2>
            <div class="settings-grid">
                { select("cache-write", "Write strategy", &writes, c.write, &props.onwrite) }
                { field(Param::FlushMs, "cache-flush", "Flush every", c.flush_ms.to_string(), ("10", "10000", "10"), "ms, write-back") }
                { field(Param::WriteRatio, "cache-rw", "Share of writes", trimmed(c.workload.write_ratio, 3), ("0", "1", "0.01"), "") }
            </div>
            <h2>{ "Workload" }</h2>
            <div class="settings-grid">
                { select("cache-workload", "Pattern", &workloads, c.workload.kind, &props.onworkload) }
                { if generated { html! { <>
                    { field(Param::Skew, "cache-skew", "Zipf skew", trimmed(c.workload.skew, 3), ("0", "2", "0.05"), "0 = uniform") }
                    { field(Param::Items, "cache-items", "Distinct keys", c.workload.items.to_string(), ("10", "100000", "10"), "") }
                    { field(Param::Requests, "cache-requests", "Requests", c.workload.requests.to_string(), ("100", "200000", "100"), "") }
                </> } } else { html! {} } }
            </div>
        </section>
    }
}

/// A short button label for a preset id.
fn preset_name(id: &str) -> &'static str {
    match id {
        "zipf-lru-vs-sieve" => "LRU vs SIEVE on Zipf",
        "scan-pollution" => "Scan pollution",
        "loop-beats-lru" => "A loop beats LRU",
        "cache-aside-stale" => "Cache-aside stale read",
        "write-back-crash" => "Write-back crash",
        "db-outage" => "Database outage",
        _ => "Preset",
    }
}
