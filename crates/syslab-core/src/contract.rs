//! The one contract every lab implements and every consumer (browser shell, CLI, benchmarks,
//! tests) goes through: [`Lab`], with its scenario ([`LabScenario`]), its own actions, its
//! parameter schema and its presets.
//!
//! What a lab does not have to write is written here once: reading and writing links
//! ([`Lab::from_params`], [`Lab::to_params`]), setting one parameter atomically
//! ([`Lab::set_param`]), and the scenario version check.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ConfigError;
use crate::query::Notice;
use crate::schema::{self, Param};

/// A lab's whole state as data: what a link, a JSON file or Reset rebuilds it from.
pub trait LabScenario: Clone + Default + PartialEq + std::fmt::Debug + 'static {
    /// The format version the scenario was written with.
    fn version(&self) -> u32;
    /// Checks across parameters and the work budget, without building the lab: `Err` says
    /// what is wrong in a sentence a user can act on.
    fn check(&self) -> Result<(), ConfigError>;
    /// A targeted repair of a failed check (see [`schema::Checked::adjust`]).
    fn adjust(&mut self) -> Option<Notice> {
        None
    }
    /// Repairs after a link was read that cannot fail (clamping the step count to the run's
    /// length, dropping changes that no longer apply); each one that changes something adds
    /// a notice.
    fn settle(&mut self, _notices: &mut Vec<Notice>) {}
    /// Whether a link carries this scenario (a cache replaying a trace it does not: the
    /// trace stays in the page or the file). Scenarios read from files that a link carries
    /// must be exactly what their link gives back.
    fn in_link(&self) -> bool {
        true
    }
}

impl<S: LabScenario> schema::Checked for S {
    fn check(&self) -> Result<(), String> {
        LabScenario::check(self).map_err(|e| e.to_string())
    }
    fn adjust(&mut self) -> Option<Notice> {
        LabScenario::adjust(self)
    }
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        LabScenario::settle(self, notices);
    }
}

/// A ready-made scenario that tells one story.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset<S> {
    /// Its name in links (`preset=slow-server`) and the CLI.
    pub id: &'static str,
    /// A button's label.
    pub label: &'static str,
    /// The sentence a button's tooltip and the CLI show.
    pub title: &'static str,
    /// The scenario it starts.
    pub scenario: S,
}

