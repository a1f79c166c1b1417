//! Every parameter of the load-balancer lab: presets, algorithm and comparison, traffic,
//! servers, timeouts, retries and health checks. Changes apply to the running simulation at once.

use syslab_core::format::trimmed;
use syslab_core::lb::{Algorithm, LbConfig, ServerState, ServiceDist, presets};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::number_field::{param_field, preset_buttons};
use crate::components::select_field::select;
use crate::state::lb::{Param, SLOWDOWN};

#[derive(Properties, PartialEq, Clone)]
pub struct LbSettingsProps {
    pub config: LbConfig,
    /// What clicking an up server does.
    pub click: ServerState,
    pub onparam: Callback<(Param, String)>,
    pub onalgorithm: Callback<Algorithm>,
    pub onservice: Callback<ServiceDist>,
    pub oncompare: Callback<bool>,
    pub onproxy: Callback<bool>,
    pub onl7: Callback<bool>,
    pub onclickmode: Callback<ServerState>,
    pub onpreset: Callback<String>,
}

/// A checkbox with `data-testid={testid}` that emits its new state.
fn check(testid: &'static str, label: &'static str, on: bool, cb: &Callback<bool>) -> Html {
    let cb = cb.clone();
    let onchange = move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        cb.emit(input.checked());
    };
    html! {
        <label class="check">
            <input type="checkbox" data-testid={testid} checked={on} {onchange} />
            { label }
        </label>
    }
}

#[function_component(LbSettings)]
pub fn lb_settings(props: &LbSettingsProps) -> Html {
    let c = &props.config;
    let field = |param: Param, testid, label, value, range, unit| {
        param_field(&props.onparam, param, testid, label, value, range, unit)
    };
    let algorithms: Vec<(Algorithm, &'static str, &'static str)> = Algorithm::ALL
        .iter()
        .map(|a| (*a, a.id(), a.label()))
        .collect();
    let services = [
        (ServiceDist::Constant, "constant", "constant"),
        (ServiceDist::Exponential, "exponential", "exponential"),
        (
            ServiceDist::LogNormal,
            "lognormal",
            "log-normal (long tail)",
        ),
    ];
    let click_modes = [
        (ServerState::Down, "down", "takes it down"),
        (ServerState::Slow(SLOWDOWN), "slow", "makes it 5× slower"),
    ];
    html! {
        <section class="panel rl-settings lb-settings" aria-label="Load balancer settings">
            { preset_buttons(presets().into_iter().map(|(id, title, _)| (id, preset_name(id), title)), &props.onpreset) }
            <h2>{ "Balancer" }</h2>
            <div class="settings-grid">
                { select("lb-algorithm", "Algorithm", &algorithms, c.algorithm, &props.onalgorithm) }
                { select("lb-click", "Clicking a server", &click_modes, props.click, &props.onclickmode) }
            </div>
            <div class="checks">
                { check("lb-compare", "Compare every algorithm on the same traffic", c.compare, &props.oncompare) }
                { check("lb-l7", "Route at layer 7 (/static and /api pools, hash on the user)", c.l7, &props.onl7) }
            </div>
            <h2>{ "Traffic" }</h2>
            <div class="settings-grid">
                { field(Param::Rate, "lb-rate", "Request rate", trimmed(c.rate, 2), ("1", "50000", "1"), "req/s") }
                { field(Param::RateCv, "lb-rate-cv", "Rate variability", trimmed(c.rate_cv, 2), ("0", "4", "0.1"), "CV, 1 = Poisson") }
                { field(Param::Cost, "lb-cost", "Request cost", trimmed(c.cost_ms, 3), ("0.1", "200", "0.1"), "ms") }
                { field(Param::CostCv, "lb-cost-cv", "Cost variability", trimmed(c.cost_cv, 2), ("0", "5", "0.1"), "CV") }
                { select("lb-service", "Service time", &services, c.service, &props.onservice) }
                { field(Param::Clients, "lb-clients", "Clients", c.clients.to_string(), ("1", "1000", "1"), "") }
            </div>
            <div class="checks">
                { check("lb-proxy", "All clients behind one forward proxy", c.proxy, &props.onproxy) }
            </div>
            <h2>{ "Servers" }</h2>
            <div class="settings-grid">
                { field(Param::Servers, "lb-servers", "Servers", c.servers.to_string(), ("1", "64", "1"), "") }
                { field(Param::Spread, "lb-spread", "Power spread", trimmed(c.spread, 2), ("0", "0.9", "0.05"), "±") }
                { field(Param::Capacity, "lb-capacity", "Capacity", c.capacity.to_string(), ("1", "64", "1"), "at once") }
                { field(Param::Queue, "lb-queue", "Queue limit", c.queue_limit.to_string(), ("0", "1000", "1"), "") }
            </div>
            <h2>{ "Failures" }</h2>
            <div class="settings-grid">
                { field(Param::TimeoutMs, "lb-timeout", "Timeout", c.timeout_ms.to_string(), ("0", "5000", "10"), "ms, 0 = none") }
                { field(Param::Retries, "lb-retries", "Retries", c.retries.to_string(), ("0", "5", "1"), "") }
                { field(Param::Budget, "lb-budget", "Retry budget", trimmed(c.retry_budget, 2), ("0", "1", "0.05"), "share") }
                { field(Param::HealthInterval, "lb-hc-interval", "Health check every", c.health.interval_ms.to_string(), ("50", "5000", "50"), "ms") }
                { field(Param::HealthFall, "lb-hc-fall", "Failures to mark down", c.health.fall.to_string(), ("1", "10", "1"), "") }
                { field(Param::HealthRise, "lb-hc-rise", "Successes to mark up", c.health.rise.to_string(), ("1", "10", "1"), "") }
                { field(Param::DurationS, "lb-duration", "Run", trimmed(f64::from(c.duration_ms) / 1000.0, 3), ("1", "60", "1"), "s") }
            </div>
        </section>
    }
}

/// A short button label for a preset id.
fn preset_name(id: &str) -> &'static str {
    match id {
        "uneven-costs" => "Uneven costs",
        "slow-server" => "A server turns slow",
        "server-dies" => "A server dies",
        "one-proxy" => "One proxy, IP hash",
        "burst" => "A burst",
        "l7-pools" => "L7 pools",
        _ => "Preset",
    }
}
