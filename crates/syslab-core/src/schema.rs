//! Each lab's parameters, declared once as data: key, label, help, unit, kind and range, and
//! how to read and write the value in a scenario.
//!
//! One table per lab drives the URL decoder and encoder (with a [`Notice`] per bad
//! parameter), the settings form in the browser (labels, units, slider ranges, choices), the
//! CLI's `syslab params LAB`, and the README's parameter lists (checked by a test). The generic
//! decoder keeps the rule every lab shares: a bad parameter falls back alone, with a notice
//! that names it, and every other parameter the user gave is kept.

use crate::format::{parse_decimal, trimmed};
use crate::query::{Notice, SHELL_PARAMS};
pub use crate::query::{QUOTE_MAX, quote};

/// What a parameter holds, and the range it accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int {
        /// The smallest value accepted.
        min: u64,
        /// The largest value accepted.
        max: u64,
    },
    /// A decimal in `min..=max` (written with at most 12 decimals and 15 significant digits).
    Num {
        /// The smallest value accepted.
        min: f64,
        /// The largest value accepted.
        max: f64,
    },
    /// On or off (`1`/`0`).
    Flag,
    /// One of a list of ids.
    Choice(&'static [Choice]),
    /// Text with a syntax of its own, described in the help (lists of events, node names).
    Text,
}

/// One option of a [`Kind::Choice`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    /// How the option is written in a link.
    pub id: &'static str,
    /// How a person reads it.
    pub label: &'static str,
}

/// Where a parameter's settings widget goes, so the generic form can group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// In the settings form, as a slider and number box, a checkbox or a menu.
    Form,
    /// Only in links (lists of events, the step count, free text): the lab draws its own
    /// widget, or there is none.
    LinkOnly,
}

/// One parameter of scenario type `S`.
pub struct Param<S> {
    /// The parameter's name in a link (`servers`) and in `data-*` attributes.
    pub key: &'static str,
    /// A short name a person reads ("Servers").
    pub label: &'static str,
    /// One or two sentences for a tooltip and the docs.
    pub help: &'static str,
    /// The unit of the value as written in links ("ms", "requests/s"), or "".
    pub unit: &'static str,
    /// What it holds and the range it accepts.
    pub kind: Kind,
    /// Where the settings form shows it.
    pub show: Show,
    /// Writes a value read from text into the scenario, or says why the text is not one.
    /// The message completes "… is not": `a whole number from 1 to 1000`.
    pub read: fn(&mut S, &str) -> Result<(), String>,
    /// The value in the scenario, as a link writes it.
    pub write: fn(&S) -> String,
}

impl Kind {
    /// What a value of this kind must be, in words ("a whole number from 1 to 1000"): the
    /// listing's text and the readers' refusals are this one sentence.
    pub fn describe(&self) -> String {
        match *self {
            Kind::Int { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Num { min, max } => {
                format!("a number from {} to {}", number(min), number(max))
            }
            Kind::Flag => "1 or 0".to_owned(),
            Kind::Choice(options) => {
                let ids: Vec<&str> = options.iter().map(|o| o.id).collect();
                format!("one of {}", ids.join(", "))
            }
            Kind::Text => "text in the form the help describes".to_owned(),
        }
    }
}

impl<S> Param<S> {
    /// What the parameter accepts, in words ("a whole number from 1 to 1000").
    pub fn accepts(&self) -> String {
        self.kind.describe()
    }

    /// Reads `text` into `scenario` as this parameter; on `Err` the scenario is unchanged.
    pub fn set(&self, scenario: &mut S, text: &str) -> Result<(), String>
    where
        S: Clone,
    {
        let mut next = scenario.clone();
        (self.read)(&mut next, text.trim())?;
        *scenario = next;
        Ok(())
    }
}

/// A number as links write it: at most 12 decimals and 15 significant digits, without
/// trailing zeros, so that [`parse_decimal`] reads back exactly the value written.
pub fn number(value: f64) -> String {
    let int_digits = {
        let mut digits = 0;
        let mut v = value.abs();
        while v >= 1.0 && digits < 20 {
            v /= 10.0;
            digits += 1;
        }
        digits
    };
    let decimals = 15_u32.saturating_sub(int_digits).min(12);
    trimmed(value, decimals)
}

/// Reads a whole number in `min..=max`.
pub fn read_int<T: TryFrom<u64>>(text: &str, min: u64, max: u64) -> Result<T, String> {
    text.parse::<u64>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| Kind::Int { min, max }.describe())
}

