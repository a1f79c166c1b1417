//! The load-balancer lab's page: the diagram, the latency chart, the comparison table and the
//! settings, on `use_lab` (state, view, share link, playback).

use syslab_core::lb::{Algorithm, LbAction, LbScenario, LoadBalancerLab, ServerState};
use syslab_core::{Lab, Notice};
use yew::prelude::*;

use crate::components::lab_frame::{Chrome, lab_chrome, status_row};
use crate::components::lab_host::Mode;
use crate::components::lb_chart::LbChart;
use crate::components::lb_diagram::LbDiagram;
use crate::components::lb_settings::LbSettings;
use crate::components::lb_table::LbTable;
use crate::hooks::use_frame_bench::use_frame_bench;
use crate::hooks::use_lab::{LabStart, use_lab};

/// How much slower a server gets when the user makes it slow.
pub const SLOWDOWN: f64 = 5.0;

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
    let lab = use_lab::<LoadBalancerLab>(|| LabStart {
        scenario: props.scenario.clone(),
        notices: props.notices.clone(),
        page: Vec::new(),
        mode: props.mode,
        base: props.base.clone(),
        sync_address: !props.bench,
    });
    let (state, view) = (&lab.state, &lab.view);
    // What clicking a server that is up does: page state, not part of the scenario.
    let click = use_state(|| ServerState::Down);

    // The playback benchmark: one tick per animation frame through the real reducer and
    // renderer (the page's URL sets the traffic, e.g. 50,000 requests per second).
    let bench_frame = use_callback(lab.controls.onstep.clone(), |_: usize, step| step.emit(()));
    let bench_end = use_callback((), |_: (), _| ());
    let bench_result = use_frame_bench(props.bench, state.revision, bench_frame, bench_end);

    let onalgorithm = use_callback(lab.onparam.clone(), |a: Algorithm, on| {
        on.emit(("alg", a.id().to_owned()))
    });
    let onclickmode = use_callback(click.clone(), |m: ServerState, click| click.set(m));
    let onserver = use_callback((lab.dispatch.clone(), *click), |server: u32, (d, click)| {
        d.emit(LbAction::ClickServer {
            server,
            up_becomes: *click,
        })
    });
    let scenario = lab.scenario.clone();
    let (seed, algorithm, step_ms) = {
        let l = state.lab();
        (
            l.config().seed,
            l.config().algorithm.label(),
            Lab::step_ms(&*l),
        )
    };
    // The dots move from one step's positions to the next's in the time between steps.
    let period_ms = (step_ms / state.speed).clamp(16.0, 1_000.0);
    html! {
        <div class="lab" data-lab="load-balancer" data-ready="true">
            { lab_chrome(state, &lab.controls, Chrome {
                title: "Load balancers",
                summary: "Clients send requests through a balancer to a pool of servers. Run every algorithm on identical seeded traffic and see why least connections beats round robin when costs vary, and why peak EWMA routes around a slow server. Click a server to take it down or slow it.",
                step_hint: "Advance the simulation by one tick",
                mode: props.mode,
                share_url: &lab.share_url,
                seed,
            }) }
            { status_row(state, &lab.controls, &view.status, "lb-status") }
            <div class={classes!("rl-body", (!props.settings).then_some("no-settings"))}>
                <div class="rl-main">
                    <LbDiagram view={view.clone()} {algorithm} {onserver} revision={state.revision} {period_ms} />
                    <LbChart view={view.clone()} />
                    <LbTable rows={view.rows.clone()} onselect={onalgorithm} />
                </div>
                { if props.settings { html! {
                    <LbSettings {scenario} click={*click} onparam={lab.onparam.clone()} {onclickmode} onpreset={lab.onpreset.clone()} />
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