/// A lab: a pure state machine built from a scenario, driven by actions and steps, seen
/// through a view model (the browser) and a snapshot (the CLI and tests).
pub trait Lab: Sized + 'static {
    /// The lab's id: its page's path segment, its CLI name, its tag in scenario files.
    const ID: &'static str;
    /// Its title, on the landing page and in the CLI's `labs`.
    const TITLE: &'static str;
    /// One sentence on what it shows, for the landing page's card.
    const SUMMARY: &'static str;
    /// The lab's whole state, as data.
    type Scenario: LabScenario + Serialize + DeserializeOwned;
    /// The lab's numbers, as data.
    type Snapshot: Serialize + DeserializeOwned + Clone + PartialEq + std::fmt::Debug;
    /// Everything the browser draws, computed here so components only draw.
    type View: PartialEq;
    /// What a user can do to this lab beyond what every lab can (drag a node, click a
    /// server, crash a cache).
    type Action;

    /// Every parameter, declared once. Parameters that depend on others come after them.
    fn schema() -> &'static [Param<Self::Scenario>];
    /// Link parameters that belong to the lab's page rather than its scenario (such as the
    /// ring's selected key): the decoder skips them without a notice.
    fn page_params() -> &'static [&'static str] {
        &[]
    }
    /// Reads the page parameters (see [`Lab::page_params`]) into the lab, with a notice for
    /// each bad one.
    fn read_page(&mut self, _pairs: &[(String, String)]) -> Vec<Notice> {
        Vec::new()
    }
    /// The page parameters a share link adds to the scenario's.
    fn write_page(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Whether a link can carry the lab's state (a cache replaying a trace file cannot: the
    /// trace stays in the page, and the address bar is left alone).
    fn shareable(&self) -> bool {
        true
    }
    /// Whether an action changes only what is shown and not the scenario (a drag frame, a
    /// selection, a slice of background work): the share link is not rebuilt for it.
    fn is_transient(_action: &Self::Action) -> bool {
        false
    }
    /// The presets, in menu order.
    fn presets() -> Vec<Preset<Self::Scenario>>;
    /// The lab's guided stories (`story=ID`), in the order the landing page lists them.
    fn stories() -> &'static [crate::story::Story] {
        &[]
    }
    /// The published and closed-form results this lab reproduces (`syslab check`).
    fn checks() -> Vec<crate::check::Check<Self>> {
        Vec::new()
    }

    /// Builds the lab, refusing scenarios it cannot simulate.
    fn new(scenario: &Self::Scenario) -> Result<Self, ConfigError>;
    /// Builds the lab for a page: like [`Lab::new`], but it may leave work that is not needed
    /// to draw the current state (the ring's comparison strategies) to
    /// [`Lab::background_step`], after this and after every later action. The page runs that
    /// work in slices between frames; everything else (the CLI, benchmarks, tests) uses `new`
    /// and gets every result at once. Once the background work is done the lab is exactly what
    /// `new` builds.
    fn new_deferred(scenario: &Self::Scenario) -> Result<Self, ConfigError> {
        Self::new(scenario)
    }
    /// Whether derived results are still being computed in the background (the page shows
    /// them as computing and calls [`Lab::background_step`] between frames).
    fn background_pending(&self) -> bool {
        false
    }
    /// Computes one bounded piece of the background work (a few milliseconds at most), so a
    /// page can stop between pieces when its slice of a frame is spent. Returns whether the
    /// view changed (a result completed, a progress bar moved): the page redraws only then.
    fn background_step(&mut self) -> bool {
        false
    }
    /// Completes the background work now.
    fn finish_background(&mut self) {
        while self.background_pending() {
            self.background_step();
        }
    }
    /// The lab's state as a scenario, such that `new` rebuilds it exactly.
    fn scenario(&self) -> Self::Scenario;
    /// Applies one action: `Ok` and changed, or `Err` and exactly as before.
    fn apply(&mut self, action: Self::Action) -> Result<(), ConfigError>;
    /// One step of the simulation (what Step and every tick of Play do).
    fn step(&mut self) -> Result<(), ConfigError>;
    /// Whether the run is over (labs without an end never are).
    fn finished(&self) -> bool {
        false
    }
    /// Runs to the end (labs without an end do nothing).
    fn run_to_end(&mut self) {}
    /// How far the run is, from 0 to 1, or `None` for a lab without an end (the ring). The
    /// page runs a long run to its end in slices between frames and shows this.
    fn progress(&self) -> Option<f64> {
        None
    }
    /// Real milliseconds between two steps at speed 1 while playing.
    fn step_ms(&self) -> f64 {
        1_000.0
    }
    /// Steps per `step_ms` a page starts playing at.
    fn default_speed() -> f64 {
        1.0
    }
    /// Replaces the scenario, keeping the lab's position where the lab can (a config change
    /// replays the run to the same step). Atomic: on `Err` the lab is as it was.
    fn reconfigure(&mut self, scenario: &Self::Scenario) -> Result<(), ConfigError> {
        *self = Self::new(scenario)?;
        Ok(())
    }
    /// The view model.
    fn view(&self) -> Self::View;
    /// Everything the lab shows, as numbers.
    fn snapshot(&self) -> Self::Snapshot;

    /// The parameter `key` of the schema.
    fn param(key: &str) -> Option<&'static Param<Self::Scenario>> {
        Self::schema().iter().find(|p| p.key == key)
    }

    /// Sets one parameter from text (a settings field, a slider): atomic, and refused with
    /// a sentence naming the parameter when the text or the resulting scenario is bad.
    fn set_param(&mut self, key: &str, text: &str) -> Result<(), ConfigError> {
        let param = Self::param(key)
            .ok_or_else(|| ConfigError::Parse(format!("{key:?} is not a parameter of this lab")))?;
        let mut scenario = self.scenario();
        param.set(&mut scenario, text).map_err(|what| {
            ConfigError::Invalid(format!(
                "{} must be {what} (got {})",
                param.label,
                schema::quote(text.trim())
            ))
        })?;
        LabScenario::check(&scenario)?;
        self.reconfigure(&scenario)
    }

    /// The preset with this id.
    fn preset(id: &str) -> Option<Self::Scenario> {
        Self::presets()
            .into_iter()
            .find(|p| p.id == id)
            .map(|p| p.scenario)
    }

    /// Reads a scenario from a link's decoded parameters. Never fails: each bad parameter
    /// falls back alone and yields a notice that names it.
    fn from_params(pairs: &[(String, String)]) -> (Self::Scenario, Vec<Notice>) {
        let mut notices = Vec::new();
        let base = crate::query::preset_base(pairs, Self::preset, &mut notices);
        let (scenario, more) = schema::decode(Self::schema(), pairs, base, Self::page_params());
        notices.extend(more);
        (scenario, notices)
    }

    /// The link parameters of a scenario; values equal to the default are left out.
    fn to_params(scenario: &Self::Scenario) -> Vec<(String, String)> {
        schema::encode(Self::schema(), scenario, &Self::Scenario::default())
    }

    /// Checks a scenario read from a file: its version, its parameters, its budget, and that
    /// its share link gives it back exactly (see [`check_link`]).
    fn check_scenario(scenario: &Self::Scenario) -> Result<(), ConfigError> {
        let version = scenario.version();
        if version > crate::SCENARIO_VERSION {
            return Err(ConfigError::UnsupportedVersion(version));
        }
        LabScenario::check(scenario)?;
        if scenario.in_link() {
            check_link::<Self>(scenario)?;
        }
        Ok(())
    }

    /// Builds the scenario's lab, runs it to the end and returns its snapshot (what the CLI
    /// prints; the scenario's step count says where a page's playhead was).
    fn run(scenario: &Self::Scenario) -> Result<Self::Snapshot, ConfigError> {
        Self::check_scenario(scenario)?;
        let mut lab = Self::new(scenario)?;
        lab.run_to_end();
        Ok(lab.snapshot())
    }
}

