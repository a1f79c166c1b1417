//! Every parameter of the rate-limiter lab: presets, algorithm and comparison, the limit, keying,
//! the deployment and the traffic. Changes apply to the running simulation at once.

use syslab_core::format::trimmed;
use syslab_core::ratelimit::{
    AlgorithmKind, Balancer, KeyKind, Pattern, RateLimitConfig, StoreMode, presets,
};
use yew::prelude::*;

use crate::components::number_field::{param_field, preset_buttons};
use crate::components::select_field::select;
use crate::state::ratelimit::Param;

#[derive(Properties, PartialEq, Clone)]
pub struct RateLimitSettingsProps {
    pub config: RateLimitConfig,
    pub onparam: Callback<(Param, String)>,
    pub onalgorithm: Callback<AlgorithmKind>,
    pub oncompare: Callback<AlgorithmKind>,
    pub onpattern: Callback<Pattern>,
    pub onstore: Callback<StoreMode>,
    pub onbalancer: Callback<Balancer>,
    pub onkey: Callback<KeyKind>,
    pub onpreset: Callback<String>,
}

#[function_component(RateLimitSettings)]
pub fn rate_limit_settings(props: &RateLimitSettingsProps) -> Html {
    let c = &props.config;
    let field = |param: Param, testid, label, value, range, unit| {
        param_field(&props.onparam, param, testid, label, value, range, unit)
    };
    let algorithms: Vec<(AlgorithmKind, &'static str, &'static str)> = AlgorithmKind::ALL
        .iter()
        .map(|k| (*k, k.id(), k.label()))
        .collect();
    let patterns: Vec<(Pattern, &'static str, &'static str)> = Pattern::ALL
        .iter()
        .map(|p| (*p, p.id(), p.label()))
        .collect();
    let stores: Vec<(StoreMode, &'static str, &'static str)> = StoreMode::ALL
        .iter()
        .map(|m| (*m, m.id(), m.label()))
        .collect();
    let keys: Vec<(KeyKind, &'static str, &'static str)> = KeyKind::ALL
        .iter()
        .map(|k| {
            (
                *k,
                k.id(),
                match k {
                    KeyKind::Global => "one global limit",
                    KeyKind::ApiKey => "per API key",
                    KeyKind::User => "per user",
                    KeyKind::Ip => "per IP address",
                },
            )
        })
        .collect();
    let balancers = [
        (Balancer::RoundRobin, "round_robin", "round robin"),
        (Balancer::Random, "random", "random"),
    ];
    let multi = c.cluster.instances > 1;
    html! {
        <section class="panel rl-settings" aria-label="Rate limiter settings">
            { preset_buttons(presets().into_iter().map(|(id, title, _)| (id, preset_name(id), title)), &props.onpreset) }
            <h2>{ "Limit" }</h2>
            <div class="settings-grid">
                { select("rl-algorithm", "Algorithm", &algorithms, c.algorithm, &props.onalgorithm) }
                { field(Param::Limit, "rl-limit", "Limit", c.limit.to_string(), ("1", "100", "1"), "per window") }
                { field(Param::WindowMs, "rl-window", "Window", c.window_ms.to_string(), ("100", "10000", "100"), "ms") }
                { field(Param::Burst, "rl-burst", "Burst / capacity", c.burst.to_string(), ("1", "100", "1"), "") }
                { field(Param::Queue, "rl-queue", "Queue size", c.queue.to_string(), ("1", "100", "1"), "leaky queue") }
                { select("rl-key", "Counted", &keys, c.key, &props.onkey) }
                { field(Param::ClientsPerKey, "rl-per-key", "Clients per user / IP", c.clients_per_key.to_string(), ("1", "20", "1"), "") }
            </div>
            <fieldset class="rl-compare-set">
                <legend>{ "Compare on the same traffic" }</legend>
                { for AlgorithmKind::ALL.iter().map(|&k| {
                    let cb = props.oncompare.clone();
                    let shown = k == c.algorithm;
                    html! {
                        <label class="check">
                            <input type="checkbox" data-testid="rl-compare" data-algorithm={k.id()}
                                checked={shown || c.compare.contains(&k)} disabled={shown}
                                onchange={move |_: Event| cb.emit(k)} />
                            { k.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <h2>{ "Traffic" }</h2>
            <div class="settings-grid">
                { select("rl-traffic", "Pattern", &patterns, c.traffic.pattern, &props.onpattern) }
                { field(Param::Rate, "rl-rate", "Rate", trimmed(c.traffic.rate, 2), ("0", "200", "1"), "req/s") }
                { field(Param::Peak, "rl-peak", "Peak", trimmed(c.traffic.peak, 2), ("0", "500", "1"), "req/s") }
                { field(Param::Clients, "rl-clients", "Clients", c.traffic.clients.to_string(), ("1", "50", "1"), "") }
                { field(Param::Abusers, "rl-abusers", "Abusive clients", c.traffic.abusers.to_string(), ("0", "10", "1"), "mix") }
                { field(Param::DurationS, "rl-duration", "Run", trimmed(f64::from(c.duration_ms) / 1000.0, 3), ("1", "120", "1"), "s") }
            </div>
            <h2>{ "Deployment" }</h2>
            <div class="settings-grid">
                { field(Param::Instances, "rl-instances", "Limiter instances", c.cluster.instances.to_string(), ("1", "16", "1"), "") }
                { select("rl-store", "Counters", &stores, c.cluster.store, &props.onstore) }
                { if multi { select("rl-balancer", "Balancer", &balancers, c.cluster.balancer, &props.onbalancer) } else { html! {} } }
                { field(Param::RttMs, "rl-rtt", "Store round trip", trimmed(f64::from(c.cluster.rtt_us) / 1000.0, 3), ("0", "200", "1"), "ms") }
            </div>
        </section>
    }
}

/// A short button label for a preset id.
fn preset_name(id: &str) -> &'static str {
    match id {
        "boundary-burst" => "Boundary burst",
        "steady-overload" => "Steady overload",
        "flash-sale" => "Flash sale",
        "abusive-client" => "Abusive client",
        "distributed" => "Distributed over-admission",
        "racy-store" => "Racy central store",
        _ => "Preset",
    }
}
