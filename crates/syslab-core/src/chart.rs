//! One chart model for every lab: axes with nice ticks and units, series in data units and in
//! view units, a legend of toggleable groups, reference lines, annotations, the hover read-out
//! and the CSV export. The browser's chart component only draws a [`ChartView`] and asks it for
//! read-outs; every number it shows is computed here, so the CLI and tests see the same text.
//!
//! Geometry is integers in a fixed [`VIEW_WIDTH`] × [`VIEW_HEIGHT`] box: the plot area is
//! [`PLOT_LEFT`]..[`PLOT_RIGHT`] × [`PLOT_TOP`]..[`PLOT_BOTTOM`], with room for tick labels
//! around it (y grows downwards, as in SVG).

use std::fmt::Write as _;

use crate::format::{thousands, trimmed};

/// Width of a chart's view box.
pub const VIEW_WIDTH: i32 = 640;
/// Height of a chart's view box.
pub const VIEW_HEIGHT: i32 = 220;
/// Left edge of the plot area (room for the y tick labels).
pub const PLOT_LEFT: i32 = 52;
/// Right edge of the plot area.
pub const PLOT_RIGHT: i32 = 628;
/// Top edge of the plot area.
pub const PLOT_TOP: i32 = 10;
/// Bottom edge of the plot area (room for the x tick labels and the axis title below).
pub const PLOT_BOTTOM: i32 = 178;
/// Tick labels wanted on an axis, at most.
const TARGET_TICKS: f64 = 5.0;

/// What an axis' numbers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A fraction shown as a percentage (0.25 → "25%").
    Percent,
    /// Seconds; a span under two seconds is labelled in milliseconds.
    Seconds,
    /// Milliseconds.
    Millis,
    /// Events per second.
    PerSecond,
    /// A count (requests, keys, operations).
    Count,
}

/// How an axis maps values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced values.
    Linear,
    /// Logarithmic (every value must be positive).
    Log,
}

/// One labelled tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position along the axis in view units (x for the x axis, y for the y axis).
    pub at: i32,
    /// The value.
    pub value: f64,
    /// The label, e.g. "20%", "1.5", "1,000".
    pub text: String,
}

/// One axis: its range, scale, unit and ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The title with its unit, e.g. "time (s)", "latency (ms)".
    pub title: String,
    /// What the values are.
    pub unit: Unit,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// The smallest value drawn.
    pub min: f64,
    /// The largest value drawn.
    pub max: f64,
    /// Labelled ticks, in increasing value.
    pub ticks: Vec<Tick>,
    /// The distance between linear ticks (for read-out precision).
    step: f64,
    /// Whether a seconds axis is written in milliseconds.
    in_ms: bool,
    /// Whether this is the vertical axis (positions grow downwards).
    vertical: bool,
}

/// How a series' line is drawn, besides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// A plain line.
    Solid,
    /// Long dashes.
    Dashed,
    /// Dots.
    Dotted,
}

/// One line on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSeries {
    /// Its name in the read-out and the CSV, e.g. "LRU" or "round robin p99".
    pub label: String,
    /// The legend entry that shows, hides and colours it.
    pub group: usize,
    /// Its dash pattern.
    pub dash: Dash,
    /// (x, y) in data units, x increasing.
    pub points: Vec<(f64, f64)>,
    /// The SVG path ("M x y L x y …") in view units.
    pub path: String,
}

/// One legend entry: a group of series that toggles together.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// A stable id (an algorithm or policy id), for tests and styling.
    pub id: String,
    /// The name shown.
    pub label: String,
    /// A figure shown after the name, e.g. the run's hit ratio.
    pub value: Option<String>,
    /// Index into the chart palette.
    pub color: usize,
    /// Whether this is the lab's shown choice (drawn thicker).
    pub emphasis: bool,
}

/// Which way a reference line runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orient {
    /// A constant y.
    Horizontal,
    /// A constant x.
    Vertical,
}

