//! The rate-limiter lab: wires the reducer to the timelines, the comparison table, the settings
//! and the shared controls, and keeps the address bar and share link in step with the run.

use syslab_core::ratelimit::{
    AlgorithmKind, Balancer, KeyKind, Pattern, RateLimitScenario, StoreMode,
};
use syslab_core::{Notice, query};
use yew::prelude::*;

use crate::components::lab_frame::{Chrome, lab_chrome};
use crate::components::lab_host::Mode;
use crate::components::ratelimit_lanes::RateLimitLanes;
use crate::components::ratelimit_settings::RateLimitSettings;
use crate::components::ratelimit_table::RateLimitTable;
use crate::hooks::use_action::use_action;
use crate::hooks::use_session::use_session;
use crate::hooks::use_share_link::use_share_link;
use crate::state::ratelimit::{Param, RateLimitAction, RateLimitState};
use crate::state::session::SessionAction;

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
    let state = use_reducer(|| RateLimitState::new(props.scenario.clone(), props.notices.clone()));
    let view = {
        let state = state.clone();
        use_memo(state.revision, move |_| state.lab.view())
    };
    let query = {
        let state = state.clone();
        use_memo(state.committed, move |_| {
            query::encode_query(&syslab_core::ratelimit::scenario_to_params(
                &state.lab.scenario(),
            ))
        })
    };
    let share_url = use_share_link(
        "rate-limiter",
        (*query).clone(),
        props.base.clone(),
        props.mode == Mode::Site,
    );

    let controls = use_session(&state);
    let d = state.dispatcher();
    let onparam = use_action::<RateLimitState, (Param, String)>(d.clone(), |(p, t)| {
        SessionAction::Lab(RateLimitAction::Set(p, t))
    });
    let onalgorithm = use_action::<RateLimitState, AlgorithmKind>(d.clone(), |k| {
        SessionAction::Lab(RateLimitAction::Algorithm(k))
    });
    let oncompare = use_action::<RateLimitState, AlgorithmKind>(d.clone(), |k| {
        SessionAction::Lab(RateLimitAction::ToggleCompare(k))
    });
    let onpattern = use_action::<RateLimitState, Pattern>(d.clone(), |p| {
        SessionAction::Lab(RateLimitAction::Pattern(p))
    });
    let onstore = use_action::<RateLimitState, StoreMode>(d.clone(), |m| {
        SessionAction::Lab(RateLimitAction::Store(m))
    });
    let onbalancer = use_action::<RateLimitState, Balancer>(d.clone(), |b| {
        SessionAction::Lab(RateLimitAction::Balancer(b))
    });
    let onkey = use_action::<RateLimitState, KeyKind>(d.clone(), |k| {
        SessionAction::Lab(RateLimitAction::Key(k))
    });
    let onpreset = use_action::<RateLimitState, String>(d, |id| {
        SessionAction::Lab(RateLimitAction::Preset(id))
    });
    let run_to_end = controls.onrun.reform(|_: MouseEvent| ());

    let config = state.lab.config().clone();
    html! {
        <div class="lab" data-lab="rate-limiter" data-ready="true">
            { lab_chrome(&state, &controls, Chrome {
                title: "Rate limiters",
                summary: "Every request is allowed, queued or rejected with 429 and Retry-After. Run the algorithms on identical seeded traffic, watch their buckets and windows, and see where each one leaks: the fixed window's double burst at a boundary, and what a cluster of limiters lets through.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &share_url,
                seed: config.seed,
            }) }
            <div class="rl-status-row">
                <p class="rl-status" data-testid="rl-status" aria-live="polite">{ &view.status }</p>
                <button data-testid="run-to-end" onclick={run_to_end} disabled={state.lab.finished()}>{ "Run to the end" }</button>
            </div>
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <RateLimitLanes view={view.clone()} />
                    <RateLimitTable rows={view.rows.clone()} onselect={onalgorithm.clone()} />
                </div>
                { if props.settings { html! {
                    <RateLimitSettings {config} {onparam} {onalgorithm} {oncompare} {onpattern} {onstore} {onbalancer} {onkey} {onpreset} />
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
