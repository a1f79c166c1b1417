//! The wiring every lab page shares: playback on a timer, and the callbacks of the shared
//! controls (play, step, speed, seed, reset, messages), created once per page.

use yew::prelude::*;

use crate::hooks::use_action::use_action;
use crate::hooks::use_interval::use_interval;
use crate::state::session::{LabModel, Session, SessionAction};

/// Callbacks of the controls every lab shows.
#[derive(Clone, PartialEq)]
pub struct SessionControls {
    pub onstep: Callback<()>,
    pub ontoggleplay: Callback<()>,
    pub onspeed: Callback<f64>,
    pub onseed: Callback<u64>,
    pub onreset: Callback<()>,
    pub onrun: Callback<()>,
    pub onerror: Callback<String>,
    pub ondismiss: Callback<()>,
}

/// Steps the lab on a timer while it plays, and returns the shared controls' callbacks.
#[hook]
pub fn use_session<L: LabModel>(state: &UseReducerHandle<Session<L>>) -> SessionControls {
    let d = state.dispatcher();
    let onstep = use_action::<Session<L>, ()>(d.clone(), |_| SessionAction::Step);
    use_interval(onstep.clone(), state.play_period());
    SessionControls {
        onstep,
        ontoggleplay: use_action::<Session<L>, ()>(d.clone(), |_| SessionAction::TogglePlay),
        onspeed: use_action::<Session<L>, f64>(d.clone(), SessionAction::SetSpeed),
        onseed: use_action::<Session<L>, u64>(d.clone(), SessionAction::SetSeed),
        onreset: use_action::<Session<L>, ()>(d.clone(), |_| SessionAction::Reset),
        onrun: use_action::<Session<L>, ()>(d.clone(), |_| SessionAction::RunToEnd),
        onerror: use_action::<Session<L>, String>(d.clone(), SessionAction::Error),
        ondismiss: use_action::<Session<L>, ()>(d, |_| SessionAction::DismissMessages),
    }
}
