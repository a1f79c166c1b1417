//! Every setting of the consensus lab, drawn from its schema: the cluster and its timing, the
//! network, the toggles and the client. Changes apply at once (the run is replayed).

use std::rc::Rc;

use syslab_core::consensus::{RaftLab, RaftScenario};
use yew::prelude::*;

use crate::components::schema_field::{self as field, OnParam};

type L = RaftLab;

#[derive(Properties, PartialEq, Clone)]
pub struct ConsensusSettingsProps {
    pub scenario: Rc<RaftScenario>,
    pub onparam: OnParam,
    pub onpreset: Callback<String>,
}

#[function_component(ConsensusSettings)]
pub fn consensus_settings(props: &ConsensusSettingsProps) -> Html {
    let s = &*props.scenario;
    let on = &props.onparam;
    html! {
        <section class="panel rl-settings raft-settings" aria-label="Consensus settings">
            { field::presets::<L>(&props.onpreset) }
            <h2>{ "Cluster" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "n", "raft-n", ("3", "9", "1")) }
                { field::number::<L>(on, s, "emin", "raft-emin", ("10", "1000", "5")) }
                { field::number::<L>(on, s, "emax", "raft-emax", ("10", "1000", "5")) }
                { field::number::<L>(on, s, "hb", "raft-hb", ("5", "1000", "5")) }
            </div>
            <div class="checks">
                { field::check::<L>(on, s, "prevote", "raft-prevote", "Pre-vote") }
                { field::check::<L>(on, s, "cq", "raft-cq", "Check-quorum") }
                { field::check::<L>(on, s, "unsafe", "raft-unsafe", "Unsafe commit (Figure 8)") }
            </div>
            <h2>{ "Network" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "lat", "raft-lat", ("0", "200", "0.5")) }
                { field::number::<L>(on, s, "jit", "raft-jit", ("0", "200", "0.5")) }
                { field::number::<L>(on, s, "disk", "raft-disk", ("0", "100", "0.5")) }
                { field::number::<L>(on, s, "loss", "raft-loss", ("0", "0.5", "0.01")) }
                { field::number::<L>(on, s, "dup", "raft-dup", ("0", "0.5", "0.01")) }
            </div>
            <h2>{ "Client and run" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "rate", "raft-rate", ("0", "100", "1")) }
                { field::number::<L>(on, s, "reads", "raft-reads", ("0", "100", "1")) }
                { field::select::<L>(on, s, "readmode", "raft-readmode") }
                { field::number::<L>(on, s, "dur", "raft-dur", ("1000", "60000", "1000")) }
            </div>
            { field::text::<L>(on, s, "fault", "raft-fault") }
        </section>
    }
}