/// A dashed reference line with a label (a limit, a configured size, an expected figure).
#[derive(Clone, Debug, PartialEq)]
pub struct RefLine {
    /// Horizontal (a y value) or vertical (an x value).
    pub orient: Orient,
    /// The value in data units.
    pub value: f64,
    /// Its position in view units (y or x).
    pub at: i32,
    /// The label, e.g. "limit 10/s".
    pub label: String,
}

/// An event (a labelled vertical line) or a time window (shaded) on the x axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// Start, in view units.
    pub x0: i32,
    /// End, in view units; equal to `x0` for an event.
    pub x1: i32,
    /// What happened, e.g. "server 3 down".
    pub label: String,
}

/// A chart the browser draws as it is.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartView {
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The lines, drawn in order (the emphasised group last reads best on top).
    pub series: Vec<ChartSeries>,
    /// One entry per group.
    pub legend: Vec<LegendEntry>,
    /// Reference lines.
    pub refs: Vec<RefLine>,
    /// Events and windows.
    pub notes: Vec<Annotation>,
    /// The current time's x in view units, while a run is under way.
    pub now: Option<i32>,
    /// Names of integer x values (x = 1 is `x_names[0]`), for the read-out: the ring's changes.
    pub x_names: Vec<String>,
}

/// One row of a read-out.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadoutRow {
    /// The series' group (for its colour).
    pub group: usize,
    /// The series' label.
    pub label: String,
    /// Its value at the cursor, with the unit, e.g. "12.5 ms".
    pub value: String,
}

/// What the chart says at the cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    /// The cursor's x in view units, snapped to a data point.
    pub at: i32,
    /// The x value, e.g. "t = 1.25 s".
    pub x_text: String,
    /// One row per visible series.
    pub rows: Vec<ReadoutRow>,
}

/// What a lab says about one axis; [`ChartView::new`] picks the range and ticks.
#[derive(Clone, Debug)]
pub struct AxisSpec {
    /// The title without its unit, e.g. "time", "hit ratio".
    pub title: &'static str,
    /// What the values are.
    pub unit: Unit,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// A fixed range; `None` fits the data (y from zero).
    pub range: Option<(f64, f64)>,
    /// A value a fitted axis reaches even if the data does not (a reference line's).
    pub reach: Option<f64>,
}

impl AxisSpec {
    /// A linear axis fitted to the data.
    pub fn new(title: &'static str, unit: Unit) -> Self {
        AxisSpec {
            title,
            unit,
            scale: Scale::Linear,
            range: None,
            reach: None,
        }
    }

    /// A fitted axis that reaches at least `value`.
    pub fn reaching(mut self, value: f64) -> Self {
        self.reach = Some(value);
        self
    }

    /// With a fixed range.
    pub fn range(mut self, lo: f64, hi: f64) -> Self {
        self.range = Some((lo, hi));
        self
    }

    /// Logarithmic.
    pub fn log(mut self) -> Self {
        self.scale = Scale::Log;
        self
    }
}

/// The power of ten at or below a positive finite `value` (1e-300 to 1e300), by repeated
/// multiplication: `pow` and `log10` would add their code to every bundle for one number.
fn decade(value: f64) -> f64 {
    let mut m = 1.0;
    while m * 10.0 <= value && m < 1e300 {
        m *= 10.0;
    }
    while m > value && m > 1e-300 {
        m /= 10.0;
    }
    m
}

/// The nice step (1, 2 or 5 × 10^k) nearest above `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = decade(raw);
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 + 1e-9 {
        1.0
    } else if fraction <= 2.0 + 1e-9 {
        2.0
    } else if fraction <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Decimals needed to write multiples of `step` exactly (at most 6).
fn decimals_for(step: f64) -> u32 {
    let mut decimals = 0;
    let mut scaled = step;
    while decimals < 6 && scaled.is_finite() && scaled > 0.0 && scaled < 1.0 - 1e-9 {
        scaled *= 10.0;
        decimals += 1;
    }
    decimals
}