/// Reads `START:LENGTH:FACTOR` (a burst or spike: when it starts and how long it lasts, in
/// whole ms up to `max_ms`, and how many times the base rate it brings, 1 to 100). `ms_what`
/// names the ms values in the message ("a whole number of ms").
pub fn read_window_factor(
    text: &str,
    max_ms: u32,
    ms_what: &str,
) -> Result<(u32, u32, f64), String> {
    let what = "START:LENGTH:FACTOR (ms, ms, 1 to 100)";
    let parts: Vec<&str> = text.split(':').collect();
    let [at, len, factor] = parts.as_slice() else {
        return Err(what.to_owned());
    };
    let ms = |t: &str| {
        t.parse::<u32>()
            .ok()
            .filter(|&v| v <= max_ms)
            .ok_or_else(|| format!("{what}: {} is not {ms_what}", quote(t)))
    };
    let factor =
        read_num(factor, 1.0, 100.0).map_err(|e| format!("{what}: the factor is not {e}"))?;
    Ok((ms(at)?, ms(len)?, factor))
}

/// Clamps a scenario's step count to `total`, the steps its run has, with a notice on `step`
/// (`note` says what the total includes, such as " (the final drain included)").
pub fn clamp_steps(steps: &mut u64, total: u64, note: &str, notices: &mut Vec<Notice>) {
    if *steps > total {
        notices.push(Notice::new(
            "step",
            format!("the run has {total} steps{note}; using {total}"),
        ));
        *steps = total;
    }
}

/// Reads a decimal in `min..=max`. Digits beyond what a link keeps (15 significant, 12
/// decimals) are refused rather than silently dropped, so a link always means what it says.
pub fn read_num(text: &str, min: f64, max: f64) -> Result<f64, String> {
    let value = parse_decimal(text)
        .filter(|v| v.is_finite() && (min..=max).contains(v))
        .ok_or_else(|| Kind::Num { min, max }.describe())?;
    // The text must be the value as a link writes it (up to signs and padding zeros):
    // `parse_decimal` ignores digits past the 15th, so comparing values alone would read
    // `1.0000000000000001` as 1, and a reload would show another number than the link.
    let written = number(value);
    if canonical(text) == written && parse_decimal(&written) == Some(value) {
        Ok(value)
    } else {
        Err(format!(
            "a number with at most 15 significant digits and 12 decimals (try {})",
            number(value)
        ))
    }
}