/// Checks that `scenario`'s share link gives it back exactly and with no notices, so that a
/// scenario from a file runs as its link does: a value the link cannot write (a rate of
/// 1e-300 written as 0, a number with more digits than a link keeps) is refused, naming the
/// parameter, rather than changed when the link is opened.
pub fn check_link<L: Lab>(scenario: &L::Scenario) -> Result<(), ConfigError> {
    let default = L::Scenario::default();
    for p in L::schema() {
        let written = (p.write)(scenario);
        let mut back = scenario.clone();
        // A parameter written as its default is left out of the link (an empty key list
        // when the keys are generated, the key count when they are a list), so it is never
        // read back; the whole link below still has to give its value back.
        if written == (p.write)(&default) {
            continue;
        }
        let problem = match p.set(&mut back, &written) {
            Err(what) => format!("which is not {what}"),
            Ok(()) if back != *scenario => "which is not exactly its value".to_owned(),
            Ok(()) => continue,
        };
        return Err(ConfigError::Invalid(format!(
            "{} ({}) cannot travel in a link: it would be written {}, {problem}",
            p.label,
            p.key,
            schema::quote(&written)
        )));
    }
    let (back, notices) = L::from_params(&L::to_params(scenario));
    if let Some(notice) = notices.first() {
        return Err(ConfigError::Invalid(format!(
            "the scenario's link would not give it back ({notice})"
        )));
    }
    if back == *scenario {
        return Ok(());
    }
    // A link always writes the current version; an older file's version is not a value.
    let without_version = |s: &L::Scenario| {
        let mut value = serde_json::to_value(s).unwrap_or_default();
        if let Some(fields) = value.as_object_mut() {
            fields.remove("version");
        }
        value
    };
    match first_difference(&without_version(scenario), &without_version(&back), "") {
        Some(place) => Err(ConfigError::Invalid(format!(
            "the scenario's link would not give it back exactly ({place})"
        ))),
        None => Ok(()),
    }
}

