//! Every setting of the replication lab, drawn from its schema: the mode, then quorums and
//! repair (leaderless) or replication, reads, failover and fencing (leader), delays, faults,
//! traffic and the staleness experiment. Changes apply at once (the run is replayed).

use std::rc::Rc;

use syslab_core::replication::{Mode, ReplLab, ReplScenario};
use yew::prelude::*;

use crate::components::schema_field::{self as field, OnParam};

type L = ReplLab;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplSettingsProps {
    pub scenario: Rc<ReplScenario>,
    pub onparam: OnParam,
    pub onpreset: Callback<String>,
}

#[function_component(ReplSettings)]
pub fn repl_settings(props: &ReplSettingsProps) -> Html {
    let s = &*props.scenario;
    let on = &props.onparam;
    html! {
        <section class="panel rl-settings repl-settings" aria-label="Replication settings">
            { field::presets::<L>(&props.onpreset) }
            <div class="settings-grid">
                { field::select::<L>(on, s, "mode", "repl-mode") }
                { field::number::<L>(on, s, "n", "repl-n", ("3", "9", "1")) }
            </div>
            if s.config.mode == Mode::Leader {
                <h2>{ "Leader and followers" }</h2>
                <div class="settings-grid">
                    { field::select::<L>(on, s, "sync", "repl-sync") }
                    { field::number::<L>(on, s, "acks", "repl-acks", ("1", "8", "1")) }
                    { field::select::<L>(on, s, "reads", "repl-reads") }
                    { field::number::<L>(on, s, "detect", "repl-detect", ("10", "5000", "10")) }
                    { field::select::<L>(on, s, "route", "repl-route") }
                    { field::number::<L>(on, s, "timeout", "repl-timeout", ("10", "5000", "10")) }
                </div>
                <div class="checks">
                    { field::check::<L>(on, s, "fence", "repl-fence", "Fencing (epoch and lease)") }
                    { field::check::<L>(on, s, "cmp", "repl-cmp", "Compare replication modes") }
                </div>
            } else {
                <h2>{ "Quorums" }</h2>
                <div class="settings-grid">
                    { field::number::<L>(on, s, "r", "repl-r", ("1", "9", "1")) }
                    { field::number::<L>(on, s, "w", "repl-w", ("1", "9", "1")) }
                    { field::select::<L>(on, s, "policy", "repl-policy") }
                    { field::select::<L>(on, s, "route", "repl-route") }
                    { field::number::<L>(on, s, "timeout", "repl-timeout", ("10", "5000", "10")) }
                    { field::number::<L>(on, s, "ae", "repl-ae", ("0", "5000", "10")) }
                </div>
                <div class="checks">
                    { field::check::<L>(on, s, "repair", "repl-repair", "Read repair") }
                    { field::check::<L>(on, s, "cmp", "repl-cmp", "Compare quorums") }
                </div>
            }
            <h2>{ "Network and clocks" }</h2>
            <div class="settings-grid">
                { field::select::<L>(on, s, "lat", "repl-lat") }
                { field::number::<L>(on, s, "wmean", "repl-wmean", ("0.1", "200", "0.1")) }
                { field::number::<L>(on, s, "amean", "repl-amean", ("0.1", "200", "0.1")) }
                { field::number::<L>(on, s, "loss", "repl-loss", ("0", "0.5", "0.01")) }
                { field::number::<L>(on, s, "skew", "repl-skew", ("0", "500", "1")) }
            </div>
            <h2>{ "Traffic" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "rate", "repl-rate", ("1", "2000", "1")) }
                { field::number::<L>(on, s, "writes", "repl-writes", ("0", "1", "0.05")) }
                { field::number::<L>(on, s, "clients", "repl-clients", ("1", "64", "1")) }
                { field::number::<L>(on, s, "keys", "repl-keys", ("1", "1000", "1")) }
                { field::number::<L>(on, s, "hot", "repl-hot", ("0", "1", "0.05")) }
                { field::number::<L>(on, s, "dur", "repl-dur", ("1000", "60000", "1000")) }
            </div>
            <h2>{ "Staleness curve" }</h2>
            <div class="settings-grid">
                { field::number::<L>(on, s, "probes", "repl-probes", ("0", "200000", "1000")) }
                { field::number::<L>(on, s, "tmax", "repl-tmax", ("0", "500", "1")) }
            </div>
        </section>
    }
}