/// A plain decimal without a plus sign, leading or trailing zeros or a bare point, as
/// [`number`] writes it: `+007.50` → `7.5`, `.5` → `0.5`, `-0.0` → `0`.
fn canonical(text: &str) -> String {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut out = String::new();
    if negative && (int != "0" || !frac.is_empty()) {
        out.push('-');
    }
    out.push_str(int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Reads `1`/`true`/`on` or `0`/`false`/`off`.
pub fn read_flag(text: &str) -> Result<bool, String> {
    match text {
        "1" | "true" | "on" => Ok(true),
        "0" | "false" | "off" => Ok(false),
        _ => Err(Kind::Flag.describe()),
    }
}

/// Writes a flag.
pub fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_owned()
}

/// Reads one of `options`' ids with `from_id`.
pub fn read_choice<T>(
    text: &str,
    options: &'static [Choice],
    from_id: impl Fn(&str) -> Option<T>,
) -> Result<T, String> {
    from_id(text).ok_or_else(|| Kind::Choice(options).describe())
}

/// A whole-number parameter stored in a field (`u32`, `u64`, `usize`) of the scenario.
#[macro_export]
macro_rules! int_param {
    ($key:literal, $label:literal, $unit:literal, $min:expr, $max:expr, $help:literal, $($field:ident).+) => {
        $crate::schema::Param {
            key: $key,
            label: $label,
            help: $help,
            unit: $unit,
            kind: $crate::schema::Kind::Int { min: $min, max: $max },
            show: $crate::schema::Show::Form,
            read: |s, t| {
                s.$($field).+ = $crate::schema::read_int(t, $min, $max)?;
                Ok(())
            },
            write: |s| s.$($field).+.to_string(),
        }
    };
}

/// A decimal parameter stored in an `f64` field of the scenario.
#[macro_export]
macro_rules! num_param {
    ($key:literal, $label:literal, $unit:literal, $min:expr, $max:expr, $help:literal, $($field:ident).+) => {
        $crate::schema::Param {
            key: $key,
            label: $label,
            help: $help,
            unit: $unit,
            kind: $crate::schema::Kind::Num { min: $min, max: $max },
            show: $crate::schema::Show::Form,
            read: |s, t| {
                s.$($field).+ = $crate::schema::read_num(t, $min, $max)?;
                Ok(())
            },
            write: |s| $crate::schema::number(s.$($field).+),
        }
    };
}

/// An on/off parameter stored in a `bool` field of the scenario.
#[macro_export]
macro_rules! flag_param {
    ($key:literal, $label:literal, $help:literal, $($field:ident).+) => {
        $crate::schema::Param {
            key: $key,
            label: $label,
            help: $help,
            unit: "",
            kind: $crate::schema::Kind::Flag,
            show: $crate::schema::Show::Form,
            read: |s, t| {
                s.$($field).+ = $crate::schema::read_flag(t)?;
                Ok(())
            },
            write: |s| $crate::schema::flag(s.$($field).+),
        }
    };
}

/// A parameter stored in a field whose type has `from_id`/`id` and a `CHOICES` table.
#[macro_export]
macro_rules! choice_param {
    ($key:literal, $label:literal, $ty:ty, $help:literal, $($field:ident).+) => {
        $crate::schema::Param {
            key: $key,
            label: $label,
            help: $help,
            unit: "",
            kind: $crate::schema::Kind::Choice(<$ty>::CHOICES),
            show: $crate::schema::Show::Form,
            read: |s, t| {
                s.$($field).+ = $crate::schema::read_choice(t, <$ty>::CHOICES, <$ty>::from_id)?;
                Ok(())
            },
            write: |s| s.$($field).+.id().to_owned(),
        }
    };
}

/// How a lab's scenario is checked as a whole and finished after its parameters are read.
pub trait Checked: Clone + Default {
    /// Cross-parameter checks and the work budget: `Err` says what is wrong.
    fn check(&self) -> Result<(), String>;
    /// A targeted repair of a failed check that is better than reverting a parameter (the
    /// ring's replication factor clamped to its node count): returns the notice naming the
    /// parameter it changed, or `None` to let the decoder revert parameters.
    fn adjust(&mut self) -> Option<Notice> {
        None
    }
    /// Last repairs that cannot fail, such as clamping the step count to the run's length;
    /// each one that changes something adds a notice.
    fn settle(&mut self, _notices: &mut Vec<Notice>) {}
}

/// Reads a scenario from decoded query pairs, starting from `base` (a preset or the default).
///
/// Each parameter is read on its own: a bad one is reported and keeps `base`'s value, an
/// unknown one is reported (all unknown keys in one notice); a repeated parameter is read in
/// order and only its last value's problem is reported. If the scenario then fails its
/// cross-parameter check, parameters the user gave go back to `base`'s value one at a time,
/// latest in the schema first (dependent parameters are declared after what they depend on),
/// choosing the first whose reversal alone makes the scenario valid; each reversal names its
/// parameter. Parameters in `skip` belong to the lab's page, not its scenario.
pub fn decode<S: Checked>(
    schema: &[Param<S>],
    pairs: &[(String, String)],
    base: S,
    skip: &[&str],
) -> (S, Vec<Notice>) {
    let mut notices = Vec::new();
    let mut scenario = base.clone();
    let mut given = vec![false; schema.len()];
    let mut unknown: Vec<&str> = Vec::new();
    for (key, value) in pairs {
        let key = key.as_str();
        if key == "preset" || SHELL_PARAMS.contains(&key) || skip.contains(&key) {
            continue;
        }
        match schema.iter().position(|p| p.key == key) {
            // A repeated parameter's last value is the one that counts, and the only one
            // reported: a thousand copies of a bad pair make one notice.
            Some(i) => match schema[i].set(&mut scenario, value) {
                Ok(()) => {
                    notices.retain(|n: &Notice| n.param != key);
                    given[i] = true;
                }
                Err(what) => {
                    notices.retain(|n| n.param != key);
                    notices.push(Notice::new(
                        key,
                        format!("{} is not {what}; using the default", quote(value.trim())),
                    ));
                }
            },
            None => {
                if !unknown.contains(&key) {
                    unknown.push(key);
                }
            }
        }
    }
    if !unknown.is_empty() {
        let shown: Vec<String> = unknown.iter().take(5).map(|k| quote(k)).collect();
        let more = unknown.len().saturating_sub(5);
        let message = if more > 0 {
            format!(
                "{} and {more} more are not parameters of this lab; ignored",
                shown.join(", ")
            )
        } else if unknown.len() == 1 {
            "is not a parameter of this lab; ignored".to_owned()
        } else {
            format!(
                "{} are not parameters of this lab; ignored",
                shown.join(", ")
            )
        };
        let param = if unknown.len() == 1 {
            unknown[0].chars().take(QUOTE_MAX).collect::<String>()
        } else {
            "parameters".to_owned()
        };
        notices.push(Notice::new(&param, message));
    }
    repair(schema, &mut scenario, &base, &mut given, &mut notices);
    scenario.settle(&mut notices);
    (scenario, notices)
}

/// Reverts given parameters to `base`'s values until the scenario passes its check.
fn repair<S: Checked>(
    schema: &[Param<S>],
    scenario: &mut S,
    base: &S,
    given: &mut [bool],
    notices: &mut Vec<Notice>,
) {
    let revert = |s: &mut S, i: usize| {
        // Reading back what the schema wrote cannot fail for a valid base; if it did, the
        // parameter keeps its value and the final fallback below still makes `s` valid.
        let _ = schema[i].set(s, &(schema[i].write)(base));
    };
    while let Err(problem) = scenario.check() {
        let mut adjusted = scenario.clone();
        if let Some(notice) = adjusted.adjust() {
            notices.push(notice);
            *scenario = adjusted;
            continue;
        }
        let order = (0..schema.len()).rev().filter(|&i| given[i]);
        let single = order.clone().find(|&i| {
            let mut trial = scenario.clone();
            revert(&mut trial, i);
            trial.check().is_ok()
        });
        // No single reversal is enough: revert the latest given parameter and look again.
        let Some(i) = single.or_else(|| order.clone().next()) else {
            notices.push(Notice::new(
                "preset",
                format!("{problem}; using the default scenario"),
            ));
            *scenario = base.clone();
            if scenario.check().is_err() {
                *scenario = S::default();
            }
            return;
        };
        notices.push(Notice::new(
            schema[i].key,
            format!("{problem}; using the default"),
        ));
        revert(scenario, i);
        given[i] = false;
    }
}

/// The query pairs for a scenario, in schema order; parameters equal to their value in
/// `default` are left out.
pub fn encode<S>(schema: &[Param<S>], scenario: &S, default: &S) -> Vec<(String, String)> {
    schema
        .iter()
        .filter_map(|p| {
            let value = (p.write)(scenario);
            (value != (p.write)(default)).then(|| (p.key.to_owned(), value))
        })
        .collect()
}

/// Reads a comma-separated list (empty items skipped) of at most `max` items called
/// `plural`, each by `read` (given its 0-based place and its text, and returning the whole
/// message for a bad one): the list parameters of the labs (`ev`, `fault`, `cut`).
pub fn read_list<T>(
    text: &str,
    max: usize,
    plural: &str,
    read: impl Fn(usize, &str) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let items: Vec<&str> = text.split(',').filter(|s| !s.trim().is_empty()).collect();
    if items.len() > max {
        return Err(format!(
            "a list of at most {max} {plural} (it has {})",
            items.len()
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read(i, item.trim()))
        .collect()
}

/// The message for a bad item of a list: "a list of FORMAT (NOUN N, "ITEM": why)".
pub fn list_item_error(format: &str, noun: &str, i: usize, item: &str, why: &str) -> String {
    format!(
        "a list of {format} ({noun} {}, {}: {why})",
        i + 1,
        quote(item)
    )
}

/// Checks that a list's items are in time order by `at_ms`, naming the first out of order.
pub fn in_time_order<T>(
    items: &[T],
    plural: &str,
    noun: &str,
    at_ms: impl Fn(&T) -> u64,
) -> Result<(), String> {
    match items.windows(2).position(|w| at_ms(&w[1]) < at_ms(&w[0])) {
        None => Ok(()),
        Some(i) => Err(format!(
            "a list of {plural} in time order ({noun} {} at {} ms comes after one at {} ms)",
            i + 2,
            at_ms(&items[i + 1]),
            at_ms(&items[i])
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Toy {
        dur: u32,
        at: u32,
        rate: f64,
        on: bool,
    }

    impl Checked for Toy {
        fn check(&self) -> Result<(), String> {
            if self.at > self.dur {
                Err(format!("an event at {} ms is after the run's end", self.at))
            } else {
                Ok(())
            }
        }
    }

    const TOY: &[Param<Toy>] = &[
        crate::int_param!("dur", "Duration", "ms", 0, 100, "How long.", dur),
        crate::num_param!("rate", "Rate", "1/s", 0.0, 1e7, "How fast.", rate),
        crate::flag_param!("on", "On", "Whether.", on),
        crate::int_param!("at", "At", "ms", 0, 100, "When.", at),
    ];

    fn pairs(q: &str) -> Vec<(String, String)> {
        crate::query::parse_query(q)
    }

    #[test]
    fn a_bad_value_falls_back_alone() {
        let (s, notices) = decode(
            TOY,
            &pairs("dur=50&rate=abc&on=1&at=7"),
            Toy::default(),
            &[],
        );
        assert_eq!(
            s,
            Toy {
                dur: 50,
                at: 7,
                rate: 0.0,
                on: true
            }
        );
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "rate");
    }

    #[test]
    fn a_failed_check_reverts_the_dependent_parameter_only() {
        let (s, notices) = decode(TOY, &pairs("on=1&at=60&dur=50"), Toy::default(), &[]);
        assert_eq!((s.dur, s.at, s.on), (50, 0, true));
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "at");
    }

    #[test]
    fn unknown_parameters_make_one_notice() {
        let many: String = (0..1000).map(|i| format!("x{i}=1&")).collect();
        let (_, notices) = decode(TOY, &pairs(&many), Toy::default(), &[]);
        assert_eq!(notices.len(), 1);
        assert!(notices[0].message.contains("995 more"), "{}", notices[0]);
        let (_, notices) = decode(TOY, &pairs("bench=1&nope=2"), Toy::default(), &[]);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "nope");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "9".repeat(2_000_000);
        let (_, notices) = decode(TOY, &[("dur".into(), long)], Toy::default(), &[]);
        assert!(
            notices[0].message.len() < 200,
            "{}",
            notices[0].message.len()
        );
    }

    #[test]
    fn readers_refuse_what_is_out_of_range() {
        assert_eq!(read_int::<u32>("12", 1, 100), Ok(12));
        assert!(read_int::<u32>("0", 1, 100).is_err());
        assert!(read_int::<u32>("-3", 0, 100).is_err());
        assert!(read_int::<u32>("1e3", 0, 10_000).is_err());
        assert_eq!(read_num("2.5", 0.0, 3.0), Ok(2.5));
        assert!(read_num("NaN", 0.0, 3.0).is_err());
        assert!(read_num("inf", 0.0, f64::MAX).is_err());
        assert!(read_num("4", 0.0, 3.0).is_err());
        assert_eq!(read_flag("on"), Ok(true));
        assert_eq!(read_flag("0"), Ok(false));
        assert!(read_flag("yes please").is_err());
        // The refusals say what is accepted, in the listing's words.
        assert_eq!(
            read_int::<u32>("0", 1, 100),
            Err("a whole number from 1 to 100".to_owned())
        );
        assert_eq!(read_flag("x"), Err("1 or 0".to_owned()));
    }

    #[test]
    fn numbers_round_trip_exactly() {
        for v in [
            10_000.5,
            97_424.694949,
            8_996.548163,
            0.1,
            1e-12,
            123_456_789.125,
            0.0,
        ] {
            let text = number(v);
            assert_eq!(parse_decimal(&text), Some(v), "{v} written as {text}");
            assert_eq!(read_num(&text, 0.0, 1e9), Ok(v));
        }
        assert_eq!(number(10_000.5), "10000.5");
        assert!(read_num("0.1234567890123456", 0.0, 1.0).is_err());
        // Digits past the 15th significant one or the 12th decimal are refused, not dropped.
        assert!(read_num("1.0000000000000001", 0.0, 2.0).is_err());
        assert!(read_num("0.0000000000001", 0.0, 1.0).is_err());
        assert!(read_num("1234567890123456", 0.0, 1e16).is_err());
        // Padding is not a digit: these mean exactly what they say.
        for (text, v) in [("+007.50", 7.5), (".5", 0.5), ("5.", 5.0), ("-0.0", 0.0)] {
            assert_eq!(read_num(text, -1.0, 10.0), Ok(v), "{text}");
        }
        assert!(read_num("1e3", 0.0, 1e9).is_err());
        assert!(read_num("NaN", 0.0, 1e9).is_err());
    }

    #[test]
    fn encoding_leaves_out_defaults_and_round_trips() {
        let s = Toy {
            dur: 40,
            at: 3,
            rate: 2.5,
            on: false,
        };
        let out = encode(TOY, &s, &Toy::default());
        assert_eq!(
            crate::query::encode_query(&out),
            "dur=40&rate=2.5&at=3".to_owned()
        );
        let (back, notices) = decode(TOY, &out, Toy::default(), &[]);
        assert_eq!(back, s);
        assert!(notices.is_empty());
    }
}