/// Where two JSON values first differ: `config.rate: 2400.0000000000005, a link gives 2400`.
fn first_difference(
    file: &serde_json::Value,
    link: &serde_json::Value,
    path: &str,
) -> Option<String> {
    use serde_json::Value;
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (file, link) {
        (Value::Object(a), Value::Object(b)) => a.iter().find_map(|(key, value)| {
            first_difference(value, b.get(key).unwrap_or(&Value::Null), &join(key))
        }),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &join(&i.to_string()))),
        _ if file == link => None,
        _ => Some(format!(
            "{path}: {}, a link gives {}",
            schema::quote(&file.to_string()),
            schema::quote(&link.to_string())
        )),
    }
}

/// A parameter's description without its scenario type, for listings (`syslab params`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamInfo {
    /// Its name in links.
    pub key: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Its help text.
    pub help: &'static str,
    /// Its unit, or "".
    pub unit: &'static str,
    /// What it accepts, in words.
    pub accepts: String,
    /// Its default value as a link writes it.
    pub default: String,
}

/// Every parameter of lab `L`, described.
pub fn param_infos<L: Lab>() -> Vec<ParamInfo> {
    let default = L::Scenario::default();
    L::schema()
        .iter()
        .map(|p| ParamInfo {
            key: p.key,
            label: p.label,
            help: p.help,
            unit: p.unit,
            accepts: p.accepts(),
            default: (p.write)(&default),
        })
        .collect()
}

/// A preset's description without its scenario type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PresetInfo {
    /// Its id.
    pub id: &'static str,
    /// Its button label.
    pub label: &'static str,
    /// Its sentence.
    pub title: &'static str,
}

/// One of lab `L`'s checks with its scenario type erased, for `syslab check` and the tests.
pub fn erase_check<L: Lab>(check: crate::check::Check<L>) -> crate::check::AnyCheck {
    crate::check::AnyCheck::new(L::ID, check, |query| {
        let scenario = check_scenario_of::<L>(query)?;
        L::check_scenario(&scenario)?;
        let mut lab = L::new(&scenario)?;
        lab.run_to_end();
        Ok(lab)
    })
}

/// The scenario a check's query gives; every parameter must be read as written (a notice
/// means the check would silently run something else). The browser's Checks panel builds its
/// lab from this; `erase_check` (the CLI and the tests) also runs the full `check_scenario`.
pub fn check_scenario_of<L: Lab>(query: &str) -> Result<L::Scenario, ConfigError> {
    let pairs = crate::query::parse_query(query);
    let (scenario, notices) = L::from_params(&pairs);
    if let Some(notice) = notices.first() {
        return Err(ConfigError::Invalid(format!(
            "the check's link {query:?} is not read as written: {notice}"
        )));
    }
    Ok(scenario)
}