impl Axis {
    fn build(spec: &AxisSpec, data: (f64, f64), vertical: bool, zero: bool) -> Axis {
        let (mut lo, mut hi) = spec.range.unwrap_or(data);
        if let Some(v) = spec.reach.filter(|v| v.is_finite() && spec.range.is_none()) {
            (lo, hi) = (lo.min(v), hi.max(v));
        }
        if !(lo.is_finite() && hi.is_finite()) {
            (lo, hi) = (0.0, 1.0);
        }
        if spec.range.is_none() && zero && spec.scale == Scale::Linear {
            lo = lo.min(0.0);
        }
        if spec.scale == Scale::Log {
            lo = lo.max(1e-9);
            hi = hi.max(lo);
        }
        if hi <= lo {
            hi = if spec.scale == Scale::Log {
                lo * 10.0
            } else if lo == 0.0 {
                1.0
            } else {
                lo + lo.abs()
            };
        }
        let step = nice_step((hi - lo) / TARGET_TICKS);
        // A fitted linear axis ends on a tick, so its top label names the top of the plot.
        if spec.range.is_none() && spec.scale == Scale::Linear {
            hi = libm::ceil(hi / step - 1e-9) * step;
            if !zero {
                lo = libm::floor(lo / step + 1e-9) * step;
            }
        }
        let in_ms = spec.unit == Unit::Seconds && hi - lo < 2.0;
        let unit_name = match spec.unit {
            Unit::Percent => "%",
            Unit::Seconds if in_ms => "ms",
            Unit::Seconds => "s",
            Unit::Millis => "ms",
            Unit::PerSecond => "/s",
            Unit::Count => "",
        };
        let title = if unit_name.is_empty() {
            spec.title.to_owned()
        } else {
            format!("{} ({unit_name})", spec.title)
        };
        let mut axis = Axis {
            title,
            unit: spec.unit,
            scale: spec.scale,
            min: lo,
            max: hi,
            ticks: Vec::new(),
            step,
            in_ms,
            vertical,
        };
        axis.ticks = axis
            .tick_values()
            .into_iter()
            .map(|v| axis.tick(v))
            .collect();
        axis
    }

    fn tick(&self, value: f64) -> Tick {
        Tick {
            at: self.to_view(value),
            value,
            text: self.format(value, self.step),
        }
    }

    /// Tick values: multiples of the nice step, or 1, 2 and 5 × 10^k on a log axis.
    fn tick_values(&self) -> Vec<f64> {
        let mut out = Vec::new();
        match self.scale {
            Scale::Linear => {
                let first = libm::ceil(self.min / self.step - 1e-9);
                let mut i = 0.0;
                while out.len() < 50 {
                    let v = (first + i) * self.step;
                    if v > self.max + self.step * 1e-9 {
                        break;
                    }
                    out.push(v);
                    i += 1.0;
                }
            }
            Scale::Log => {
                let mut power = decade(self.min);
                while power <= self.max && out.len() < 50 {
                    for m in [1.0, 2.0, 5.0] {
                        let v = power * m;
                        if v >= self.min * (1.0 - 1e-9) && v <= self.max * (1.0 + 1e-9) {
                            out.push(v);
                        }
                    }
                    power *= 10.0;
                }
                // Many decades: keep the powers of ten only.
                if out.len() > 7 {
                    out.retain(|v| (decade(*v * (1.0 + 1e-9)) - *v).abs() <= *v * 1e-6);
                }
            }
        }
        out
    }

    /// Where `value` falls along the axis, 0 to 1 (unclamped).
    pub fn fraction(&self, value: f64) -> f64 {
        match self.scale {
            Scale::Linear => (value - self.min) / (self.max - self.min),
            Scale::Log => {
                let lo = libm::log(self.min);
                (libm::log(value.max(1e-12)) - lo) / (libm::log(self.max) - lo)
            }
        }
    }

    /// `value`'s position in view units.
    pub fn to_view(&self, value: f64) -> i32 {
        let f = self.fraction(value);
        let f = if f.is_finite() {
            f.clamp(-0.05, 1.05)
        } else {
            0.0
        };
        if self.vertical {
            PLOT_BOTTOM - libm::round(f * f64::from(PLOT_BOTTOM - PLOT_TOP)) as i32
        } else {
            PLOT_LEFT + libm::round(f * f64::from(PLOT_RIGHT - PLOT_LEFT)) as i32
        }
    }

