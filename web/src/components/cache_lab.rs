//! The cache lab's page: the slot strip, the charts, the comparison table, the write-strategy
//! numbers, the settings and trace import, on `use_lab` (state, view, share link, playback).

use syslab_core::Notice;
use syslab_core::cache::{CacheAction, CacheLab, CacheScenario, EventKind, PolicyKind, Trace};
use yew::prelude::*;

use crate::components::cache_charts::CacheCharts;
use crate::components::cache_settings::CacheSettings;
use crate::components::cache_strip::CacheStrip;
use crate::components::cache_table::CacheTable;
use crate::components::cache_trace::CacheTrace;
use crate::components::lab_frame::{Chrome, lab_chrome};
use crate::components::lab_host::Mode;
use crate::components::run_button::RunButton;
use crate::hooks::use_lab::{LabStart, use_lab};

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
    // A trace cannot travel in a link: while one plays, the address bar is left alone and
    // the page says so (`Lab::shareable`).
    let lab = use_lab::<CacheLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: true,
    });
    let (state, view, d) = (&lab.state, &lab.view, &lab.dispatch);
    // The imported trace's name and size (page state: a trace stays in the page).
    let trace_name = use_state(|| None::<String>);

    // The miss-ratio curves are the lab's background work: `use_lab` computes them in
    // slices between frames until complete.
    let mrc_done = state.lab().mrc_progress() >= 1.0;
    let onpolicy = use_callback(lab.onparam.clone(), |k: PolicyKind, on| {
        on.emit(("policy", k.id().to_owned()))
    });
    let ontrace = use_callback(
        (d.clone(), trace_name.clone()),
        |(trace, name): (Box<Trace>, String), (d, trace_name)| {
            trace_name.set(Some(format!(
                "{name}: {} requests, {} keys",
                syslab_core::format::thousands(trace.len() as u64),
                syslab_core::format::thousands(trace.n_keys())
            )));
            d.emit(CacheAction::LoadTrace(trace));
        },
    );
    let event = |kind: EventKind| {
        let d = d.clone();
        move |_: MouseEvent| d.emit(CacheAction::Event(kind))
    };
    let scenario = lab.scenario.clone();

    let (seed, write_label, db_down, finished, trace_loaded, progress) = {
        let l = state.lab();
        (
            l.config().seed,
            l.config().write.label(),
            !l.sim().db_up(),
            l.finished(),
            !syslab_core::Lab::shareable(&*l),
            syslab_core::Lab::progress(&*l).unwrap_or(0.0),
        )
    };
    let current_trace = if trace_loaded {
        (*trace_name)
            .clone()
            .or_else(|| Some("an imported trace".to_owned()))
    } else {
        None
    };
    html! {
        <div class="lab" data-lab="cache" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Caches",
                summary: "Every request is a hit or a miss; every miss may evict someone. Run eleven eviction policies on the same requests, watch the slots change, and see what each write strategy costs: database load, stale reads, and what a crash loses.",
                step_hint: "Handle the next batch of requests",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            <div class="rl-status-row">
                <p class="rl-status" data-look="status" data-testid="cache-status" aria-live="polite">{ &view.status }</p>
                <RunButton running={state.running} {finished} progress={progress} onrun={lab.controls.onrun.clone()} onstop={lab.controls.onstop.clone()} />
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
                        <h2>{ format!("{write_label}: what it costs") }</h2>
                        <dl class="stats-grid" data-testid="cache-stats">
                            { for view.stats.iter().map(|s| html! {
                                <div><dt>{ s.label }</dt><dd>{ &s.value }</dd></div>
                            }) }
                        </dl>
                    </section>
                    <CacheCharts view={view.clone()} {mrc_done} />
                    <CacheTable rows={view.rows.clone()} onselect={onpolicy} />
                </div>
                { if props.settings { html! {
                    <div class="cache-side">
                        <CacheSettings {scenario} {trace_loaded} onparam={lab.onparam.clone()} dispatch={d.clone()} onpreset={lab.onpreset.clone()} />
                        <CacheTrace current={current_trace} {ontrace} onerror={lab.controls.onerror.clone()} />
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
