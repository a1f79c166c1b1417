//! The one hook every lab page uses: its state behind the core's `Lab` contract, its view
//! model (recomputed only when something changed), its share link (and the address bar kept
//! equal to it on the site), playback, the shared controls, and one dispatcher for the lab's
//! own actions, its parameters and its presets.

use std::rc::Rc;

use syslab_core::{Lab, Notice, query};
use yew::prelude::*;

use crate::components::lab_host::Mode;
use crate::hooks::use_session::{SessionControls, use_session};
use crate::hooks::use_share_link::use_share_link;
use crate::state::session::{Session, SessionAction, StoryRequest};

/// How a lab page starts.
pub struct LabStart<L: Lab> {
    /// The scenario read from the link or the embed's attributes.
    pub scenario: L::Scenario,
    /// What was wrong with the link.
    pub notices: Vec<Notice>,
    /// The page parameters (`key=` for the ring).
    pub page: Vec<(String, String)>,
    pub mode: Mode,
    /// URL the share link is resolved against.
    pub base: String,
    /// Whether the address bar follows the state (the site, outside benchmarks).
    pub sync_address: bool,
}

/// What a lab page's components draw and call.
pub struct LabHandle<L: Lab> {
    pub state: UseReducerHandle<Session<L>>,
    /// The view model of the current state.
    pub view: Rc<L::View>,
    /// The current scenario, rebuilt only when a change is committed (what settings show).
    pub scenario: Rc<L::Scenario>,
    /// The absolute link to the current state.
    pub share_url: String,
    pub controls: SessionControls,
    /// The lab's own actions.
    pub dispatch: Callback<L::Action>,
    /// A parameter of the schema, by key, as typed.
    pub onparam: Callback<(&'static str, String)>,
    /// A preset, by id.
    pub onpreset: Callback<String>,
}

/// The state, view, link, playback and dispatchers of a lab page. `start` runs once.
#[hook]
pub fn use_lab<L: Lab>(start: impl FnOnce() -> LabStart<L>) -> LabHandle<L> {
    let start = use_memo((), |_| start());
    // The page's `story=` (the lab host provides it; none in tests that mount a lab alone).
    let story = use_context::<StoryRequest>().unwrap_or_default();
    let state = use_reducer({
        let start = start.clone();
        move || Session::<L>::new(&start.scenario, start.notices.clone(), &start.page, &story)
    });
    let view = {
        let state = state.clone();
        use_memo(state.revision, move |_| state.lab().view())
    };
    // Only committed changes (not drag frames) change the scenario and the link, so both are
    // rebuilt only then, once for the link and every settings panel.
    let scenario = {
        let state = state.clone();
        use_memo(state.committed, move |_| state.lab().scenario())
    };
    let (query, shareable) = {
        let (state, scenario) = (state.clone(), scenario.clone());
        let memo = use_memo(state.committed, move |_| {
            let lab = state.lab();
            let mut params = L::to_params(&scenario);
            params.extend(lab.write_page());
            if let Some((story, index)) = state.story {
                let at = if index == 0 {
                    story.id.to_owned()
                } else {
                    format!("{}:{}", story.id, index + 1)
                };
                params.push(("story".to_owned(), at));
            }
            (query::encode_query(&params), lab.shareable())
        });
        (*memo).clone()
    };
    let share_url = use_share_link(
        L::ID,
        query,
        start.base.clone(),
        start.sync_address && start.mode == Mode::Site && shareable,
    );
    let controls = use_session(&state);
    let d = state.dispatcher();
    let dispatch = use_callback(d.clone(), |action: L::Action, d| {
        d.dispatch(SessionAction::Lab(action))
    });
    let onparam = use_callback(d.clone(), |(key, text): (&'static str, String), d| {
        d.dispatch(SessionAction::SetParam(key, text))
    });
    let onpreset = use_callback(d, |id: String, d| d.dispatch(SessionAction::Preset(id)));
    LabHandle {
        state,
        view,
        scenario,
        share_url,
        controls,
        dispatch,
        onparam,
        onpreset,
    }
}