/// Declares the registry: the tagged [`crate::Scenario`] and [`crate::Snapshot`] enums and
/// every dispatch over them come from this one list, so registering a lab is one line.
macro_rules! registry {
    ($($variant:ident => $lab:ty),+ $(,)?) => {
        /// A scenario of any lab, tagged with the lab's id.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "lab", rename_all = "kebab-case")]
        pub enum Scenario {
            $(
                #[doc = concat!("A scenario of `", stringify!($lab), "`.")]
                $variant(<$lab as $crate::Lab>::Scenario),
            )+
        }

        /// A snapshot of any lab, tagged with the lab's id.
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "lab", rename_all = "kebab-case")]
        pub enum Snapshot {
            $(
                #[doc = concat!("A snapshot of `", stringify!($lab), "`.")]
                $variant(Box<<$lab as $crate::Lab>::Snapshot>),
            )+
        }

        /// The stories of lab `lab_id` (none for an unknown id).
        pub fn stories(lab_id: &str) -> &'static [$crate::story::Story] {
            $(
                if lab_id == <$lab as $crate::Lab>::ID {
                    return <$lab as $crate::Lab>::stories();
                }
            )+
            &[]
        }

        /// Every check of every lab (see [`crate::check`]), in registry order.
        pub fn checks() -> Vec<$crate::check::AnyCheck> {
            let mut all = Vec::new();
            $(
                all.extend(
                    <$lab as $crate::Lab>::checks()
                        .into_iter()
                        .map($crate::contract::erase_check::<$lab>),
                );
            )+
            all
        }

        /// The ids of every registered lab, in registry order.
        pub const LAB_IDS: &[&str] = &[$(<$lab as $crate::Lab>::ID),+];

        /// Every lab, in the order the landing page lists them (the registry's order).
        pub const LABS: &[$crate::LabInfo] = &[$(
            $crate::LabInfo {
                id: <$lab as $crate::Lab>::ID,
                title: <$lab as $crate::Lab>::TITLE,
                summary: <$lab as $crate::Lab>::SUMMARY,
                status: $crate::LabStatus::Ready,
            }
        ),+];

        impl Scenario {
            /// The lab's id.
            pub fn lab_id(&self) -> &'static str {
                match self {
                    $(Scenario::$variant(_) => <$lab as $crate::Lab>::ID,)+
                }
            }

            /// The default scenario of a registered lab.
            pub fn example(lab_id: &str) -> Option<Scenario> {
                $(
                    if lab_id == <$lab as $crate::Lab>::ID {
                        return Some(Scenario::$variant(Default::default()));
                    }
                )+
                None
            }

            /// Parses a scenario from JSON, checking its version, its parameters and its
            /// budget.
            pub fn from_json(text: &str) -> Result<Scenario, $crate::ConfigError> {
                let scenario: Scenario = $crate::contract::read_json(text)?;
                match &scenario {
                    $(Scenario::$variant(s) => <$lab as $crate::Lab>::check_scenario(s)?,)+
                }
                Ok(scenario)
            }

            /// Reads lab `lab_id`'s scenario from decoded link parameters.
            pub fn from_params(
                lab_id: &str,
                pairs: &[(String, String)],
            ) -> Result<(Scenario, Vec<$crate::Notice>), $crate::ConfigError> {
                $(
                    if lab_id == <$lab as $crate::Lab>::ID {
                        let (s, notices) = <$lab as $crate::Lab>::from_params(pairs);
                        return Ok((Scenario::$variant(s), notices));
                    }
                )+
                Err($crate::not_a_lab(lab_id))
            }

            /// The scenario's parameters for a share link.
            pub fn to_params(&self) -> Vec<(String, String)> {
                match self {
                    $(Scenario::$variant(s) => <$lab as $crate::Lab>::to_params(s),)+
                }
            }

            /// Checks the scenario's version, parameters and budget without running it.
            pub fn check(&self) -> Result<(), $crate::ConfigError> {
                match self {
                    $(Scenario::$variant(s) => <$lab as $crate::Lab>::check_scenario(s),)+
                }
            }

            /// Runs the scenario to its end and returns its snapshot.
            pub fn run(&self) -> Result<Snapshot, $crate::ConfigError> {
                match self {
                    $(Scenario::$variant(s) => Ok(Snapshot::$variant(Box::new(
                        <$lab as $crate::Lab>::run(s)?,
                    ))),)+
                }
            }

            /// The presets of lab `lab_id`, as tagged scenarios.
            pub fn presets(
                lab_id: &str,
            ) -> Option<Vec<($crate::contract::PresetInfo, Scenario)>> {
                $(
                    if lab_id == <$lab as $crate::Lab>::ID {
                        return Some(
                            <$lab as $crate::Lab>::presets()
                                .into_iter()
                                .map(|p| {
                                    (
                                        $crate::contract::PresetInfo {
                                            id: p.id,
                                            label: p.label,
                                            title: p.title,
                                        },
                                        Scenario::$variant(p.scenario),
                                    )
                                })
                                .collect(),
                        );
                    }
                )+
                None
            }

            /// The parameters of lab `lab_id`, described.
            pub fn params(lab_id: &str) -> Option<Vec<$crate::contract::ParamInfo>> {
                $(
                    if lab_id == <$lab as $crate::Lab>::ID {
                        return Some($crate::contract::param_infos::<$lab>());
                    }
                )+
                None
            }
        }
    };
}
pub(crate) use registry;