    /// The value at view position `at` (the inverse of [`Axis::to_view`]).
    pub fn from_view(&self, at: i32) -> f64 {
        let f = if self.vertical {
            f64::from(PLOT_BOTTOM - at) / f64::from(PLOT_BOTTOM - PLOT_TOP)
        } else {
            f64::from(at - PLOT_LEFT) / f64::from(PLOT_RIGHT - PLOT_LEFT)
        };
        match self.scale {
            Scale::Linear => self.min + f * (self.max - self.min),
            Scale::Log => {
                let lo = libm::log(self.min);
                libm::exp(lo + f * (libm::log(self.max) - lo))
            }
        }
    }

    /// `value` written to the precision of `step`, without the unit except for percentages.
    fn format(&self, value: f64, step: f64) -> String {
        match self.unit {
            Unit::Percent => {
                let mut s = trimmed(value * 100.0, decimals_for(step * 100.0));
                s.push('%');
                s
            }
            Unit::Seconds if self.in_ms => trimmed(value * 1000.0, decimals_for(step * 1000.0)),
            Unit::Count if self.scale == Scale::Log || value >= 1000.0 => {
                if value >= 0.0 && (value - libm::round(value)).abs() < 1e-9 {
                    thousands(libm::round(value) as u64)
                } else {
                    trimmed(value, 2)
                }
            }
            _ => trimmed(value, decimals_for(step)),
        }
    }

    /// `value` for a read-out: two more digits than the ticks, with the unit.
    pub fn format_value(&self, value: f64) -> String {
        if !value.is_finite() {
            return "–".to_owned();
        }
        let step = if self.scale == Scale::Log {
            1.0
        } else {
            self.step / 100.0
        };
        let text = self.format(value, step);
        match self.unit {
            Unit::Percent | Unit::Count => text,
            Unit::Seconds if self.in_ms => format!("{text} ms"),
            Unit::Seconds => format!("{text} s"),
            Unit::Millis => format!("{text} ms"),
            Unit::PerSecond => format!("{text}/s"),
        }
    }
}

/// Quotes a CSV field when it needs it.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A series as a lab hands it over, before placement.
#[derive(Clone, Debug)]
pub struct SeriesSpec {
    /// Its name in the read-out and the CSV.
    pub label: String,
    /// Its legend entry.
    pub group: usize,
    /// Its dash pattern.
    pub dash: Dash,
    /// (x, y) in data units, x increasing.
    pub points: Vec<(f64, f64)>,
}

impl ChartView {
    /// Places `series` on axes fitted to them (or to the specs' fixed ranges).
    pub fn new(
        x: AxisSpec,
        y: AxisSpec,
        legend: Vec<LegendEntry>,
        series: Vec<SeriesSpec>,
    ) -> ChartView {
        let bounds = |pick: fn(&(f64, f64)) -> f64| {
            series
                .iter()
                .flat_map(|s| s.points.iter().map(pick))
                .filter(|v| v.is_finite())
                .fold(None, |acc: Option<(f64, f64)>, v| {
                    Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
                })
                .unwrap_or((0.0, 1.0))
        };
        let x = Axis::build(&x, bounds(|p| p.0), false, false);
        let y = Axis::build(&y, bounds(|p| p.1), true, true);
        let series = series
            .into_iter()
            .map(|s| {
                let mut path = String::new();
                for (i, &(px, py)) in s.points.iter().enumerate() {
                    if !(px.is_finite() && py.is_finite()) {
                        continue;
                    }
                    let cmd = if i == 0 || path.is_empty() { 'M' } else { 'L' };
                    let _ = write!(path, "{cmd}{} {}", x.to_view(px), y.to_view(py));
                }
                ChartSeries {
                    label: s.label,
                    group: s.group,
                    dash: s.dash,
                    points: s.points,
                    path,
                }
            })
            .collect();
        ChartView {
            x,
            y,
            series,
            legend,
            refs: Vec::new(),
            notes: Vec::new(),
            now: None,
            x_names: Vec::new(),
        }
    }

