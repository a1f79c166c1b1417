//! The one `use_reducer` state of every lab: the simulation behind the core's [`Lab`]
//! contract, the scenario it started from, messages, playback, and the counters that tell
//! memoised views and the address bar what changed.
//!
//! The simulation is shared (`Rc<RefCell<L>>`) and changed in place: an action never copies
//! the lab (a drag frame, a play tick or a miss-ratio slice used to clone it whole, for the
//! cache lab including its request stream). The core's actions are atomic, so a refused one
//! leaves it as it was.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use syslab_core::check::Outcome;
use syslab_core::story::{Story, find};
use syslab_core::{ConfigError, Lab, Notice, query};
use yew::Reducible;

/// The `use_reducer` state of a lab.
pub struct Session<L: Lab> {
    lab: Rc<RefCell<L>>,
    /// The scenario the lab started from, for Reset.
    pub initial: Rc<L::Scenario>,
    /// Messages about bad URL parameters or attributes.
    pub notices: Vec<Notice>,
    /// The last refused action, shown until the next successful one.
    pub error: Option<String>,
    pub playing: bool,
    /// A run to the end in progress, computed in slices between frames so the page never
    /// blocks for longer than a slice.
    pub running: bool,
    /// Stepping ticks of the run to the end since the page was last redrawn.
    since_draw: u32,
    /// Steps per `step_ms` of real time.
    pub speed: f64,
    /// Bumped on every change, so memoised views know when to recompute.
    pub revision: u64,
    /// Bumped when the scenario changes, to update the share link.
    pub committed: u64,
    /// The story being told and its step (0-based), if one is open.
    pub story: Option<(&'static Story, usize)>,
    /// The check (an index into `L::checks()`) whose scenario the lab is running or has run,
    /// with its outcome once the run is over, until anything else changes the lab.
    pub checking: Option<(usize, Option<Outcome>)>,
}

/// What a page asks of a story: the `story=` value of its link or `data-story` attribute
/// (`ID`, or `ID:N` for step N counted from 1), and whether the page's own parameters already
/// set the scenario (a shared link in the middle of a story) or the first step should.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoryRequest {
    pub value: Option<String>,
    pub load_step: bool,
}

impl StoryRequest {
    /// Reads the request from a page's parameters.
    pub fn from_params(params: &[(String, String)]) -> Self {
        let value = params
            .iter()
            .rev()
            .find(|(k, _)| k == "story")
            .map(|(_, v)| v.trim().to_owned());
        let load_step = !params
            .iter()
            .any(|(k, _)| k != "preset" && !query::SHELL_PARAMS.contains(&k.as_str()));
        Self { value, load_step }
    }

