//! Seeded traffic: the arrivals every algorithm of a run sees, generated once and up front.
//!
//! Arrival times come from `SplitMix64` and `libm`, so a seed gives the same arrivals natively
//! and in wasm. Non-stationary patterns (bursts, the ramp) are drawn by thinning a Poisson
//! process at the peak rate (Lewis and Shedler 1979).

use serde::{Deserialize, Serialize};

use super::arrivals::{Arrival, Generator, MAX_ARRIVALS, ms};
use crate::error::ConfigError;
use crate::format::trimmed;
use crate::time::Nanos;

/// The most clients traffic may come from.
pub const MAX_CLIENTS: u32 = 10_000;
/// The highest rate, in requests per second.
pub const MAX_RATE: f64 = 1_000_000.0;

/// The shape of the traffic over time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Evenly spaced requests at `rate`, clients taking turns.
    Steady,
    /// A Poisson process at `rate`: random gaps, the same mean.
    #[default]
    Poisson,
    /// `peak` for `on_ms`, then `rate` for `off_ms`, repeated.
    Bursty,
    /// Poisson at `rate`, plus `peak` evenly spaced for `on_ms` centred on the window boundary
    /// nearest the middle of the run: the traffic that exposes the fixed window.
    Spike,
    /// Poisson whose rate rises linearly from `rate` to `peak` over the run.
    Ramp,
    /// Well-behaved clients sharing `rate`, and `abusers` clients sending `peak` each.
    Mix,
}

impl Pattern {
    /// Every pattern, in menu order.
    pub const ALL: [Pattern; 6] = [
        Pattern::Steady,
        Pattern::Poisson,
        Pattern::Bursty,
        Pattern::Spike,
        Pattern::Ramp,
        Pattern::Mix,
    ];

    /// Every pattern's id (in URLs and JSON) and name, in the order of [`Pattern::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "steady",
            label: "steady",
        },
        crate::schema::Choice {
            id: "poisson",
            label: "Poisson",
        },
        crate::schema::Choice {
            id: "bursty",
            label: "bursty on/off",
        },
        crate::schema::Choice {
            id: "spike",
            label: "spike at a window boundary",
        },
        crate::schema::Choice {
            id: "ramp",
            label: "ramp",
        },
        crate::schema::Choice {
            id: "mix",
            label: "good and abusive clients",
        },
    ];

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The short identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The pattern with identifier `id`.
    pub fn from_id(id: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// Where the requests come from and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrafficConfig {
    /// The shape of the traffic over time.
    pub pattern: Pattern,
    /// The base rate of all well-behaved clients together, in requests per second (0 to 1,000,000).
    pub rate: f64,
    /// The peak rate in requests per second: during bursts and the spike, at the end of the ramp,
    /// and for each abusive client of the mix (0 to 1,000,000).
    pub peak: f64,
    /// How many well-behaved clients send the traffic (1 to 10,000).
    pub clients: u32,
    /// Abusive clients in the mix, numbered before the well-behaved ones (0 to 1,000).
    pub abusers: u32,
    /// Length of each burst, and of the spike, in milliseconds.
    pub on_ms: u32,
    /// Quiet time between bursts in milliseconds.
    pub off_ms: u32,
}

impl Default for TrafficConfig {
    fn default() -> Self {
        Self {
            pattern: Pattern::Poisson,
            rate: 12.0,
            peak: 40.0,
            clients: 1,
            abusers: 1,
            on_ms: 2_000,
            off_ms: 4_000,
        }
    }
}

impl TrafficConfig {
    /// The number of distinct clients the traffic comes from.
    pub fn n_clients(&self) -> u32 {
        match self.pattern {
            Pattern::Mix => self.clients.saturating_add(self.abusers),
            _ => self.clients,
        }
    }

    /// The highest instantaneous rate of all clients together, in requests per second.
    pub fn max_rate(&self) -> f64 {
        match self.pattern {
            Pattern::Steady | Pattern::Poisson => self.rate,
            Pattern::Bursty | Pattern::Ramp => self.rate.max(self.peak),
            Pattern::Spike => self.rate + self.peak,
            Pattern::Mix => self.rate + f64::from(self.abusers) * self.peak,
        }
    }