    /// Adds a dashed reference line at `value` (a y value if horizontal, else an x value).
    pub fn with_ref(mut self, orient: Orient, value: f64, label: String) -> Self {
        let at = match orient {
            Orient::Horizontal => self.y.to_view(value),
            Orient::Vertical => self.x.to_view(value),
        };
        self.refs.push(RefLine {
            orient,
            value,
            at,
            label,
        });
        self
    }

    /// Adds an event at x = `from` (`to` = `None`) or a shaded window from `from` to `to`.
    pub fn with_note(mut self, from: f64, to: Option<f64>, label: String) -> Self {
        let x0 = self.x.to_view(from);
        let x1 = to.map_or(x0, |t| self.x.to_view(t).max(x0));
        self.notes.push(Annotation { x0, x1, label });
        self
    }

    /// Marks the current time.
    pub fn with_now(mut self, x: f64) -> Self {
        // `max`/`min` rather than `clamp`: clamp's panic message on unordered bounds would
        // link float printing into every wasm bundle (about 20 KB gzipped).
        self.now = Some(self.x.to_view(x.max(self.x.min).min(self.x.max)));
        self
    }

    /// Names integer x values for the read-out.
    pub fn with_x_names(mut self, names: Vec<String>) -> Self {
        self.x_names = names;
        self
    }

