//! The consistent-hashing lab's page: the ring, its panels and the shared frame, on
//! `use_lab` (state, view, share link, playback).

use syslab_core::Notice;
use syslab_core::ring::{KeySpec, RingAction, RingEvent, RingLab, RingScenario, StrategyKind};
use yew::prelude::*;

use crate::components::history_chart::HistoryChart;
use crate::components::lab_frame::{Chrome, lab_chrome};
use crate::components::lab_host::Mode;
use crate::components::load_panel::LoadPanel;
use crate::components::replica_panel::ReplicaPanel;
use crate::components::ring_guide::RingGuide;
use crate::components::ring_settings::RingSettings;
use crate::components::ring_svg::RingSvg;
use crate::components::strategy_table::StrategyTable;
use crate::hooks::use_deferred::use_deferred;
use crate::hooks::use_frame_bench::use_frame_bench;
use crate::hooks::use_lab::{LabStart, use_lab};

#[derive(Properties, PartialEq, Clone)]
pub struct RingLabProps {
    pub scenario: RingScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Run the drag benchmark instead of waiting for a user.
    #[prop_or_default]
    pub bench: bool,
    /// The page's own parameters (`key=`: the key shown in the replication panel).
    #[prop_or_default]
    pub page: Vec<(String, String)>,
    /// Show the settings panel (`controls=0` hides it: the lab as a figure, for embeds).
    #[prop_or(true)]
    pub settings: bool,
}

/// The benchmark's ring: 64 nodes × 200 vnodes with 10,000 keys.
fn bench_scenario() -> RingScenario {
    let mut s = RingScenario::default();
    s.config.nodes = (0..64)
        .map(|i| syslab_core::ring::NodeSpec::named(&syslab_core::ring::spreadsheet_name(i)))
        .collect();
    s.config.vnodes = 200;
    s.config.keys = KeySpec::Generated {
        count: 10_000,
        prefix: "user:".to_owned(),
    };
    s
}

#[function_component(RingLabView)]
pub fn ring_lab_view(props: &RingLabProps) -> Html {
    let lab = use_lab::<RingLab>(|| LabStart {
        scenario: if props.bench {
            bench_scenario()
        } else {
            props.scenario.clone()
        },
        notices: props.notices.clone(),
        page: props.page.clone(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: !props.bench,
    });
    let (state, view, d) = (&lab.state, &lab.view, &lab.dispatch);
    // A committed change redraws the ring and its summary in the task of the click and the
    // panels beside it in the next task: on a 100,000-key ring, one task doing both was over
    // 50 ms (BENCHMARKS.md, "Long main-thread tasks").
    let panels = use_deferred(view.clone(), state.committed);

    let first = state.lab().node_names().next().unwrap_or("A").to_owned();
    let bench_drag = use_callback((d.clone(), first.clone()), |i: usize, (d, node)| {
        d.emit(RingAction::DragTo {
            node: node.clone(),
            fraction: (i as f64 * 0.0037) % 1.0,
        })
    });
    let bench_end = use_callback((d.clone(), first), |_: (), (d, node)| {
        d.emit(RingAction::DragEnd { node: node.clone() })
    });
    let bench_result = use_frame_bench(props.bench, state.revision, bench_drag, bench_end);

    // Created once each, so unchanged handles and rows skip re-rendering during a drag.
    let ondrag = use_callback(d.clone(), |(node, fraction): (String, f64), d| {
        d.emit(RingAction::DragTo { node, fraction })
    });
    let ondragend = use_callback(d.clone(), |node: String, d| {
        d.emit(RingAction::DragEnd { node })
    });
    let onnudge = use_callback(d.clone(), |(node, turns): (String, f64), d| {
        d.emit(RingAction::Nudge { node, turns })
    });
    let onremove = use_callback(d.clone(), |name: String, d| {
        d.emit(RingAction::Change(RingEvent::RemoveNode { name }))
    });
    let onweight = use_callback(d.clone(), |(name, weight): (String, u32), d| {
        d.emit(RingAction::Change(RingEvent::SetWeight { name, weight }))
    });
    let onstrategy = use_callback(d.clone(), |k: StrategyKind, d| {
        d.emit(RingAction::SetStrategy(k))
    });
    let onselectkey = use_callback(d.clone(), |k: usize, d| d.emit(RingAction::SelectKey(k)));

    let (config, n_nodes, vnodes, n_keys, selected) = {
        let lab = state.lab();
        (
            lab.config().clone(),
            lab.n_nodes(),
            lab.vnodes(),
            lab.n_keys(),
            lab.selected_key(),
        )
    };
    let custom_keys = matches!(config.keys, KeySpec::Custom { .. });
    let share_url = &lab.share_url;
    let controls = &lab.controls;

    html! {
        <div class="lab" data-lab="ring" data-ready="true">
            { lab_chrome(state, controls, Chrome {
                title: "Consistent hashing",
                summary: "Keys and nodes hash onto one circle; each key belongs to the first node token clockwise from it. Drag a node, add or remove one, and see exactly which keys move — then compare with the other strategies on the same keys.",
                step_hint: "One random change: a node joins, leaves, moves or changes weight",
                mode: props.mode,
                share_url,
                seed: config.seed,
            }) }
            <div class="lab-body">
                <div class="ring-stage" data-look="drawing">
                    <RingSvg view={view.clone()} {ondrag} {ondragend} {onnudge} onremove={onremove.clone()} />
                    <p class="moved-summary" data-look="status" data-testid="moved-summary" aria-live="polite">{ &view.summary }</p>
                    <p class="change-desc">
                        { view.change.clone().unwrap_or_else(|| "Drag a node, or focus one and use the arrow keys.".to_owned()) }
                        { format!(" · {} of {} keys drawn", syslab_core::format::thousands(view.shown_keys as u64), syslab_core::format::thousands(view.n_keys as u64)) }
                    </p>
                    { for bench_result.map(|r| html! { <pre data-testid="bench-result">{ r }</pre> }) }
                </div>
                <div class="panels">
                    { if props.settings { html! { <RingSettings
                        config={config.clone()}
                        {n_nodes}
                        {vnodes}
                        {n_keys}
                        {custom_keys}
                        dispatch={d.clone()}
                        onparam={lab.onparam.clone()}
                        onerror={controls.onerror.clone()}
                    /> } } else { html! {} } }
                    <LoadPanel nodes={panels.nodes.clone()} load_text={panels.load_text.clone()} {onweight} {onremove} />
                    <StrategyTable rows={panels.strategies.clone()} onselect={onstrategy} />
                    <ReplicaPanel replica={panels.replica.clone()} replication={config.replication}
                        next={(selected + 1) % n_keys.max(1)} onselect={onselectkey} />
                    <HistoryChart chart={panels.history.clone()} />
                </div>
            </div>
            { if props.mode == Mode::Site { html! { <RingGuide /> } } else { html! {} } }
        </div>
    }
}