    /// The story and step it names among `stories`, and a sentence for what was wrong: an
    /// unknown story opens none; a bad step number opens the story at its first step.
    pub fn resolve(
        &self,
        stories: &'static [Story],
    ) -> (Option<(&'static Story, usize)>, Option<String>) {
        let Some(value) = self.value.as_deref().filter(|v| !v.is_empty()) else {
            return (None, None);
        };
        let (id, at) = match value.rsplit_once(':') {
            Some((id, n)) => (id, Some(n)),
            None => (value, None),
        };
        let story = match find(stories, id) {
            Ok(story) => story,
            Err(e) => {
                let message = sentence(&ConfigError::Invalid(format!("story: {e}")));
                return (None, Some(message));
            }
        };
        match at.map(|n| (n, n.parse::<usize>())) {
            None => (Some((story, 0)), None),
            Some((_, Ok(n))) if (1..=story.steps.len()).contains(&n) => {
                (Some((story, n - 1)), None)
            }
            Some((n, _)) => (
                Some((story, 0)),
                Some(format!(
                    "Story: {} has steps 1 to {}, not {}; starting at step 1",
                    story.id,
                    story.steps.len(),
                    syslab_core::schema::quote(n)
                )),
            ),
        }
    }
}

impl<L: Lab> Clone for Session<L> {
    /// A shallow copy: the simulation is shared, never duplicated.
    fn clone(&self) -> Self {
        Self {
            lab: Rc::clone(&self.lab),
            initial: Rc::clone(&self.initial),
            notices: self.notices.clone(),
            error: self.error.clone(),
            playing: self.playing,
            running: self.running,
            since_draw: self.since_draw,
            speed: self.speed,
            revision: self.revision,
            committed: self.committed,
            story: self.story,
            checking: self.checking.clone(),
        }
    }
}

/// What a user can do to any lab, and the lab's own actions.
pub enum SessionAction<L: Lab> {
    /// One of the lab's own actions (drag a node, click a server).
    Lab(L::Action),
    /// A parameter of the lab's schema, as typed or slid.
    SetParam(&'static str, String),
    /// Start one of the lab's presets.
    Preset(String),
    /// Replace the scenario (a trace loaded in the page); refused whole if the lab refuses it.
    Load(Box<L::Scenario>),
    Step,
    /// Starts running to the end: drawn now, stepped by [`SessionAction::RunSlice`].
    RunToEnd,
    /// Another slice of a run to the end.
    RunSlice(Slice),
    /// Stops a run to the end where it is.
    StopRun,
    /// A slice of the lab's background work (the ring's comparison strategies, the cache's
    /// miss-ratio curves), while [`Lab::background_pending`].
    Background(Slice),
    TogglePlay,
    SetSpeed(f64),
    Reset,
    /// Go to step N (0-based) of the open story: its scenario replaces the lab's.
    StoryStep(usize),
    /// Close the story; the lab keeps its state.
    StoryClose,
    /// Load check N's scenario (an index into `L::checks()`) and run it to its end in slices,
    /// so its figure can be measured.
    RunCheck(usize),
    /// Input the shell could not even parse: shown, nothing changes.
    Error(String),
    DismissMessages,
}

/// How long one slice of a run to the end or of background work may take: a clock (milliseconds, from the page:
/// the core and the reducer read none of their own) and the budget.
#[derive(Clone, Copy)]
pub struct Slice {
    pub now: fn() -> f64,
    pub budget_ms: f64,
}

/// Ticks of a run to the end that step the lab (each about a slice's budget, one every
/// 16 ms) between two that redraw the page: about 15 redraws a second.
const DRAW_EVERY: u32 = 3;

/// What an action changed.
enum Change {
    /// The scenario: redraw and update the share link.
    Committed,
    /// Only what is shown (a drag frame, a background computation): redraw, keeping any
    /// message.
    Shown,
    /// Nothing drawn from the simulation.
    Silent,
}

impl<L: Lab> Session<L> {
    /// A session from a scenario that parsing already made valid, with the page's own
    /// parameters applied; falls back to the default scenario (with a notice) if the core
    /// still refuses it.
    pub fn new(
        scenario: &L::Scenario,
        mut notices: Vec<Notice>,
        page: &[(String, String)],
        request: &StoryRequest,
    ) -> Self {
        let mut lab = L::new_deferred(scenario).unwrap_or_else(|err| {
            notices.push(Notice::new(
                "scenario",
                format!("{err}; showing the default"),
            ));
            // Not `expect`: that would link `ConfigError`'s `Debug` into every page.
            L::new_deferred(&L::Scenario::default())
                .unwrap_or_else(|_| unreachable!("the default scenario is valid"))
        });
        notices.extend(lab.read_page(page));
        let (story, error) = request.resolve(L::stories());
        let mut session = Self {
            initial: Rc::new(lab.scenario()),
            lab: Rc::new(RefCell::new(lab)),
            notices,
            error,
            playing: false,
            running: false,
            since_draw: 0,
            speed: L::default_speed(),
            revision: 0,
            committed: 0,
            story,
            checking: None,
        };
        // A link that is only `story=ID` opens the step's scenario; a shared link in the middle
        // of a story carries its own scenario, which wins.
        if let Some((_, index)) = story
            && request.load_step
            && let Err(message) = session.go_to_step(index)
        {
            session.error = Some(message);
        }
        session
    }

