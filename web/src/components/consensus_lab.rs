//! The consensus lab's page: the Raft cluster on a circle (click a server to crash or
//! restart it, a link to cut or heal it), the safety banner, the logs, the statistics and
//! the settings, on `use_lab` (state, view, share link, playback).

use syslab_core::Notice;
use syslab_core::consensus::{RaftAction, RaftLab, RaftScenario};
use yew::prelude::*;

use crate::components::consensus_circle::ConsensusCircle;
use crate::components::consensus_panels::{ConsensusLogs, ConsensusSafety, ConsensusStats};
use crate::components::consensus_settings::ConsensusSettings;
use crate::components::lab_frame::{Chrome, lab_chrome, status_row};
use crate::components::lab_host::Mode;
use crate::hooks::use_lab::{LabStart, use_lab};

#[derive(Properties, PartialEq, Clone)]
pub struct ConsensusLabProps {
    pub scenario: RaftScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Show the settings panel (`controls=0` hides it).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(ConsensusLabView)]
pub fn consensus_lab_view(props: &ConsensusLabProps) -> Html {
    let lab = use_lab::<RaftLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: true,
    });
    let (state, view) = (&lab.state, &lab.view);
    let onnode = use_callback(lab.dispatch.clone(), |n: u8, d| {
        d.emit(RaftAction::ClickNode(n))
    });
    let onlink = use_callback(lab.dispatch.clone(), |(a, b): (u8, u8), d| {
        d.emit(RaftAction::ClickLink(a, b))
    });
    let onwrite = use_callback(lab.dispatch.clone(), |_: MouseEvent, d| {
        d.emit(RaftAction::Write)
    });
    let onheal = use_callback(lab.dispatch.clone(), |_: MouseEvent, d| {
        d.emit(RaftAction::HealAll)
    });
    let scenario = lab.scenario.clone();
    let seed = state.lab().config().seed;
    html! {
        <div class="lab" data-lab="consensus" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Consensus (Raft)",
                summary: "A Raft cluster on a network you can break. Crash the leader and watch an election; cut links and partition the cluster; switch on pre-vote or check-quorum. Every event is checked against Raft's safety properties: with the safe rules the banner stays green, with the unsafe rule of the paper's Figure 8 it does not.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            { status_row(state, &lab.controls, &view.status, "raft-status") }
            <ConsensusSafety safety={view.safety.clone()} />
            { for view.warnings.iter().map(|w| html! { <p class="raft-warning" data-testid="raft-warning">{ w }</p> }) }
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <ConsensusCircle view={view.clone()} {onnode} {onlink} />
                    <div class="raft-actions">
                        <button type="button" data-testid="raft-write" onclick={onwrite}>{ "Client write" }</button>
                        <button type="button" data-testid="raft-heal" onclick={onheal}>{ "Heal every link" }</button>
                    </div>
                    <ConsensusLogs view={view.clone()} />
                    <ConsensusStats view={view.clone()} />
                </div>
                { if props.settings { html! {
                    <ConsensusSettings {scenario} onparam={lab.onparam.clone()} onpreset={lab.onpreset.clone()} />
                } } else { html! {} } }
            </div>
        </div>
    }
}