    fn visible<'a>(&'a self, hidden: &'a [bool]) -> impl Iterator<Item = &'a ChartSeries> + 'a {
        self.series
            .iter()
            .filter(move |s| !hidden.get(s.group).copied().unwrap_or(false))
    }

    /// The x positions (view units) of every visible point, sorted and distinct.
    fn stops(&self, hidden: &[bool]) -> Vec<i32> {
        let mut out: Vec<i32> = self
            .visible(hidden)
            .flat_map(|s| s.points.iter().map(|p| self.x.to_view(p.0)))
            .collect();
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }

    /// The read-out at view x `at` (snapped to the nearest point of a visible series), with one
    /// row per visible series: its value at the point nearest that x. `hidden[g]` hides group g.
    /// `None` when nothing visible has a point.
    pub fn readout(&self, at: i32, hidden: &[bool]) -> Option<Readout> {
        let stops = self.stops(hidden);
        let snapped = *stops.iter().min_by_key(|s| (*s - at).abs())?;
        let x_value = self.x.from_view(snapped);
        let mut rows: Vec<ReadoutRow> = self
            .visible(hidden)
            .filter_map(|s| {
                let p = s.points.iter().min_by(|a, b| {
                    (a.0 - x_value)
                        .abs()
                        .partial_cmp(&(b.0 - x_value).abs())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })?;
                Some(ReadoutRow {
                    group: s.group,
                    label: s.label.clone(),
                    value: self.y.format_value(p.1),
                })
            })
            .collect();
        // In legend order (the lab's shown choice first), whatever the drawing order.
        crate::sort::sort_vec_by_key(&mut rows, |r| r.group);
        // The x value itself: the nearest point's exact x of the first visible series.
        let exact = self
            .visible(hidden)
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .min_by(|a, b| {
                (a - x_value)
                    .abs()
                    .partial_cmp(&(b - x_value).abs())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .unwrap_or(x_value);
        let name = (exact >= 1.0 && (exact - libm::round(exact)).abs() < 1e-9)
            .then(|| self.x_names.get(libm::round(exact) as usize - 1))
            .flatten();
        let x_text = match name {
            Some(name) => name.clone(),
            None => format!(
                "{} = {}",
                self.x.title.split(" (").next().unwrap_or(""),
                self.x.format_value(exact)
            ),
        };
        Some(Readout {
            at: snapped,
            x_text,
            rows,
        })
    }

    /// The cursor's next position from `at` (`None`: none yet) one point to the right
    /// (`forward`) or left, among visible series; stays put at either end.
    pub fn step_cursor(&self, at: Option<i32>, forward: bool, hidden: &[bool]) -> Option<i32> {
        let stops = self.stops(hidden);
        match at {
            None if forward => stops.first().copied(),
            None => stops.last().copied(),
            Some(at) if forward => stops.iter().copied().find(|s| *s > at).or(Some(at)),
            Some(at) => stops.iter().rev().copied().find(|s| *s < at).or(Some(at)),
        }
    }

    /// Every series' points as CSV: `series,x,y` with the axes' titles, one row per point.
    pub fn csv(&self) -> String {
        let mut out = format!(
            "series,{},{}\n",
            csv_field(&self.x.title),
            csv_field(&self.y.title)
        );
        for s in &self.series {
            let label = csv_field(&s.label);
            for &(x, y) in &s.points {
                let _ = writeln!(out, "{label},{},{}", trimmed(x, 9), trimmed(y, 9));
            }
        }
        out
    }

    /// A one-line description for screen readers: what is drawn against what.
    pub fn summary(&self) -> String {
        format!(
            "{} against {}: {}",
            self.y.title,
            self.x.title,
            self.legend
                .iter()
                .map(|l| l.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> LegendEntry {
        LegendEntry {
            id: id.to_owned(),
            label: id.to_owned(),
            value: None,
            color: 0,
            emphasis: false,
        }
    }

    fn series(label: &str, group: usize, points: &[(f64, f64)]) -> SeriesSpec {
        SeriesSpec {
            label: label.to_owned(),
            group,
            dash: Dash::Solid,
            points: points.to_vec(),
        }
    }

    #[track_caller]
    fn check_step(raw: f64, expected: f64) {
        assert!((nice_step(raw) - expected).abs() < expected * 1e-9, "{raw}");
    }

    #[test]
    fn steps_are_one_two_five() {
        check_step(0.13, 0.2);
        check_step(1.0, 1.0);
        check_step(2.4, 5.0);
        check_step(7.0, 10.0);
        check_step(180.0, 200.0);
        check_step(0.0004, 0.0005);
        check_step(-1.0, 1.0);
        check_step(f64::NAN, 1.0);
    }

    #[test]
    fn fitted_axes_end_on_ticks_with_units() {
        let chart = ChartView::new(
            AxisSpec::new("time", Unit::Seconds),
            AxisSpec::new("latency", Unit::Millis),
            vec![entry("a")],
            vec![series("a", 0, &[(0.0, 3.0), (10.0, 87.0)])],
        );
        assert_eq!(chart.x.title, "time (s)");
        assert_eq!(chart.y.title, "latency (ms)");
        let y: Vec<&str> = chart.y.ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(y, ["0", "20", "40", "60", "80", "100"]);
        let x: Vec<&str> = chart.x.ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(x, ["0", "2", "4", "6", "8", "10"]);
        assert_eq!(chart.x.ticks[0].at, PLOT_LEFT);
        assert_eq!(chart.x.ticks[5].at, PLOT_RIGHT);
        assert_eq!(chart.y.ticks[5].at, PLOT_TOP);
        assert_eq!(chart.series[0].path, "M52 173L628 32");
    }

    #[test]
    fn short_time_axes_are_in_milliseconds_and_percent_has_a_sign() {
        let chart = ChartView::new(
            AxisSpec::new("time", Unit::Seconds),
            AxisSpec::new("hit ratio", Unit::Percent).range(0.0, 1.0),
            vec![entry("a")],
            vec![series("a", 0, &[(0.0, 0.1), (0.5, 0.389)])],
        );
        assert_eq!(chart.x.title, "time (ms)");
        assert_eq!(chart.x.ticks.last().map(|t| t.text.as_str()), Some("500"));
        assert_eq!(chart.y.ticks[1].text, "20%");
        let r = chart.readout(PLOT_RIGHT, &[]).unwrap();
        assert_eq!(r.x_text, "time = 500 ms");
        assert_eq!(r.rows[0].value, "38.9%");
    }

    #[test]
    fn log_axes_tick_on_one_two_five() {
        let chart = ChartView::new(
            AxisSpec::new("cache size", Unit::Count).log(),
            AxisSpec::new("hit ratio", Unit::Percent).range(0.0, 1.0),
            vec![entry("a")],
            vec![series("a", 0, &[(10.0, 0.1), (1000.0, 0.5)])],
        );
        let x: Vec<&str> = chart.x.ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(x, ["10", "20", "50", "100", "200", "500", "1,000"]);
        assert_eq!(chart.x.to_view(100.0), (PLOT_LEFT + PLOT_RIGHT) / 2);
    }

    #[test]
    fn readout_hides_series_and_steps_between_points() {
        let chart = ChartView::new(
            AxisSpec::new("change", Unit::Count),
            AxisSpec::new("keys moved", Unit::Percent),
            vec![entry("moved"), entry("ideal")],
            vec![
                series("moved", 0, &[(1.0, 0.1), (2.0, 0.2), (3.0, 0.25)]),
                series("ideal", 1, &[(1.0, 0.1), (2.0, 0.1), (3.0, 0.1)]),
            ],
        )
        .with_x_names(vec!["add A".into(), "remove B".into(), "move C".into()]);
        let mid = chart.x.to_view(2.0);
        let r = chart.readout(mid + 3, &[]).unwrap();
        assert_eq!(r.at, mid);
        assert_eq!(r.x_text, "remove B");
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].value, "20%");
        let r = chart.readout(mid, &[true, false]).unwrap();
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].label, "ideal");
        assert_eq!(chart.readout(mid, &[true, true]), None);
        let first = chart.step_cursor(None, true, &[]);
        assert_eq!(first, Some(chart.x.to_view(1.0)));
        assert_eq!(chart.step_cursor(first, true, &[]), Some(mid));
        assert_eq!(chart.step_cursor(first, false, &[]), first);
        assert_eq!(chart.step_cursor(None, false, &[]), Some(PLOT_RIGHT));
    }

    #[test]
    fn csv_has_a_row_per_point_and_quotes_labels() {
        let chart = ChartView::new(
            AxisSpec::new("time", Unit::Seconds),
            AxisSpec::new("rate", Unit::PerSecond),
            vec![entry("a")],
            vec![
                series("a, b", 0, &[(0.0, 1.0), (1.5, 2.25)]),
                series("c", 0, &[(0.0, 4.0)]),
            ],
        );
        assert_eq!(
            chart.csv(),
            "series,time (ms),rate (/s)\n\"a, b\",0,1\n\"a, b\",1.5,2.25\nc,0,4\n"
        );
    }

    #[test]
    fn refs_and_notes_are_placed_on_the_axes() {
        let chart = ChartView::new(
            AxisSpec::new("time", Unit::Seconds).range(0.0, 10.0),
            AxisSpec::new("rate", Unit::PerSecond),
            vec![entry("a")],
            vec![series("a", 0, &[(0.0, 0.0), (10.0, 20.0)])],
        )
        .with_ref(Orient::Horizontal, 10.0, "limit 10/s".into())
        .with_note(5.0, None, "server 3 down".into())
        .with_note(2.0, Some(4.0), "database down".into())
        .with_now(20.0);
        assert_eq!(chart.refs[0].at, (PLOT_TOP + PLOT_BOTTOM) / 2);
        assert_eq!(chart.notes[0].x0, chart.notes[0].x1);
        assert!(chart.notes[1].x1 > chart.notes[1].x0);
        assert_eq!(chart.now, Some(PLOT_RIGHT));
    }

    #[test]
    fn degenerate_data_never_panics() {
        for points in [
            vec![],
            vec![(1.0, 1.0)],
            vec![(f64::NAN, f64::INFINITY)],
            vec![(0.0, -5.0), (0.0, -5.0)],
        ] {
            let chart = ChartView::new(
                AxisSpec::new("x", Unit::Count),
                AxisSpec::new("y", Unit::Millis),
                vec![entry("a")],
                vec![series("a", 0, &points)],
            );
            assert!(!chart.y.ticks.is_empty());
            let _ = chart.readout(PLOT_LEFT, &[]);
            let _ = chart.csv();
        }
    }
}
