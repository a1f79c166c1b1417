//! The replication lab's page: the replicas and links, the staleness chart (Monte Carlo
//! against the closed form), the accounting table, the quorum comparison and the settings,
//! on `use_lab`.

use syslab_core::Notice;
use syslab_core::replication::{ReplAction, ReplLab, ReplScenario};
use yew::prelude::*;

use crate::components::chart::Chart;
use crate::components::lab_frame::{Chrome, lab_chrome, status_row};
use crate::components::lab_host::Mode;
use crate::components::repl_compare::ReplCompare;
use crate::components::repl_diagram::ReplDiagram;
use crate::components::repl_settings::ReplSettings;
use crate::hooks::use_lab::{LabStart, use_lab};

#[derive(Properties, PartialEq, Clone)]
pub struct ReplLabProps {
    pub scenario: ReplScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Show the settings panel (`controls=0` hides it).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(ReplLabView)]
pub fn repl_lab_view(props: &ReplLabProps) -> Html {
    let lab = use_lab::<ReplLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: true,
    });
    let (state, view) = (&lab.state, &lab.view);
    let onlink = use_callback(lab.dispatch.clone(), |(a, b): (u32, u32), d| {
        d.emit(ReplAction::ToggleLink { a, b })
    });
    let onreplica = use_callback(lab.dispatch.clone(), |i: u32, d| {
        d.emit(ReplAction::ToggleReplica { i })
    });
    let scenario = lab.scenario.clone();
    let seed = state.lab().config().seed;
    html! {
        <div class="lab" data-lab="replication" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Replication",
                summary: "Replicas on a simulated network with real latency distributions, lost messages and partitions, leaderless (N, R, W) or with a leader and followers. Cut links, crash replicas, skew clocks, and count what clients lose: stale reads, refused requests, acknowledged writes that vanish in a failover or a split brain. The staleness curve is measured against the PBS model's closed form.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            { status_row(state, &lab.controls, &view.status, "repl-status") }
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <ReplDiagram view={view.clone()} {onlink} {onreplica} />
                    <section class="panel" data-look="chart" aria-label="Staleness">
                        if !view.leader {
                            <Chart view={view.chart.clone()} title="P(a read t ms after a write misses it): Monte Carlo solid, closed form dashed"
                                testid="repl-chart" file="replication-staleness" />
                        }
                        <p class="panel-sub" data-testid="repl-staleness-note">{ &view.staleness_note }</p>
                    </section>
                    <section class="panel" data-look="table" aria-label="What clients saw">
                        <h2>{ "What clients saw" }</h2>
                        <table data-testid="repl-table">
                            <tbody>
                            { for view.rows.iter().map(|r| html! {
                                <tr class={classes!(r.alarm.then_some("alarm"))}>
                                    <th scope="row">{ r.label }</th>
                                    <td class="num">{ &r.value }</td>
                                </tr>
                            }) }
                            </tbody>
                        </table>
                    </section>
                    if !view.compare.is_empty() {
                        <ReplCompare rows={view.compare.clone()} by={view.compare_by} />
                    }
                </div>
                { if props.settings { html! {
                    <ReplSettings {scenario} onparam={lab.onparam.clone()} onpreset={lab.onpreset.clone()} />
                } } else { html! {} } }
            </div>
        </div>
    }
}
