//! Checks: the published and closed-form results each lab reproduces, declared once as data.
//!
//! A [`Check`] names a result (M/M/1's mean time in system, the fixed window's double burst,
//! jump hash against the paper's function), says where it comes from, gives the scenario that
//! reproduces it as link parameters, the expected figure and the tolerance, and how to measure
//! the figure from that scenario. `syslab check` runs them and prints a table, the tests assert
//! every one passes, and the browser can load each check's scenario from its link: a check is
//! written once.

use crate::error::ConfigError;

/// How close a measured figure must be to the expected one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// Within this much either way, in the check's unit.
    Abs(f64),
    /// Within this share of the expected figure either way (0.03 is ±3%).
    Rel(f64),
}

impl Tolerance {
    /// Whether `measured` is close enough to `expected`.
    pub fn admits(self, expected: f64, measured: f64) -> bool {
        if !measured.is_finite() {
            return false;
        }
        let gap = (measured - expected).abs();
        match self {
            Tolerance::Abs(bound) => gap <= bound,
            Tolerance::Rel(share) => gap <= share * expected.abs(),
        }
    }

    /// `±0.5`, `±3%`, or `exact`.
    pub fn describe(self) -> String {
        match self {
            Tolerance::Abs(0.0) => "exact".to_owned(),
            Tolerance::Abs(b) => format!("±{}", crate::format::trimmed(b, 6)),
            Tolerance::Rel(s) => format!("±{}%", crate::format::trimmed(s * 100.0, 4)),
        }
    }
}

/// A published or closed-form result lab `L` reproduces.
pub struct Check<L> {
    /// Unique within the lab, kebab-case: `mm1-load-0.8`.
    pub id: &'static str,
    /// What is reproduced, in a few words.
    pub name: &'static str,
    /// Where the expected figure comes from: a paper, a post, an implementation, a formula.
    pub source: &'static str,
    /// The scenario, as the lab's link parameters (`servers=1&cap=1&...`).
    pub query: &'static str,
    /// The expected figure.
    pub expected: f64,
    pub tolerance: Tolerance,
    /// The figure's unit (`ms`, `keys`, `requests`), or empty for a plain number.
    pub unit: &'static str,
    /// Measures the figure from the lab built from the query and run to its end (the CLI, the
    /// tests and the browser's Checks panel all measure such a lab).
    pub measure: fn(&L) -> Result<f64, ConfigError>,
}

/// A check of any lab, with its lab erased: what `syslab check` and the tests iterate.
pub struct AnyCheck {
    /// The lab's id.
    pub lab: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub source: &'static str,
    pub query: &'static str,
    pub expected: f64,
    pub tolerance: Tolerance,
    pub unit: &'static str,
    run: Box<dyn Fn() -> Result<f64, ConfigError>>,
}

impl std::fmt::Debug for AnyCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AnyCheck({}/{})", self.lab, self.id)
    }
}

impl<L> Check<L> {
    /// Measures `lab` (built from this check's query and run to its end) and compares.
    pub fn judge(&self, lab: &L) -> Outcome {
        Outcome::of((self.measure)(lab), self.expected, self.tolerance)
    }
}

/// What running a check gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The measured figure, or why it could not be measured.
    pub measured: Result<f64, ConfigError>,
    /// Whether it is within the tolerance of the expected figure.
    pub pass: bool,
}

impl Outcome {
    /// A measurement judged against the expected figure.
    fn of(measured: Result<f64, ConfigError>, expected: f64, tolerance: Tolerance) -> Outcome {
        let pass = measured
            .as_ref()
            .is_ok_and(|&m| tolerance.admits(expected, m));
        Outcome { measured, pass }
    }
}

impl AnyCheck {
    /// Erases the lab type of one of lab `lab`'s checks: `build` makes the lab from the
    /// check's query and runs it to its end (see `contract::erase_check`).
    pub fn new<L: 'static>(
        lab: &'static str,
        check: Check<L>,
        build: fn(&str) -> Result<L, ConfigError>,
    ) -> AnyCheck {
        let (query, measure) = (check.query, check.measure);
        AnyCheck {
            lab,
            id: check.id,
            name: check.name,
            source: check.source,
            query,
            expected: check.expected,
            tolerance: check.tolerance,
            unit: check.unit,
            run: Box::new(move || measure(&build(query)?)),
        }
    }

    /// The check's scenario as a site path: `/load-balancer?servers=1&...`.
    pub fn link(&self) -> String {
        format!("/{}?{}", self.lab, self.query)
    }

    /// Runs the scenario and compares the figure with the expected one.
    pub fn run(&self) -> Outcome {
        Outcome::of((self.run)(), self.expected, self.tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerances_admit_what_they_say() {
        assert!(Tolerance::Rel(0.03).admits(10.0, 10.29));
        assert!(!Tolerance::Rel(0.03).admits(10.0, 10.31));
        assert!(Tolerance::Abs(0.5).admits(4.0, 3.5));
        assert!(!Tolerance::Abs(0.5).admits(4.0, 3.49));
        assert!(Tolerance::Abs(0.0).admits(1.0, 1.0));
        assert!(!Tolerance::Abs(1e9).admits(1.0, f64::NAN));
        assert_eq!(Tolerance::Rel(0.03).describe(), "±3%");
        assert_eq!(Tolerance::Abs(0.5).describe(), "±0.5");
        assert_eq!(Tolerance::Abs(0.0).describe(), "exact");
    }
}
