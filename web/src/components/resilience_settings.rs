//! Every setting of the resilience lab a person tunes: presets, what a click on a tier does,
//! the chain, the traffic and faults, and each policy (timeouts and deadline, retries with
//! backoff and jitter, budget and quota, breaker, throttling, hedging). Changes apply to the
//! running simulation at once, replayed to the same moment.

use std::rc::Rc;

use syslab_core::resilience::{ResScenario, ResilienceLab};
use yew::prelude::*;

use crate::components::schema_field::{self as field, OnParam};

type L = ResilienceLab;

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceSettingsProps {
    pub scenario: Rc<ResScenario>,
    /// The click mode's id (`CLICK_MODES`).
    pub click: AttrValue,
    pub onclickmode: Callback<String>,
    pub onparam: OnParam,
    pub onpreset: Callback<String>,
}

#[function_component(ResilienceSettings)]
pub fn resilience_settings(props: &ResilienceSettingsProps) -> Html {
    let s = &*props.scenario;
    let c = &s.config;
    let on = &props.onparam;
    let depth = c.depth();
    let onclick = {
        let cb = props.onclickmode.clone();
        move |e: Event| {
            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit(el.value());
        }
    };
    html! {
        <section class="panel rl-settings res-settings" aria-label="Resilience settings">
            { field::presets::<L>(&props.onpreset) }
            <h2>{ "Faults" }</h2>
            <div class="settings-grid">
                <label class="control">
                    <span>{ "Clicking a tier" }</span>
                    <select data-testid="res-click" onchange={onclick}>
                        { for syslab_core::resilience::CLICK_MODES.iter().map(|(id, _, label)| html! {
                            <option value={*id} selected={*id == props.click.as_str()}>{ *label }</option>
                        }) }
                    </select>
                </label>
                { field::text::<L>(on, s, "fault", "res-faults") }
                { field::number::<L>(on, s, "herd", "res-herd", ("0", "50000", "500")) }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "cmp", "res-compare", "Compare the ladder of policy sets on the same traffic") }
            </div>
            <h2>{ "Chain and traffic" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "depth", "res-depth", ("1", "3", "1")) }
                { field::number::<L>(on, s, "rate", "res-rate", ("10", "20000", "10")) }
                { field::number::<L>(on, s, "an", "res-a-servers", ("1", "64", "1")) }
                { field::number::<L>(on, s, "ams", "res-a-ms", ("0.1", "200", "0.1")) }
                { if depth > 1 { html! { <>
                    { field::number::<L>(on, s, "bn", "res-b-servers", ("1", "64", "1")) }
                    { field::number::<L>(on, s, "bms", "res-b-ms", ("0.1", "200", "0.1")) }
                </> } } else { html! {} } }
                { if depth > 2 { html! { <>
                    { field::number::<L>(on, s, "cn", "res-c-servers", ("1", "64", "1")) }
                    { field::number::<L>(on, s, "cms", "res-c-ms", ("0.1", "200", "0.1")) }
                </> } } else { html! {} } }
                { field::select::<L>(on, s, "dist", "res-dist") }
                { field::number::<L>(on, s, "dur", "res-duration", ("1000", "120000", "1000")) }
            </div>
            <h2>{ "Timeouts and retries" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "toa", "res-timeout-a", ("0", "5000", "10")) }
                { if depth > 1 { field::number::<L>(on, s, "tob", "res-timeout-b", ("0", "5000", "10")) } else { html! {} } }
                { field::number::<L>(on, s, "deadline", "res-deadline", ("0", "10000", "50")) }
                { field::number::<L>(on, s, "ra", "res-retries-a", ("0", "10", "1")) }
                { if depth > 1 { field::number::<L>(on, s, "rb", "res-retries-b", ("0", "10", "1")) } else { html! {} } }
                { field::select::<L>(on, s, "backoff", "res-backoff") }
                { field::number::<L>(on, s, "base", "res-base", ("1", "2000", "1")) }
                { field::select::<L>(on, s, "jitter", "res-jitter") }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "prop", "res-propagate", "Propagate the deadline down the chain") }
                { field::check::<L>(on, s, "budget", "res-budget", "Retry budget at each caller (Finagle)") }
            </div>
            <h2>{ "Breaker, throttling, hedging" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "brk", "res-breaker-at") }
                { field::number::<L>(on, s, "bwait", "res-breaker-wait", ("100", "60000", "100")) }
                { field::number::<L>(on, s, "quota", "res-quota", ("0", "1000", "1")) }
                { field::number::<L>(on, s, "hedge", "res-hedge", ("0", "1000", "1")) }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "thr", "res-throttle", "Adaptive throttling at each caller (K = 2)") }
            </div>
            <h2>{ "Cache in front of B" }</h2>
            <div class="checks">
                { field::check::<L>(on, s, "cache", "res-cache-on", "A reads a cache with hot keys before calling B") }
                { if c.cache.on { field::check::<L>(on, s, "fixcmp", "res-fix-compare", "Compare every stampede fix on the same traffic") } else { html! {} } }
            </div>
            { if c.cache.on { html! {
                <div class="settings-grid">
                    { field::select::<L>(on, s, "fix", "res-fix") }
                    { field::number::<L>(on, s, "ttl", "res-ttl", ("100", "60000", "100")) }
                    { field::number::<L>(on, s, "hot", "res-hot", ("0", "1", "0.05")) }
                    { field::number::<L>(on, s, "keys", "res-keys", ("1", "10000", "1")) }
                    { field::number::<L>(on, s, "rms", "res-rms", ("1", "2000", "1")) }
                    { field::number::<L>(on, s, "beta", "res-beta", ("0.1", "10", "0.1")) }
                    { field::number::<L>(on, s, "tjit", "res-tjit", ("0", "1", "0.05")) }
                    { field::number::<L>(on, s, "stale", "res-stale", ("0", "10000", "100")) }
                    { field::number::<L>(on, s, "lease", "res-lease", ("10", "10000", "10")) }
                    { field::number::<L>(on, s, "poll", "res-poll", ("1", "1000", "1")) }
                </div>
            } } else { html! {} } }
        </section>
    }
}