    /// Checks the traffic for a run of `duration`, returning the first problem found.
    pub fn validate(&self, duration: Nanos) -> Result<(), ConfigError> {
        for (what, value) in [
            ("the traffic rate", self.rate),
            ("the peak rate", self.peak),
        ] {
            if !(value.is_finite() && (0.0..=MAX_RATE).contains(&value)) {
                return Err(ConfigError::OutOfRange {
                    what,
                    value: trimmed(value, 6),
                    range: "a number of requests per second from 0 to 1,000,000",
                });
            }
        }
        crate::error::check_range(
            "the number of clients",
            self.clients,
            1,
            MAX_CLIENTS,
            "1 to 10,000",
        )?;
        crate::error::check_range(
            "the number of abusive clients",
            self.abusers,
            0,
            1_000,
            "0 to 1,000",
        )?;
        crate::error::check_range(
            "the burst length",
            self.on_ms,
            1,
            3_600_000,
            "1 ms to 1 hour",
        )?;
        crate::error::check_range(
            "the pause between bursts",
            self.off_ms,
            0,
            3_600_000,
            "0 to 1 hour",
        )?;
        if self.max_rate() <= 0.0 {
            return Err(ConfigError::OutOfRange {
                what: "the traffic rate",
                value: "0".to_owned(),
                range: "more than 0 requests per second for this pattern",
            });
        }
        let expected = self.max_rate() * duration.secs_f64();
        if expected > MAX_ARRIVALS as f64 {
            return Err(ConfigError::OutOfRange {
                what: "the number of requests (peak rate × duration)",
                value: crate::format::thousands(expected as u64),
                range: "at most 1,000,000",
            });
        }
        Ok(())
    }

    /// The arrivals of a run of `duration`, sorted by time, from `seed`. `window` places the
    /// spike on a window boundary. At most [`MAX_ARRIVALS`] are generated.
    pub fn generate(&self, duration: Nanos, window: Nanos, seed: u64) -> Vec<Arrival> {
        let mut src = Generator::new(seed ^ 0x7261_7465_6c69_6d74, duration);
        let clients = self.clients.max(1);
        match self.pattern {
            Pattern::Steady => src.even(0.0, src.end, self.rate, |i, _| {
                (i % u64::from(clients)) as u32
            }),
            Pattern::Poisson => src.poisson(
                self.rate,
                |_, _| 1.0,
                |rng| rng.below(u64::from(clients)) as u32,
            ),
            Pattern::Bursty => {
                let (on, cycle) = (ms(self.on_ms), ms(self.on_ms) + ms(self.off_ms));
                let (rate, peak) = (self.rate, self.peak);
                let top = rate.max(peak);
                src.poisson(
                    top,
                    move |_, t| {
                        if t % cycle < on {
                            peak / top
                        } else {
                            rate / top
                        }
                    },
                    |rng| rng.below(u64::from(clients)) as u32,
                );
            }
            Pattern::Ramp => {
                let (rate, peak, end) = (self.rate, self.peak, src.end);
                let top = rate.max(peak);
                src.poisson(
                    top,
                    move |_, t| (rate + (peak - rate) * t / end) / top,
                    |rng| rng.below(u64::from(clients)) as u32,
                );
            }
            Pattern::Spike => {
                src.poisson(
                    self.rate,
                    |_, _| 1.0,
                    |rng| rng.below(u64::from(clients)) as u32,
                );
                let w = window.0.max(1) as f64;
                let boundary = (libm::round(src.end / 2.0 / w) * w).max(w);
                let half = ms(self.on_ms) / 2.0;
                src.even(boundary - half, boundary + half, self.peak, |_, rng| {
                    rng.below(u64::from(clients)) as u32
                });
                src.out.sort_unstable();
            }
            Pattern::Mix => {
                let abusers = self.abusers;
                let bad = f64::from(abusers) * self.peak;
                let total = self.rate + bad;
                src.poisson(
                    total,
                    |_, _| 1.0,
                    |rng| {
                        if rng.unit_f64() * total < bad {
                            rng.below(u64::from(abusers)) as u32
                        } else {
                            abusers + rng.below(u64::from(clients)) as u32
                        }
                    },
                );
            }
        }
        src.out
    }
}
