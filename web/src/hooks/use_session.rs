//! The wiring every lab page shares: playback, runs to the end and background work on timers,
//! and the callbacks of the shared controls (play, step, speed, seed, reset, messages),
//! created once per page.

use syslab_core::Lab;
use yew::prelude::*;

use crate::hooks::use_interval::use_interval;
use crate::state::session::{Session, SessionAction, Slice};

/// One slice of a run to the end or of background work: about half a frame, so input and animation keep running.
const SLICE: Slice = Slice {
    now: js_sys::Date::now,
    budget_ms: 8.0,
};

/// Callbacks of the controls every lab shows.
#[derive(Clone, PartialEq)]
pub struct SessionControls {
    pub onstep: Callback<()>,
    pub ontoggleplay: Callback<()>,
    pub onspeed: Callback<f64>,
    pub onseed: Callback<u64>,
    pub onreset: Callback<()>,
    pub onrun: Callback<()>,
    /// Stops a run to the end where it is.
    pub onstop: Callback<()>,
    pub onerror: Callback<String>,
    pub ondismiss: Callback<()>,
    /// Go to a step of the open story (0-based), or close it (`None`).
    pub onstory: Callback<Option<usize>>,
    /// Load one of the lab's checks and run it to the end.
    pub oncheck: Callback<usize>,
}

/// A callback taking a `T` that dispatches `make(T)`, created once: the dispatcher never
/// changes, so children whose other props are unchanged skip re-rendering.
#[hook]
fn use_act<L: Lab, T: 'static>(
    d: UseReducerDispatcher<Session<L>>,
    make: fn(T) -> SessionAction<L>,
) -> Callback<T> {
    use_callback(d, move |v: T, d| d.dispatch(make(v)))
}

/// Steps the lab on a timer while it plays, and returns the shared controls' callbacks.
#[hook]
pub fn use_session<L: Lab>(state: &UseReducerHandle<Session<L>>) -> SessionControls {
    let d = state.dispatcher();
    let onstep = use_act::<L, ()>(d.clone(), |_| SessionAction::Step);
    use_interval(onstep.clone(), state.play_period());
    // A long run to the end continues a slice per timer tick until it is over or stopped.
    let onslice = use_act::<L, ()>(d.clone(), |_| SessionAction::RunSlice(SLICE));
    use_interval(onslice, state.running.then_some(16));
    // Background work (results derived after a change) likewise, a slice per tick until done.
    let onbackground = use_act::<L, ()>(d.clone(), |_| SessionAction::Background(SLICE));
    use_interval(onbackground, state.lab().background_pending().then_some(16));
    SessionControls {
        onstep,
        ontoggleplay: use_act::<L, ()>(d.clone(), |_| SessionAction::TogglePlay),
        onspeed: use_act::<L, f64>(d.clone(), SessionAction::SetSpeed),
        onseed: use_act::<L, u64>(d.clone(), |seed| {
            SessionAction::SetParam("seed", seed.to_string())
        }),
        onreset: use_act::<L, ()>(d.clone(), |_| SessionAction::Reset),
        onrun: use_act::<L, ()>(d.clone(), |_| SessionAction::RunToEnd),
        onstop: use_act::<L, ()>(d.clone(), |_| SessionAction::StopRun),
        onerror: use_act::<L, String>(d.clone(), SessionAction::Error),
        ondismiss: use_act::<L, ()>(d.clone(), |_| SessionAction::DismissMessages),
        oncheck: use_act::<L, usize>(d.clone(), |index| SessionAction::RunCheck(index)),
        onstory: use_act::<L, Option<usize>>(d, |step| match step {
            Some(index) => SessionAction::StoryStep(index),
            None => SessionAction::StoryClose,
        }),
    }
}