    /// Loads step `index` of the open story: its scenario replaces the lab's (refused whole if
    /// the core refuses it).
    fn go_to_step(&mut self, index: usize) -> Result<Change, String> {
        let Some((story, _)) = self.story else {
            return Err("No story is open".to_owned());
        };
        let step = story
            .step(index)
            .ok_or_else(|| format!("{} has no step {}", story.title, index + 1))?;
        let (scenario, notices) = L::from_params(&query::parse_query(step.query));
        if let Some(notice) = notices.first() {
            return Err(format!(
                "This story step's link is not read as written: {notice}"
            ));
        }
        *self.lab.borrow_mut() = L::new_deferred(&scenario).map_err(|e| sentence(&e))?;
        self.story = Some((story, index));
        self.playing = false;
        self.running = false;
        Ok(Change::Committed)
    }

    /// The simulation, to read. Never hold this across a dispatch.
    pub fn lab(&self) -> Ref<'_, L> {
        self.lab.borrow()
    }

    /// Real milliseconds between two steps while playing, or `None` when paused.
    pub fn play_period(&self) -> Option<u32> {
        self.playing.then(|| {
            (self.lab().step_ms() / self.speed)
                .round()
                .clamp(16.0, 60_000.0) as u32
        })
    }

    /// Applies `action` to the simulation in place.
    fn act(&mut self, action: SessionAction<L>) -> Result<Change, String> {
        use SessionAction as A;
        // A check's status holds only for the lab its scenario built, run to its end: anything
        // that changes the scenario (not a drag frame, a selection or playback) drops it.
        let keeps_check = match &action {
            A::Lab(action) => L::is_transient(action),
            A::RunSlice(_)
            | A::RunToEnd
            | A::StopRun
            | A::TogglePlay
            | A::SetSpeed(_)
            | A::DismissMessages
            | A::Error(_)
            | A::RunCheck(..) => true,
            _ => false,
        };
        if !keeps_check {
            self.checking = None;
        }
        let mut lab = self.lab.borrow_mut();
        match action {
            A::Lab(action) => {
                let transient = L::is_transient(&action);
                lab.apply(action).map_err(|e| sentence(&e))?;
                Ok(if transient {
                    Change::Shown
                } else {
                    Change::Committed
                })
            }
            A::SetParam(key, text) => {
                lab.set_param(key, &text).map_err(|e| sentence(&e))?;
                Ok(Change::Committed)
            }
            A::Preset(id) => {
                let scenario =
                    L::preset(&id).ok_or_else(|| format!("There is no preset named {id:?}"))?;
                *lab = L::new_deferred(&scenario).map_err(|e| sentence(&e))?;
                self.playing = false;
                self.running = false;
                Ok(Change::Committed)
            }
            A::Load(scenario) => {
                *lab = L::new_deferred(&scenario).map_err(|e| sentence(&e))?;
                self.playing = false;
                self.running = false;
                Ok(Change::Committed)
            }
            A::Step => {
                let r = lab.step().map_err(|e| sentence(&e));
                if r.is_err() || lab.finished() {
                    self.playing = false;
                }
                r.map(|()| Change::Committed)
            }
            A::RunToEnd => {
                drop(lab);
                self.start_run()
            }
            A::RunSlice(slice) => {
                drop(lab);
                if self.running {
                    self.run_slice(slice)
                } else {
                    Ok(Change::Silent)
                }
            }
            A::Background(slice) => {
                drop(lab);
                Ok(self.background_slice(slice))
            }
            A::StopRun => {
                self.running = false;
                Ok(Change::Committed)
            }
            A::TogglePlay => {
                self.running = false;
                self.playing = !self.playing && !lab.finished();
                Ok(Change::Silent)
            }
            A::SetSpeed(speed) => {
                if speed.is_finite() && speed > 0.0 {
                    self.speed = speed.clamp(0.25, 20.0);
                }
                Ok(Change::Silent)
            }
            A::StoryStep(index) => {
                drop(lab);
                self.go_to_step(index)
            }
            A::RunCheck(index) => {
                let checks = L::checks();
                let check = checks
                    .get(index)
                    .ok_or_else(|| format!("This lab has no check number {}", index + 1))?;
                let scenario = syslab_core::contract::check_scenario_of::<L>(check.query)
                    .map_err(|e| sentence(&e))?;
                // `new`, not `new_deferred`: the check measures every result of the lab.
                *lab = L::new(&scenario).map_err(|e| sentence(&e))?;
                self.checking = Some((index, None));
                drop(lab);
                self.start_run()
            }
            A::StoryClose => {
                self.story = None;
                Ok(Change::Committed)
            }
            A::Reset => {
                *lab = L::new_deferred(&self.initial).map_err(|e| sentence(&e))?;
                self.playing = false;
                self.running = false;
                Ok(Change::Committed)
            }
            A::Error(message) => Err(message),
            A::DismissMessages => {
                self.notices.clear();
                self.error = None;
                Ok(Change::Silent)
            }
        }
    }
}

impl<L: Lab> Session<L> {
    /// Measures the open check on the lab, now run to its end (once: the outcome is kept).
    fn judge_check(&mut self) {
        if let Some((index, outcome @ None)) = &mut self.checking
            && let Some(check) = L::checks().get(*index)
        {
            *outcome = Some(check.judge(&self.lab.borrow()));
        }
    }

