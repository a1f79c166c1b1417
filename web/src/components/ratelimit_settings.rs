//! Every parameter of the rate-limiter lab: presets, algorithm and comparison, the limit, keying,
//! the deployment and the traffic. Changes apply to the running simulation at once.

use std::rc::Rc;

use syslab_core::ratelimit::{AlgorithmKind, RateLimitAction, RateLimitLab, RateLimitScenario};
use yew::prelude::*;

use crate::components::schema_field::{self as field, OnParam};

type L = RateLimitLab;

#[derive(Properties, PartialEq, Clone)]
pub struct RateLimitSettingsProps {
    pub scenario: Rc<RateLimitScenario>,
    pub onparam: OnParam,
    pub dispatch: Callback<RateLimitAction>,
    pub onpreset: Callback<String>,
}

#[function_component(RateLimitSettings)]
pub fn rate_limit_settings(props: &RateLimitSettingsProps) -> Html {
    let s = &*props.scenario;
    let c = &s.config;
    let on = &props.onparam;
    let multi = c.cluster.instances > 1;
    html! {
        <section class="panel rl-settings" aria-label="Rate limiter settings">
            { field::presets::<L>(&props.onpreset) }
            <h2>{ "Limit" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "alg", "rl-algorithm") }
                { field::number::<L>(on, s, "limit", "rl-limit", ("1", "100", "1")) }
                { field::number::<L>(on, s, "window", "rl-window", ("100", "10000", "100")) }
                { field::number::<L>(on, s, "burst", "rl-burst", ("1", "100", "1")) }
                { field::number::<L>(on, s, "queue", "rl-queue", ("1", "100", "1")) }
                { field::select::<L>(on, s, "by", "rl-key") }
                { field::number::<L>(on, s, "per", "rl-per-key", ("1", "20", "1")) }
            </div>
            <fieldset class="rl-compare-set">
                <legend>{ "Compare on the same traffic" }</legend>
                { for AlgorithmKind::ALL.iter().map(|&k| {
                    let cb = props.dispatch.clone();
                    let shown = k == c.algorithm;
                    html! {
                        <label class="check">
                            <input type="checkbox" data-testid="rl-compare" data-algorithm={k.id()}
                                checked={shown || c.compare.contains(&k)} disabled={shown}
                                onchange={move |_: Event| cb.emit(RateLimitAction::ToggleCompare(k))} />
                            { k.label() }
                        </label>
                    }
                }) }
            </fieldset>
            <h2>{ "Traffic" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "traffic", "rl-traffic") }
                { field::number::<L>(on, s, "rate", "rl-rate", ("0", "200", "1")) }
                { field::number::<L>(on, s, "peak", "rl-peak", ("0", "500", "1")) }
                { field::number::<L>(on, s, "clients", "rl-clients", ("1", "50", "1")) }
                { field::number::<L>(on, s, "abusers", "rl-abusers", ("0", "10", "1")) }
                { field::number::<L>(on, s, "dur", "rl-duration", ("1000", "120000", "1000")) }
            </div>
            <h2>{ "Deployment" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "inst", "rl-instances", ("1", "16", "1")) }
                { field::select::<L>(on, s, "store", "rl-store") }
                { if multi { field::select::<L>(on, s, "lb", "rl-balancer") } else { html! {} } }
                { field::number::<L>(on, s, "rtt", "rl-rtt", ("0", "200000", "1000")) }
            </div>
        </section>
    }
}
