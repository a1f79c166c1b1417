//! The top of every lab: its heading, the messages about its input, and the shared controls.

use yew::prelude::*;

use crate::components::checks_panel::ChecksPanel;
use crate::components::lab_controls::LabControls;
use crate::components::lab_header::LabHeader;
use crate::components::lab_host::Mode;
use crate::components::notices::Notices;
use crate::components::run_button::RunButton;
use crate::components::story_panel::StoryPanel;
use crate::hooks::use_session::SessionControls;
use crate::state::session::Session;
use syslab_core::Lab;

/// What a lab's top shows besides its session.
pub struct Chrome<'a> {
    pub title: &'static str,
    /// One or two sentences on what the lab shows (site only).
    pub summary: &'static str,
    /// What one step does, for the Step button's tooltip.
    pub step_hint: &'static str,
    pub mode: Mode,
    pub share_url: &'a str,
    pub seed: u64,
}

/// Heading, notices and error, and the shared controls of a lab in `state`.
pub fn lab_chrome<L: Lab>(
    state: &Session<L>,
    controls: &SessionControls,
    chrome: Chrome<'_>,
) -> Html {
    html! {
        <>
            <LabHeader title={chrome.title} mode={chrome.mode} share_url={chrome.share_url.to_owned()}
                summary={chrome.summary} />
            <Notices notices={state.notices.clone()} error={state.error.clone()} ondismiss={controls.ondismiss.clone()} />
            { for state.story.map(|(story, index)| html! {
                <StoryPanel {story} {index} onstory={controls.onstory.clone()} />
            }) }
            <LabControls
                playing={state.playing}
                speed={state.speed}
                seed={chrome.seed}
                share_url={chrome.share_url.to_owned()}
                step_hint={chrome.step_hint}
                controls={controls.clone()}
            />
            <ChecksPanel<L> checking={state.checking.clone()} running={state.running} onrun={controls.oncheck.clone()} />
        </>
    }
}

/// The status line of a lab in `state` (its view's `status`, under `testid`) with the "Run to
/// the end" button, which shows the run's progress and turns into Stop while it runs.
pub fn status_row<L: Lab>(
    state: &Session<L>,
    controls: &SessionControls,
    status: &str,
    testid: &'static str,
) -> Html {
    let (finished, progress) = {
        let l = state.lab();
        (l.finished(), l.progress().unwrap_or(0.0))
    };
    html! {
        <div class="rl-status-row">
            <p class="rl-status" data-look="status" data-testid={testid} aria-live="polite">{ status }</p>
            <RunButton running={state.running} {finished} {progress} onrun={controls.onrun.clone()} onstop={controls.onstop.clone()} />
        </div>
    }
}
