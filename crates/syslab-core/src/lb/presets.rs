//! Ready-made scenarios that each tell one story about load balancing. Every preset runs in
//! compare mode, so the table shows all algorithms on the same traffic.

use super::balancer::Algorithm;
use super::config::{HealthConfig, LbConfig, ServerChange, ServerState, ServiceDist};
use super::lab::LbScenario;
use crate::Preset;

/// Every preset, in menu order.
pub fn presets() -> Vec<Preset<LbScenario>> {
    let base = LbConfig {
        compare: true,
        ..LbConfig::default()
    };
    let preset = |id, label, title, config: LbConfig| Preset {
        id,
        label,
        title,
        scenario: LbScenario {
            config,
            ..LbScenario::default()
        },
    };
    vec![
        preset(
            "uneven-costs",
            "Uneven costs",
            "Uneven request costs: round robin piles requests behind expensive ones, least connections does not",
            LbConfig {
                algorithm: Algorithm::LeastConnections,
                // Most requests are cheap, a few are 10 to 100 times the mean: round robin
                // keeps sending to a server stuck on one.
                cost_cv: 3.0,
                service: ServiceDist::Constant,
                capacity: 1,
                rate: 600.0,
                ..base.clone()
            },
        ),
        preset(
            "slow-server",
            "A server turns slow",
            "A server turns slow: peak EWMA routes around it, round robin keeps feeding it",
            LbConfig {
                algorithm: Algorithm::PeakEwma,
                changes: vec![ServerChange {
                    at_ms: 3_000,
                    server: 2,
                    state: ServerState::Slow(10.0),
                }],
                ..base.clone()
            },
        ),
        preset(
            "server-dies",
            "A server dies",
            "A server dies: requests to it time out until health checks take it out",
            LbConfig {
                algorithm: Algorithm::RoundRobin,
                retries: 0,
                health: HealthConfig {
                    interval_ms: 500,
                    timeout_ms: 200,
                    fall: 3,
                    rise: 2,
                },
                changes: vec![
                    ServerChange {
                        at_ms: 2_000,
                        server: 1,
                        state: ServerState::Down,
                    },
                    ServerChange {
                        at_ms: 7_000,
                        server: 1,
                        state: ServerState::Up,
                    },
                ],
                ..base.clone()
            },
        ),
        preset(
            "one-proxy",
            "One proxy, IP hash",
            "Clients behind one proxy under IP hash: one source address, one server takes everything",
            LbConfig {
                algorithm: Algorithm::IpHash,
                proxy: true,
                rate: 1_200.0,
                ..base.clone()
            },
        ),
        preset(
            "burst",
            "A burst",
            "A burst of three times the traffic for two seconds: queues fill, then drain",
            LbConfig {
                algorithm: Algorithm::PowerOfTwo,
                burst_at_ms: 3_000,
                burst_ms: 2_000,
                burst_factor: 3.0,
                rate: 1_500.0,
                ..base.clone()
            },
        ),
        preset(
            "l7-pools",
            "L7 pools",
            "Routing at layer 7: /static to two servers, /api to the rest, hashing on the user",
            LbConfig {
                algorithm: Algorithm::RingBounded,
                l7: true,
                proxy: true,
                ..base
            },
        ),
    ]
}
