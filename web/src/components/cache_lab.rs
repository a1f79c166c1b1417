//! The cache lab: wires the reducer to the slot strip, the charts, the comparison table, the
//! write-strategy numbers, the settings, trace import and the shared controls, and keeps the
//! address bar and share link in step with the run.

use syslab_core::cache::{
    CacheScenario, EventKind, PolicyKind, Trace, WorkloadKind, WriteStrategy,
};
use syslab_core::{Notice, query};
use yew::prelude::*;

use crate::components::cache_charts::CacheCharts;
use crate::components::cache_settings::CacheSettings;
use crate::components::cache_strip::CacheStrip;
use crate::components::cache_table::CacheTable;
use crate::components::cache_trace::CacheTrace;
use crate::components::lab_frame::{Chrome, lab_chrome};
use crate::components::lab_host::Mode;
use crate::hooks::use_action::use_action;
use crate::hooks::use_interval::use_interval;
use crate::hooks::use_session::use_session;
use crate::hooks::use_share_link::use_share_link;
use crate::state::cache::{CacheAction, CacheState, Param, mrc_done};
use crate::state::session::SessionAction;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheLabProps {
    pub scenario: CacheScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Show the settings panel (`controls=0` hides it: the lab as a figure, for embeds).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(CacheLabView)]
pub fn cache_lab_view(props: &CacheLabProps) -> Html {
    let state = use_reducer(|| CacheState::new(props.scenario.clone(), props.notices.clone()));
    let view = {
        let state = state.clone();
        use_memo(state.revision, move |_| state.lab.view())
    };
    // A trace cannot travel in a link: while one plays, the link keeps the last generated
    // workload's parameters and the page says so.
    let query = {
        let state = state.clone();
        use_memo(state.committed, move |_| {
            query::encode_query(&syslab_core::cache::scenario_to_params(
                &state.lab.scenario(),
            ))
        })
    };
    let share_url = use_share_link(
        "cache",
        (*query).clone(),
        props.base.clone(),
        props.mode == Mode::Site && state.extra.trace.is_none(),
    );

    let controls = use_session(&state);
    let d = state.dispatcher();
    // The miss-ratio curves are computed a slice per frame until complete.
    let mrc_done = mrc_done(&state.lab);
    let on_mrc =
        use_action::<CacheState, ()>(d.clone(), |_| SessionAction::Lab(CacheAction::AdvanceMrc));
    use_interval(on_mrc, (!mrc_done).then_some(16));

    let onparam = use_action::<CacheState, (Param, String)>(d.clone(), |(p, t)| {
        SessionAction::Lab(CacheAction::Set(p, t))
    });
    let onpolicy = use_action::<CacheState, PolicyKind>(d.clone(), |k| {
        SessionAction::Lab(CacheAction::Policy(k))
    });
    let oncompare = use_action::<CacheState, PolicyKind>(d.clone(), |k| {
        SessionAction::Lab(CacheAction::ToggleCompare(k))
    });
    let onworkload = use_action::<CacheState, WorkloadKind>(d.clone(), |k| {
        SessionAction::Lab(CacheAction::Workload(k))
    });
    let onwrite = use_action::<CacheState, WriteStrategy>(d.clone(), |w| {
        SessionAction::Lab(CacheAction::Write(w))
    });
    let onpreset = use_action::<CacheState, String>(d.clone(), |id| {
        SessionAction::Lab(CacheAction::Preset(id))
    });
    let ontrace = use_action::<CacheState, (Box<Trace>, String)>(d.clone(), |(t, n)| {
        SessionAction::Lab(CacheAction::Trace(t, n))
    });
    let event = |kind: EventKind| {
        let d = d.clone();
        move |_: MouseEvent| d.dispatch(SessionAction::Lab(CacheAction::Event(kind)))
    };
    let run_to_end = controls.onrun.reform(|_: MouseEvent| ());

    let config = state.lab.config().clone();
    let db_down = !state.lab.sim().db_up();
    let finished = state.lab.finished();
    html! {
        <div class="lab" data-lab="cache" data-ready="true">
            { lab_chrome(&state, &controls, Chrome {
                title: "Caches",
                summary: "Every request is a hit or a miss; every miss may evict someone. Run eleven eviction policies on the same requests, watch the slots change, and see what each write strategy costs: database load, stale reads, and what a crash loses.",
                step_hint: "Handle the next batch of requests",
                mode: props.mode,
                share_url: &share_url,
                seed: config.seed,
            }) }
            <div class="rl-status-row">
                <p class="rl-status" data-testid="cache-status" aria-live="polite">{ &view.status }</p>
                <button data-testid="run-to-end" onclick={run_to_end} disabled={finished}>{ "Run to the end" }</button>
                <span class="cache-events" role="group" aria-label="Failures">
                    <button data-testid="crash-cache" onclick={event(EventKind::CrashCache)} disabled={finished}
                        title="The cache restarts empty: write-back's dirty entries are lost">{ "Crash the cache" }</button>
                    { if db_down { html! {
                        <button data-testid="db-up" onclick={event(EventKind::DbUp)} disabled={finished}>{ "Bring the database back" }</button>
                    } } else { html! {
                        <button data-testid="db-down" onclick={event(EventKind::DbDown)} disabled={finished}
                            title="Misses and database writes fail until it is back">{ "Take the database down" }</button>
                    } } }
                </span>
            </div>
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <CacheStrip view={view.clone()} />
                    <section class="panel cache-stats" aria-label="Write strategy numbers">
                        <h2>{ format!("{}: what it costs", config.write.label()) }</h2>
                        <dl class="stats-grid" data-testid="cache-stats">
                            { for view.stats.iter().map(|s| html! {
                                <div><dt>{ s.label }</dt><dd>{ &s.value }</dd></div>
                            }) }
                        </dl>
                    </section>
                    <CacheCharts view={view.clone()} {mrc_done} />
                    <CacheTable rows={view.rows.clone()} onselect={onpolicy.clone()} />
                </div>
                { if props.settings { html! {
                    <div class="cache-side">
                        <CacheSettings {config} {onparam} {onpolicy} {oncompare} {onworkload} {onwrite} {onpreset} />
                        <CacheTrace current={state.extra.trace.clone()} {ontrace} onerror={controls.onerror.clone()} />
                    </div>
                } } else { html! {} } }
            </div>
            { if props.mode == Mode::Site { html! { <CacheGuide /> } } else { html! {} } }
        </div>
    }
}

