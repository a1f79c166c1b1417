//! The consistent-hashing lab: wires the reducer to the ring, the panels and the shared
//! controls, and keeps the address bar and share link in sync with the lab's state.

use syslab_core::ring::{KeySpec, RingEvent, RingScenario};
use syslab_core::{Notice, query};
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
use crate::hooks::use_action::use_action;
use crate::hooks::use_frame_bench::use_frame_bench;
use crate::hooks::use_session::use_session;
use crate::hooks::use_share_link::use_share_link;
use crate::state::ring::{RingAction, RingState};
use crate::state::session::SessionAction;

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
    /// Key to show in the replication panel, by name.
    #[prop_or_default]
    pub selected_key: Option<String>,
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
    let state = use_reducer(|| {
        let scenario = if props.bench {
            bench_scenario()
        } else {
            props.scenario.clone()
        };
        let mut state = RingState::new(scenario, props.notices.clone());
        if let Some(key) = &props.selected_key {
            match state.lab.find_key(key) {
                Some(idx) => state.extra.selected_key = idx,
                None => state.notices.push(Notice::new(
                    "key",
                    format!("{key:?} is not one of the keys; showing the first"),
                )),
            }
        }
        state
    });
    let view = {
        let state = state.clone();
        use_memo((state.revision, state.extra.selected_key), move |_| {
            state.lab.view(Some(state.extra.selected_key))
        })
    };

    // The share link: the playground page of this lab with the whole state in its query.
    // Only committed changes (not drag frames) change it, so the query is rebuilt only then.
    let query = {
        let state = state.clone();
        use_memo((state.committed, state.extra.selected_key), move |_| {
            let mut params = syslab_core::ring::scenario_to_params(&state.lab.scenario());
            if state.extra.selected_key != 0 {
                params.push((
                    "key".to_owned(),
                    state.lab.key_name(state.extra.selected_key),
                ));
            }
            query::encode_query(&params)
        })
    };
    let share_url = use_share_link(
        "ring",
        (*query).clone(),
        props.base.clone(),
        props.mode == Mode::Site && !props.bench,
    );

    let controls = use_session(&state);
    let d = state.dispatcher();

    let first = state.lab.node_names().next().unwrap_or("A").to_owned();
    let bench_drag = use_callback((d.clone(), first.clone()), |i: usize, (d, node)| {
        d.dispatch(SessionAction::Lab(RingAction::DragTo {
            node: node.clone(),
            fraction: (i as f64 * 0.0037) % 1.0,
        }))
    });
    let bench_end = use_callback((d.clone(), first), |_: (), (d, node)| {
        d.dispatch(SessionAction::Lab(RingAction::DragEnd {
            node: node.clone(),
        }))
    });
    let bench_result = use_frame_bench(props.bench, state.revision, bench_drag, bench_end);

    let ondrag = use_action::<RingState, (String, f64)>(d.clone(), |(node, fraction)| {
        SessionAction::Lab(RingAction::DragTo { node, fraction })
    });
    let ondragend = use_action::<RingState, String>(d.clone(), |node| {
        SessionAction::Lab(RingAction::DragEnd { node })
    });
    let onnudge = use_action::<RingState, (String, f64)>(d.clone(), |(node, turns)| {
        SessionAction::Lab(RingAction::Nudge { node, turns })
    });
    let onremove = use_action::<RingState, String>(d.clone(), |name| {
        SessionAction::Lab(RingAction::Apply(RingEvent::RemoveNode { name }))
    });
    let onweight = use_action::<RingState, (String, u32)>(d.clone(), |(name, weight)| {
        SessionAction::Lab(RingAction::Apply(RingEvent::SetWeight { name, weight }))
    });
    let onnodes = use_action::<RingState, usize>(d.clone(), |v| {
        SessionAction::Lab(RingAction::SetNodeCount(v))
    });
    let onaddnode =
        use_action::<RingState, ()>(d.clone(), |_| SessionAction::Lab(RingAction::AddNode));
    let onvnodes = use_action::<RingState, u32>(d.clone(), |vnodes| {
        SessionAction::Lab(RingAction::Apply(RingEvent::SetVnodes { vnodes }))
    });
    let onreplication = use_action::<RingState, u32>(d.clone(), |v| {
        SessionAction::Lab(RingAction::SetReplication(v))
    });
    let onkeys =
        use_action::<RingState, u32>(d.clone(), |v| SessionAction::Lab(RingAction::SetKeys(v)));
    let onstrategy = use_action::<RingState, syslab_core::ring::StrategyKind>(d.clone(), |k| {
        SessionAction::Lab(RingAction::SetStrategy(k))
    });
    let onepsilon =
        use_action::<RingState, f64>(d.clone(), |v| SessionAction::Lab(RingAction::SetEpsilon(v)));
    let oncustomkeys = use_action::<RingState, String>(d.clone(), |v| {
        SessionAction::Lab(RingAction::SetCustomKeys(v))
    });
    let onfindkey =
        use_action::<RingState, String>(d.clone(), |v| SessionAction::Lab(RingAction::FindKey(v)));
    let onselectkey =
        use_action::<RingState, usize>(d.clone(), |v| SessionAction::Lab(RingAction::SelectKey(v)));

    let config = state.lab.config().clone();
    let custom_keys = matches!(config.keys, KeySpec::Custom { .. });
    let n_keys = state.lab.n_keys();
    let selected = state.extra.selected_key;

    html! {
        <div class="lab" data-lab="ring" data-ready="true">
            { lab_chrome(&state, &controls, Chrome {
                title: "Consistent hashing",
                summary: "Keys and nodes hash onto one circle; each key belongs to the first node token clockwise from it. Drag a node, add or remove one, and see exactly which keys move — then compare with the other strategies on the same keys.",
                step_hint: "One random change: a node joins, leaves, moves or changes weight",
                mode: props.mode,
                share_url: &share_url,
                seed: config.seed,
            }) }
            <div class="lab-body">
                <div class="ring-stage">
                    <RingSvg view={view.clone()} {ondrag} {ondragend} {onnudge} onremove={onremove.clone()} />
                    <p class="moved-summary" data-testid="moved-summary" aria-live="polite">{ &view.summary }</p>
                    <p class="change-desc">
                        { view.change.clone().unwrap_or_else(|| "Drag a node, or focus one and use the arrow keys.".to_owned()) }
                        { format!(" · {} of {} keys drawn", syslab_core::format::thousands(view.shown_keys as u64), syslab_core::format::thousands(view.n_keys as u64)) }
                    </p>
                    { for bench_result.map(|r| html! { <pre data-testid="bench-result">{ r }</pre> }) }
                </div>
                <div class="panels">
                    { if props.settings { html! { <RingSettings
                        config={config.clone()}
                        n_nodes={state.lab.n_nodes()}
                        vnodes={state.lab.vnodes()}
                        {n_keys}
                        {custom_keys}
                        {onnodes}
                        {onaddnode}
                        {onvnodes}
                        {onreplication}
                        {onkeys}
                        onstrategy={onstrategy.clone()}
                        {onepsilon}
                        {oncustomkeys}
                        {onfindkey}
                        onerror={controls.onerror.clone()}
                    /> } } else { html! {} } }
                    <LoadPanel nodes={view.nodes.clone()} load_text={view.load_text.clone()} {onweight} {onremove} />
                    <StrategyTable rows={view.strategies.clone()} onselect={onstrategy} />
                    <ReplicaPanel replica={view.replica.clone()} replication={config.replication}
                        next={(selected + 1) % n_keys.max(1)} onselect={onselectkey} />
                    <HistoryChart series={view.history.clone()} labels={view.history_labels.clone()} top={view.history_top.clone()} />
                </div>
            </div>
            { if props.mode == Mode::Site { html! { <RingGuide /> } } else { html! {} } }
        </div>
    }
}
