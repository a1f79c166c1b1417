//! The load-balancer lab: wires the reducer to the diagram, the latency chart, the comparison
//! table, the settings and the shared controls, and keeps the address bar and share link in
//! step with the run.

use syslab_core::lb::{Algorithm, LbScenario, ServerState, ServiceDist};
use syslab_core::{Notice, query};
use yew::prelude::*;

use crate::components::lab_frame::{Chrome, lab_chrome};
use crate::components::lab_host::Mode;
use crate::components::lb_chart::LbChart;
use crate::components::lb_diagram::LbDiagram;
use crate::components::lb_settings::LbSettings;
use crate::components::lb_table::LbTable;
use crate::hooks::use_action::use_action;
use crate::hooks::use_frame_bench::use_frame_bench;
use crate::hooks::use_session::use_session;
use crate::hooks::use_share_link::use_share_link;
use crate::state::lb::{LbAction, LbState, Param};
use crate::state::session::SessionAction;

#[derive(Properties, PartialEq, Clone)]
pub struct LbLabProps {
    pub scenario: LbScenario,
    pub notices: Vec<Notice>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Run the playback benchmark (`?bench=play`) instead of waiting for a user.
    #[prop_or_default]
    pub bench: bool,
    /// Show the settings panel (`controls=0` hides it: the lab as a figure, for embeds).
    #[prop_or(true)]
    pub settings: bool,
}

#[function_component(LbLabView)]
pub fn lb_lab_view(props: &LbLabProps) -> Html {
    let state = use_reducer(|| LbState::new(props.scenario.clone(), props.notices.clone()));
    let view = {
        let state = state.clone();
        use_memo(state.revision, move |_| state.lab.view())
    };
    let query = {
        let state = state.clone();
        use_memo(state.committed, move |_| {
            query::encode_query(&syslab_core::lb::scenario_to_params(&state.lab.scenario()))
        })
    };
    let share_url = use_share_link(
        "load-balancer",
        (*query).clone(),
        props.base.clone(),
        props.mode == Mode::Site && !props.bench,
    );

    let controls = use_session(&state);
    let d = state.dispatcher();
    // The playback benchmark: one tick per animation frame through the real reducer and
    // renderer (the page's URL sets the traffic, e.g. 50,000 requests per second).
    let bench_frame = use_action::<LbState, usize>(d.clone(), |_| SessionAction::Step);
    let bench_end = use_callback((), |_: (), _| ());
    let bench_result = use_frame_bench(props.bench, state.revision, bench_frame, bench_end);

    let onparam = use_action::<LbState, (Param, String)>(d.clone(), |(p, t)| {
        SessionAction::Lab(LbAction::Set(p, t))
    });
    let onalgorithm =
        use_action::<LbState, Algorithm>(d.clone(), |a| SessionAction::Lab(LbAction::Algorithm(a)));
    let onservice =
        use_action::<LbState, ServiceDist>(d.clone(), |x| SessionAction::Lab(LbAction::Service(x)));
    let oncompare =
        use_action::<LbState, bool>(d.clone(), |on| SessionAction::Lab(LbAction::Compare(on)));
    let onproxy =
        use_action::<LbState, bool>(d.clone(), |on| SessionAction::Lab(LbAction::Proxy(on)));
    let onl7 = use_action::<LbState, bool>(d.clone(), |on| SessionAction::Lab(LbAction::L7(on)));
    let onclickmode = use_action::<LbState, ServerState>(d.clone(), |m| {
        SessionAction::Lab(LbAction::ClickMode(m))
    });
    let onserver =
        use_action::<LbState, u32>(d.clone(), |i| SessionAction::Lab(LbAction::ClickServer(i)));
    let onpreset = use_action::<LbState, String>(d, |id| SessionAction::Lab(LbAction::Preset(id)));
    let run_to_end = controls.onrun.reform(|_: MouseEvent| ());

    let config = state.lab.config().clone();
    html! {
        <div class="lab" data-lab="load-balancer" data-ready="true">
            { lab_chrome(&state, &controls, Chrome {
                title: "Load balancers",
                summary: "Clients send requests through a balancer to a pool of servers. Run every algorithm on identical seeded traffic and see why least connections beats round robin when costs vary, and why peak EWMA routes around a slow server. Click a server to take it down or slow it.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &share_url,
                seed: config.seed,
            }) }
            <div class="rl-status-row">
                <p class="rl-status" data-testid="lb-status" aria-live="polite">{ &view.status }</p>
                <button data-testid="run-to-end" onclick={run_to_end} disabled={state.lab.finished()}>{ "Run to the end" }</button>
            </div>
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <LbDiagram view={view.clone()} algorithm={config.algorithm.label()} {onserver} />
                    <LbChart view={view.clone()} />
                    <LbTable rows={view.rows.clone()} onselect={onalgorithm.clone()} />
                </div>
                { if props.settings { html! {
                    <LbSettings config={config.clone()} click={state.extra.click} {onparam} {onalgorithm} {onservice} {oncompare} {onproxy} {onl7} {onclickmode} {onpreset} />
                } } else { html! {} } }
            </div>
            { for bench_result.map(|r| html! { <pre data-testid="bench-result">{ r }</pre> }) }
            { if props.mode == Mode::Site { html! { <LbGuide /> } } else { html! {} } }
        </div>
    }
}

/// What the lab shows and why, in a few sentences.
#[function_component(LbGuide)]
fn lb_guide() -> Html {
    html! {
        <section class="guide" aria-label="About this lab">
            <div class="guide-text">
                <h2>{ "How the balancer chooses" }</h2>
                <p>{ "Round robin and random ignore what the servers are doing: with equal request costs that is fine, but when a few requests are expensive, requests keep landing behind them. Least connections sends each request to the server with the fewest in progress, which is a live measure of who is behind; weighted variants divide by the server's power. Least response time multiplies the connections by a measured time to first byte." }</p>
                <p>{ "Asking every server costs coordination, so the power of two random choices asks two at random and takes the less loaded: with many servers its worst queue grows like log log n instead of log n / log log n. Peak EWMA keeps a decaying average of each server's latency that jumps up at once on a slow response, and multiplies it by the connections in flight: a server that turns slow loses its traffic within a few requests." }</p>
                <p>{ "Hashing (IP hash, consistent hashing with bounded loads) keeps a client on the same server, which caches like; behind one forward proxy every client has the same address, and IP hash sends them all to one server. Health checks take a dead server out after a few failed probes; until then its requests time out, and retries, within a budget, hide that from clients." }</p>
            </div>
        </section>
    }
}