/// What the lab shows and why, in a few sentences.
#[function_component(CacheGuide)]
fn cache_guide() -> Html {
    html! {
        <section class="guide" aria-label="About this lab">
            <div class="guide-text">
                <h2>{ "Which key goes" }</h2>
                <p>{ "LRU evicts the key used longest ago, which is right for most traffic and wrong for a scan (one pass over cold keys pushes every hot key out) and for a loop one key larger than the cache (LRU then misses every request, and MRU, its opposite, does well). LFU keeps the most used keys but holds on to yesterday's favourites. FIFO and CLOCK are cheap approximations; ARC balances recency against frequency by itself." }</p>
                <p>{ "The newer designs notice that most keys are requested once: SIEVE keeps a visited bit and a moving hand, S3-FIFO lets new keys prove themselves in a small queue first, W-TinyLFU admits a newcomer only if a frequency sketch says it is more popular than the key it would evict. Bélády's optimum evicts the key needed furthest in the future; it needs the whole trace, so it is the limit to measure against, not a policy to run." }</p>
                <p>{ "Writes decide what the database sees. Cache-aside and read-through fill on a read miss; write-through writes both and is slow but safe; write-around skips the cache and invalidates; write-back acknowledges from the cache and flushes later, fast until the cache crashes with dirty entries. Cache-aside also has a race: a slow fill can land after a write's invalidation and serve an old value until it expires." }</p>
            </div>
        </section>
    }
}