/// Reads JSON text: a leading UTF-8 byte-order mark is accepted, and an error names the field
/// (`config.nodes[1].weight`) and its line and column when they can be told.
///
/// serde_json loses the position of a value inside a tagged enum (every scenario is one), so
/// a type error there names neither. Without a path-tracking deserializer (the core stays
/// light), the field is found afterwards: the values the message could be about are
/// candidates, and the one whose removal changes the error is the culprit (every scenario
/// field has a default, so removing a field is always allowed).
pub fn read_json<T: DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| ConfigError::Parse(json_error::describe::<T>(text, &e)))
}

mod json_error {
    //! Naming the field a JSON error is about (see [`super::read_json`]).

    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// Candidates tried by removal at most: an error message stays cheap on any input.
    const MAX_TRIES: usize = 64;

    /// Nesting past which values are not recorded (serde_json's own limit is 128).
    const MAX_DEPTH: usize = 128;

    /// One step of a path: an object's key or an array's index.
    #[derive(Clone, Debug, PartialEq)]
    enum Seg {
        Key(String),
        Index(usize),
    }

    /// A value in the text: where it starts, its path, and its first bytes.
    struct Spot {
        offset: usize,
        path: Vec<Seg>,
    }

    /// `config.nodes[1].weight`; the document itself is `the top level`.
    fn show(path: &[Seg]) -> String {
        let mut out = String::new();
        for seg in path {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        if out.is_empty() {
            out.push_str("the top level");
        }
        out
    }

    /// Every value's start in a (possibly broken) JSON text, with its path, in text order.
    fn spots(text: &str) -> Vec<Spot> {
        #[derive(PartialEq)]
        enum Frame {
            Object(Option<String>),
            Array(usize),
        }
        let bytes = text.as_bytes();
        let mut stack: Vec<Frame> = Vec::new();
        let mut out = Vec::new();
        // A value may start at the next non-blank byte.
        let mut value_next = true;
        let mut key_next = false;
        let path = |stack: &[Frame]| -> Vec<Seg> {
            stack
                .iter()
                .map(|f| match f {
                    Frame::Object(k) => Seg::Key(k.clone().unwrap_or_default()),
                    Frame::Array(i) => Seg::Index(*i),
                })
                .collect()
        };
        let mut i = 0;
        while i < bytes.len() {
            // serde_json refuses nesting deeper than 128; past that there is no field to name,
            // and recording paths would cost depth² memory.
            if stack.len() > MAX_DEPTH {
                break;
            }
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if value_next && b != b']' && b != b'}' {
                out.push(Spot {
                    offset: i,
                    path: path(&stack),
                });
                value_next = false;
            }
            match b {
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    if key_next {
                        if let Some(Frame::Object(k)) = stack.last_mut() {
                            *k = text.get(start..i.min(bytes.len())).map(str::to_owned);
                        }
                        key_next = false;
                    }
                }
                b'{' => {
                    stack.push(Frame::Object(None));
                    key_next = true;
                }
                b'[' => {
                    stack.push(Frame::Array(0));
                    value_next = true;
                }
                b'}' | b']' => {
                    stack.pop();
                    key_next = false;
                }
                b':' => value_next = true,
                b',' => match stack.last_mut() {
                    Some(Frame::Object(k)) => {
                        *k = None;
                        key_next = true;
                    }
                    Some(Frame::Array(n)) => {
                        *n += 1;
                        value_next = true;
                    }
                    None => {}
                },
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// The byte offset of 1-based `line` and `column` (serde_json counts columns in bytes).
    fn offset_of(text: &str, line: usize, column: usize) -> usize {
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        (start + column.saturating_sub(1)).min(text.len())
    }

    /// 1-based line and column of byte `offset`.
    fn line_column(text: &str, offset: usize) -> (usize, usize) {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        (line, column)
    }

    /// The token starting at `offset`: a string with its quotes, or up to the next delimiter.
    fn token(text: &str, offset: usize) -> &str {
        let rest = &text[offset..];
        if rest.starts_with('"') {
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            return rest.get(..(i + 1).min(rest.len())).unwrap_or(rest);
        }
        let end = rest
            .find(|c: char| c == ',' || c == '}' || c == ']' || c.is_whitespace())
            .unwrap_or(rest.len());
        &rest[..end]
    }

    /// Whether the value at `spot` could be what `message` complains about.
    fn could_be(message: &str, token: &str) -> bool {
        let Some(first) = token.chars().next() else {
            return false;
        };
        match first {
            '"' => serde_json::from_str::<String>(token).is_ok_and(|s| {
                message.contains(&format!("string {s:?}"))
                    || message.contains(&format!("variant `{s}`"))
            }),
            '{' => message.contains(": map,"),
            '[' => message.contains(": sequence,") || message.contains("invalid length"),
            't' | 'f' => message.contains(&format!("boolean `{token}`")),
            'n' => message.contains(": null,"),
            _ if token.contains(['.', 'e', 'E']) => message.contains("floating point"),
            _ => message.contains(&format!("integer `{token}`")),
        }
    }

    /// `value` without the value at `path`, or `None` if there is no such value.
    fn without(value: &Value, path: &[Seg]) -> Option<Value> {
        let (last, parent) = path.split_last()?;
        let mut copy = value.clone();
        let mut at = &mut copy;
        for seg in parent {
            at = match seg {
                Seg::Key(k) => at.get_mut(k.as_str())?,
                Seg::Index(i) => at.get_mut(*i)?,
            };
        }
        match (last, at) {
            (Seg::Key(k), Value::Object(map)) => {
                map.remove(k.as_str())?;
            }
            (Seg::Index(i), Value::Array(items)) if *i < items.len() => {
                items.remove(*i);
            }
            _ => return None,
        }
        Some(copy)
    }

    /// The message for `err`, a failure to read `text` as a `T`.
    pub(super) fn describe<T: DeserializeOwned>(text: &str, err: &serde_json::Error) -> String {
        let message = err.to_string();
        let spots = spots(text);
        if err.line() > 0 {
            // serde_json knows where: name the value there too.
            let offset = offset_of(text, err.line(), err.column());
            return match spots.iter().rev().find(|s| s.offset <= offset) {
                Some(spot) if !spot.path.is_empty() => {
                    format!("{message} (near {})", show(&spot.path))
                }
                _ => message,
            };
        }
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return message;
        };
        let candidates: Vec<&Spot> = spots
            .iter()
            .filter(|s| !s.path.is_empty() && could_be(&message, token(text, s.offset)))
            .take(MAX_TRIES)
            .collect();
        // When several values are equally wrong, removing one leaves the same error; serde
        // reads in text order, so the first is the one it met.
        let culprit = candidates
            .iter()
            .find(|s| {
                without(&value, &s.path).is_some_and(|v| match serde_json::from_value::<T>(v) {
                    Ok(_) => true,
                    Err(e) => e.to_string() != message,
                })
            })
            .or(candidates.first());
        match culprit {
            Some(spot) => {
                let (line, column) = line_column(text, spot.offset);
                format!(
                    "{}: {message} at line {line} column {column}",
                    show(&spot.path)
                )
            }
            None => message,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn finds_every_value_with_its_path() {
            let text = r#"{"a": 1, "b": {"c": [true, "x", {"d": null}]}, "e": "f,}"}"#;
            let found: Vec<(String, &str)> = spots(text)
                .iter()
                .map(|s| (show(&s.path), token(text, s.offset)))
                .collect();
            let expected = [
                ("the top level", "{\"a\":"),
                ("a", "1"),
                ("b", "{\"c\":"),
                ("b.c", "[true"),
                ("b.c[0]", "true"),
                ("b.c[1]", "\"x\""),
                ("b.c[2]", "{\"d\":"),
                ("b.c[2].d", "null"),
                ("e", "\"f,}\""),
            ];
            let found: Vec<(&str, &str)> = found.iter().map(|(p, t)| (p.as_str(), *t)).collect();
            assert_eq!(found, expected);
            assert_eq!(line_column("ab\ncd", 4), (2, 2));
            assert_eq!(offset_of("ab\ncd", 2, 2), 4);
        }
    }
}
