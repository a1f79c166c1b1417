//! The resilience lab's page: the call chain (click a tier to fail it), the charts over the
//! run, the accounting table and the settings, on `use_lab` (state, view, share link,
//! playback).

use syslab_core::Notice;
use syslab_core::resilience::{CLICK_MODES, ResAction, ResScenario, ResilienceLab};
use yew::prelude::*;

use crate::components::lab_frame::{Chrome, lab_chrome, status_row};
use crate::components::lab_host::Mode;
use crate::components::resilience_cache::ResilienceCache;
use crate::components::resilience_chain::ResilienceChain;
use crate::components::resilience_charts::ResilienceCharts;
use crate::components::resilience_settings::ResilienceSettings;
use crate::components::resilience_table::ResilienceTable;
use crate::hooks::use_lab::{LabStart, use_lab};

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceLabProps {
    pub scenario: ResScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Show the settings panel (`controls=0` hides it: the lab as a figure, for embeds).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(ResilienceLabView)]
pub fn resilience_lab_view(props: &ResilienceLabProps) -> Html {
    let lab = use_lab::<ResilienceLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: true,
    });
    let (state, view) = (&lab.state, &lab.view);
    // What clicking a tier without a fault starts: page state, not part of the scenario (the
    // fault it starts is).
    let click = use_state(|| 0usize);
    let onclickmode = use_callback(click.clone(), |id: String, click| {
        if let Some(i) = CLICK_MODES.iter().position(|(m, _, _)| *m == id) {
            click.set(i);
        }
    });
    let ontier = use_callback((lab.dispatch.clone(), *click), |tier: u8, (d, click)| {
        d.emit(ResAction::ClickTier {
            tier,
            kind: CLICK_MODES[*click].1,
        })
    });
    let scenario = lab.scenario.clone();
    let seed = state.lab().config().seed;
    html! {
        <div class="lab" data-lab="resilience" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Resilience",
                summary: "Clients call A, A calls B. Fail B for a few seconds and watch what the policies meant to keep the system up do: retries at two layers multiply the load, backoff without jitter comes back in waves, and only a budget or a breaker lets B recover. Click a tier to fail it.",
                step_hint: "Advance the simulation by one step",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            { status_row(state, &lab.controls, &view.status, "res-status") }
            if !view.verdict.is_empty() {
                <p class="res-verdict" data-testid="res-verdict">{ &view.verdict }</p>
            }
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <ResilienceChain view={view.clone()} {ontier} />
                    <ResilienceCharts view={view.clone()} />
                    <ResilienceTable rows={view.rows.clone()} />
                    if !view.cache_rows.is_empty() {
                        <ResilienceCache rows={view.cache_rows.clone()} />
                    }
                </div>
                { if props.settings { html! {
                    <ResilienceSettings {scenario} click={CLICK_MODES[*click].0} {onclickmode}
                        onparam={lab.onparam.clone()} onpreset={lab.onpreset.clone()} />
                } } else { html! {} } }
            </div>
            { if props.mode == Mode::Site { html! { <ResilienceGuide /> } } else { html! {} } }
        </div>
    }
}

/// What the lab shows and why, in a few sentences.
#[function_component(ResilienceGuide)]
fn resilience_guide() -> Html {
    html! {
        <section class="guide" aria-label="About this lab">
            <div class="guide-text">
                <h2>{ "Why the cure can be the disease" }</h2>
                <p>{ "A retry turns one failed call into two. With r retries at each of L layers and the deepest tier failing, it receives (r + 1)^L attempts per request: 3 retries at two layers is 16. A tier that was merely slow is now overloaded, its answers come after the callers' timeouts, and the retries keep it there after the fault is gone: a metastable failure." }</p>
                <p>{ "Backoff spaces the retries, but clients that failed together retry together unless the delay is randomised: full jitter spreads each wave over its whole window. A retry budget (Finagle) or a token quota (gRPC) caps retries at a share of the requests, so amplification stays near 1 + the ratio whatever the fault. A circuit breaker stops calling a tier that keeps failing and lets a few trial calls through after a wait, giving it room to recover. Deadlines that travel with the call let a tier drop work nobody is waiting for." }</p>
                <p>{ "A cache in front of B has its own herd: when a hot key's value expires, every read that arrives while it is recomputed recomputes it too (rate × recompute time). Single-flight makes them wait for one recomputation, a lock makes them poll for it, stale-while-revalidate serves the old value while one refreshes it, XFetch refreshes it a little early at random, and TTL jitter keeps many keys from expiring together." }</p>
                <p>{ "Hedging sends a second copy of a slow call after about the p95 and takes whichever answers first: a few percent more load for a much shorter tail, as long as the tier is not the bottleneck." }</p>
            </div>
        </section>
    }
}
