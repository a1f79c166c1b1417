//! Every parameter of the load-balancer lab: presets, algorithm and comparison, traffic,
//! servers, timeouts, retries and health checks. Changes apply to the running simulation at once.

use std::rc::Rc;

use syslab_core::lb::{LbScenario, LoadBalancerLab, ServerState};
use yew::prelude::*;

use crate::components::lb_lab::SLOWDOWN;
use crate::components::schema_field::{self as field, OnParam};
use crate::components::select_field::select;

type L = LoadBalancerLab;

#[derive(Properties, PartialEq, Clone)]
pub struct LbSettingsProps {
    pub scenario: Rc<LbScenario>,
    /// What clicking an up server does.
    pub click: ServerState,
    pub onparam: OnParam,
    pub onclickmode: Callback<ServerState>,
    pub onpreset: Callback<String>,
}

#[function_component(LbSettings)]
pub fn lb_settings(props: &LbSettingsProps) -> Html {
    let s = &*props.scenario;
    let on = &props.onparam;
    let click_modes = [
        (ServerState::Down, "down", "takes it down"),
        (ServerState::Slow(SLOWDOWN), "slow", "makes it 5× slower"),
    ];
    html! {
        <section class="panel rl-settings lb-settings" aria-label="Load balancer settings">
            { field::presets::<L>(&props.onpreset) }
            <h2>{ "Balancer" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "alg", "lb-algorithm") }
                { select("lb-click", "Clicking a server", &click_modes, props.click, &props.onclickmode) }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "cmp", "lb-compare", "Compare every algorithm on the same traffic") }
                { field::check::<L>(on, s, "l7", "lb-l7", "Route at layer 7 (/static and /api pools, hash on the user)") }
            </div>
            <h2>{ "Traffic" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "rate", "lb-rate", ("1", "50000", "1")) }
                { field::number::<L>(on, s, "rvar", "lb-rate-cv", ("0", "4", "0.1")) }
                { field::number::<L>(on, s, "cost", "lb-cost", ("0.1", "200", "0.1")) }
                { field::number::<L>(on, s, "cvar", "lb-cost-cv", ("0", "5", "0.1")) }
                { field::select::<L>(on, s, "dist", "lb-service") }
                { field::number::<L>(on, s, "clients", "lb-clients", ("1", "1000", "1")) }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "proxy", "lb-proxy", "All clients behind one forward proxy") }
            </div>
            <h2>{ "Servers" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "servers", "lb-servers", ("1", "64", "1")) }
                { field::number::<L>(on, s, "spread", "lb-spread", ("0", "0.9", "0.05")) }
                { field::number::<L>(on, s, "cap", "lb-capacity", ("1", "64", "1")) }
                { field::number::<L>(on, s, "queue", "lb-queue", ("0", "1000", "1")) }
            </div>
            <h2>{ "Failures" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "timeout", "lb-timeout", ("0", "5000", "10")) }
                { field::number::<L>(on, s, "retries", "lb-retries", ("0", "5", "1")) }
                { field::number::<L>(on, s, "budget", "lb-budget", ("0", "1", "0.05")) }
                { field::number::<L>(on, s, "hc", "lb-hc-interval", ("0", "5000", "50")) }
                { field::number::<L>(on, s, "fall", "lb-hc-fall", ("1", "10", "1")) }
                { field::number::<L>(on, s, "rise", "lb-hc-rise", ("1", "10", "1")) }
                { field::number::<L>(on, s, "dur", "lb-duration", ("1000", "60000", "1000")) }
            </div>
        </section>
    }
}
