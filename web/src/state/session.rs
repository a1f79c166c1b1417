//! What every lab's state shares: the simulation, the scenario it started from, messages,
//! playback, and the counters that tell memoised views and the address bar what changed.
//!
//! A lab plugs in with [`LabModel`]: how to build and step its simulation, and how to apply its
//! own actions. [`Session`] is the `use_reducer` state; [`SessionAction`] holds the actions
//! every lab has (step, play, speed, seed, reset, messages) and wraps the lab's own.

use std::rc::Rc;

use syslab_core::{ConfigError, Notice};
use yew::Reducible;

/// A simulation the shell can drive.
pub trait LabModel: Clone + Sized + 'static {
    /// The lab's whole state, as data (what Reset returns to).
    type Scenario: Clone + Default + 'static;
    /// The lab's own actions.
    type Action: 'static;
    /// State the page keeps beside the simulation, such as the ring's selected key.
    type Extra: Clone + Default + 'static;
    /// Playback speed a session starts with.
    const SPEED: f64 = 1.0;

    fn build(scenario: &Self::Scenario) -> Result<Self, ConfigError>;
    fn scenario(&self) -> Self::Scenario;
    /// One step (what Step and every tick of Play do).
    fn step(&mut self) -> Result<(), ConfigError>;
    fn set_seed(&mut self, seed: u64) -> Result<(), ConfigError>;
    /// Whether a run is over (labs without an end never are).
    fn finished(&self) -> bool {
        false
    }
    /// Runs to the end (labs without an end do nothing).
    fn run_to_end(&mut self) {}
    /// Real milliseconds between two steps at speed 1.
    fn step_ms(&self) -> f64 {
        1_000.0
    }
    /// Applies one of the lab's own actions, saying what changed, or why it was refused (the
    /// lab must then be as it was).
    fn act(session: &mut Session<Self>, action: Self::Action) -> Result<Change, String>;
    /// Keeps the extra state consistent after any action (e.g. a selection within range).
    fn settle(_session: &mut Session<Self>) {}
}

/// What an action changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The scenario: redraw and update the share link.
    Committed,
    /// Only what is shown (a drag frame, a selection, a background computation): redraw,
    /// keeping any message.
    Shown,
    /// Nothing drawn from the simulation.
    Silent,
}

/// The `use_reducer` state of a lab.
#[derive(Clone)]
pub struct Session<L: LabModel> {
    pub lab: L,
    /// The scenario the lab started from, for Reset.
    pub initial: L::Scenario,
    /// Messages about bad URL parameters or attributes.
    pub notices: Vec<Notice>,
    /// The last refused action, shown until the next successful one.
    pub error: Option<String>,
    pub playing: bool,
    /// Steps per `step_ms` of real time.
    pub speed: f64,
    pub extra: L::Extra,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when the scenario changes, to update the URL.
    pub committed: u64,
}

/// What a user can do to any lab, and the lab's own actions.
pub enum SessionAction<A> {
    Lab(A),
    Step,
    RunToEnd,
    TogglePlay,
    SetSpeed(f64),
    SetSeed(u64),
    Reset,
    /// Input the shell could not even parse: shown, nothing changes.
    Error(String),
    DismissMessages,
}

impl<L: LabModel> Session<L> {
    /// A session from a scenario that parsing already made valid; falls back to the default
    /// scenario (with a notice) if the core still refuses it.
    pub fn new(scenario: L::Scenario, mut notices: Vec<Notice>) -> Self {
        let lab = L::build(&scenario).unwrap_or_else(|err| {
            notices.push(Notice::new(
                "scenario",
                format!("{err}; showing the default"),
            ));
            L::build(&L::Scenario::default()).expect("the default scenario is valid")
        });
        Self {
            initial: lab.scenario(),
            lab,
            notices,
            error: None,
            playing: false,
            speed: L::SPEED,
            extra: L::Extra::default(),
            revision: 0,
            committed: 0,
        }
    }

    /// Replaces the simulation with one built from `scenario` (Reset, a preset), stopping
    /// playback and clearing the extra state; a refused scenario changes nothing.
    pub fn restart(&mut self, scenario: &L::Scenario) -> Result<(), String> {
        let lab = L::build(scenario).map_err(|e| super::sentence(&e))?;
        self.replace(lab);
        Ok(())
    }

    /// Replaces the simulation with `lab`, stopping playback and clearing the extra state.
    pub fn replace(&mut self, lab: L) {
        self.lab = lab;
        self.playing = false;
        self.extra = L::Extra::default();
    }

    /// Real milliseconds between two steps while playing, or `None` when paused.
    pub fn play_period(&self) -> Option<u32> {
        self.playing.then(|| {
            (self.lab.step_ms() / self.speed)
                .round()
                .clamp(16.0, 60_000.0) as u32
        })
    }
}

impl<L: LabModel> Reducible for Session<L> {
    type Action = SessionAction<L::Action>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        use SessionAction as A;
        let result = match action {
            A::Lab(action) => L::act(&mut s, action),
            A::Step => {
                let r = s.lab.step().map_err(|e| super::sentence(&e));
                if r.is_err() || s.lab.finished() {
                    s.playing = false;
                }
                r.map(|()| Change::Committed)
            }
            A::RunToEnd => {
                s.lab.run_to_end();
                s.playing = false;
                Ok(Change::Committed)
            }
            A::TogglePlay => {
                s.playing = !s.playing && !s.lab.finished();
                Ok(Change::Silent)
            }
            A::SetSpeed(speed) => {
                if speed.is_finite() && speed > 0.0 {
                    s.speed = speed.clamp(0.25, 20.0);
                }
                Ok(Change::Silent)
            }
            A::SetSeed(seed) => s
                .lab
                .set_seed(seed)
                .map(|()| Change::Committed)
                .map_err(|e| super::sentence(&e)),
            A::Reset => {
                let initial = s.initial.clone();
                s.restart(&initial).map(|()| Change::Committed)
            }
            A::Error(message) => Err(message),
            A::DismissMessages => {
                s.notices.clear();
                s.error = None;
                Ok(Change::Silent)
            }
        };
        match result {
            Ok(Change::Committed) => {
                s.error = None;
                s.revision += 1;
                s.committed += 1;
            }
            Ok(Change::Shown) => s.revision += 1,
            Ok(Change::Silent) => {}
            Err(message) => s.error = Some(message),
        }
        L::settle(&mut s);
        Rc::new(s)
    }
}
