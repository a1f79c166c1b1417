//! The rate-limiter lab's page: the timelines, the comparison table and the settings, on
//! `use_lab` (state, view, share link, playback).

use syslab_core::Notice;
use syslab_core::ratelimit::{AlgorithmKind, RateLimitLab, RateLimitScenario};
use yew::prelude::*;

use crate::components::lab_frame::{Chrome, lab_chrome, status_row};
use crate::components::lab_host::Mode;
use crate::components::ratelimit_lanes::RateLimitLanes;
use crate::components::ratelimit_settings::RateLimitSettings;
use crate::components::ratelimit_table::RateLimitTable;
use crate::hooks::use_lab::{LabStart, use_lab};

#[derive(Properties, PartialEq, Clone)]
pub struct RateLimitLabProps {
    pub scenario: RateLimitScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Show the settings panel (`controls=0` hides it: the lab as a figure, for embeds).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(RateLimitLabView)]
pub fn rate_limit_lab_view(props: &RateLimitLabProps) -> Html {
    let lab = use_lab::<RateLimitLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: true,
    });
    let (state, view) = (&lab.state, &lab.view);
    let onalgorithm = use_callback(lab.onparam.clone(), |k: AlgorithmKind, on| {
        on.emit(("alg", k.id().to_owned()))
    });
    let scenario = lab.scenario.clone();
    let seed = state.lab().config().seed;
    html! {
        <div class="lab" data-lab="rate-limiter" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Rate limiters",
                summary: "Every request is allowed, queued or rejected with 429 and Retry-After. Run the algorithms on identical seeded traffic, watch their buckets and windows, and see where each one leaks: the fixed window's double burst at a boundary, and what a cluster of limiters lets through.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            { status_row(state, &lab.controls, &view.status, "rl-status") }
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <RateLimitLanes view={view.clone()} />
                    <RateLimitTable rows={view.rows.clone()} onselect={onalgorithm} />
                </div>
                { if props.settings { html! {
                    <RateLimitSettings {scenario} onparam={lab.onparam.clone()} dispatch={lab.dispatch.clone()} onpreset={lab.onpreset.clone()} />
                } } else { html! {} } }
            </div>
            { if props.mode == Mode::Site { html! { <RateLimitGuide /> } } else { html! {} } }
        </div>
    }
}

/// What the lab shows and why, in a few sentences.
#[function_component(RateLimitGuide)]
fn rate_limit_guide() -> Html {
    html! {
        <section class="guide" aria-label="About this lab">
            <div class="guide-text">
                <h2>{ "How each limiter decides" }</h2>
                <p>{ "A token bucket holds up to its capacity in tokens and refills at limit ÷ window; a request spends one or is rejected. GCRA is the same rule written as one timestamp, the theoretical arrival time, which is why it makes exactly the token bucket's decisions with a single number of state. The leaky bucket as a meter is that rule again; as a queue it accepts requests into a fixed-size queue and forwards them at a constant rate, so requests wait instead of failing." }</p>
                <p>{ "Window counters are cheaper to explain and to store. A fixed window resets on the boundary, so a client can send the whole limit just before it and again just after: twice the limit in one window's time. A sliding log keeps every timestamp and is exact, at the cost of memory per request. A sliding counter weights the previous window's count by how much of it still overlaps: two numbers of state, and close to the log on average." }</p>
                <p>{ "Run several limiters and each counts only what it sees: N instances behind a balancer let through up to N times the limit. A central store fixes that at one round trip per decision, but only if the update is atomic; read-then-write lets every request inside a round trip read the same count." }</p>
            </div>
        </section>
    }
}