    /// Runs the lab to its end: at once for a lab without an end, else in slices by
    /// [`SessionAction::RunSlice`] (this task only draws that the run started). A check being
    /// run is judged at the end.
    fn start_run(&mut self) -> Result<Change, String> {
        self.playing = false;
        let mut lab = self.lab.borrow_mut();
        if lab.progress().is_none() {
            // A lab without an end: nothing to slice.
            lab.run_to_end();
            drop(lab);
            self.judge_check();
            return Ok(Change::Committed);
        }
        drop(lab);
        self.running = true;
        // This task draws the run's start (progress, Stop); the ticks that follow step it.
        self.since_draw = 0;
        Ok(Change::Committed)
    }

    /// One tick of a run to the end: it either steps the lab or redraws the page, never both,
    /// so that no task holds a slice of simulation and a redraw of every chart (together over
    /// 50 ms on the resilience lab's compare preset). Stepping ticks step until the slice's
    /// budget is spent (at least one step, and none started that would overrun it if it took
    /// as long as the last: a busy stretch of a run has steps of several milliseconds); every
    /// [`DRAW_EVERY`]th tick only redraws, and so does the tick after the last step, which
    /// ends the run.
    fn run_slice(&mut self, slice: Slice) -> Result<Change, String> {
        let mut lab = self.lab.borrow_mut();
        if lab.finished() {
            self.running = false;
            drop(lab);
            self.judge_check();
            return Ok(Change::Committed);
        }
        if self.since_draw >= DRAW_EVERY {
            self.since_draw = 0;
            return Ok(Change::Shown);
        }
        self.since_draw += 1;
        let start = (slice.now)();
        let mut last_end = start;
        let mut last_step = 0.0;
        loop {
            if let Err(e) = lab.step() {
                self.running = false;
                return Err(sentence(&e));
            }
            let now = (slice.now)();
            last_step = f64::max(now - last_end, last_step * 0.5);
            last_end = now;
            if lab.finished() || now - start + last_step >= slice.budget_ms {
                return Ok(Change::Silent);
            }
        }
    }
}

impl<L: Lab> Session<L> {
    /// Does pieces of the lab's background work until none is left or the slice's budget is
    /// spent; the page redraws only if a piece changed the view.
    fn background_slice(&mut self, slice: Slice) -> Change {
        let mut lab = self.lab.borrow_mut();
        let start = (slice.now)();
        let mut shown = false;
        while lab.background_pending() && (slice.now)() - start < slice.budget_ms {
            shown |= lab.background_step();
        }
        // The last piece also stops the timer, which reads `background_pending` on a redraw.
        if shown || !lab.background_pending() {
            Change::Shown
        } else {
            Change::Silent
        }
    }
}

impl<L: Lab> Reducible for Session<L> {
    type Action = SessionAction<L>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match s.act(action) {
            Ok(Change::Committed) => {
                s.error = None;
                s.revision += 1;
                s.committed += 1;
            }
            Ok(Change::Shown) => s.revision += 1,
            Ok(Change::Silent) => {}
            Err(message) => s.error = Some(message),
        }
        Rc::new(s)
    }
}

/// A core error as a sentence for the UI: the core's messages start in lower case. Messages
/// start with ASCII, so this avoids pulling Unicode case tables into the bundle.
pub fn sentence(err: &ConfigError) -> String {
    let text = err.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => text,
    }
}
