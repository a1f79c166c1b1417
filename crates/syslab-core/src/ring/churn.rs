//! Seeded churn: what "step" and "play" do to the ring (a node joins, leaves, has a token
//! moved or its weight changed), and fresh node names.

use super::change::ChangeReport;
use super::config::MAX_VNODES_PER_NODE;
use super::event::RingEvent;
use super::lab::{RingLab, spreadsheet_name};
use crate::error::ConfigError;
use crate::rng::{SplitMix64, mix64};

impl RingLab {
    /// One seeded churn step: a node joins, leaves, has a token moved or its weight changed.
    pub fn step(&mut self) -> Result<&ChangeReport, ConfigError> {
        let event = self.churn_event();
        // Wrapping: a scenario may carry any step count, and the count only seeds the next step.
        self.steps = self.steps.wrapping_add(1);
        match self.apply(event) {
            Ok(_) => Ok(self.history.last().expect("applied")),
            Err(err) => {
                self.steps = self.steps.wrapping_sub(1);
                Err(err)
            }
        }
    }

    fn churn_event(&self) -> RingEvent {
        let mut rng = SplitMix64::new(mix64(
            self.config.seed ^ self.steps.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ));
        let n = self.nodes.len();
        let min_nodes = (self.config.replication as usize).max(2);
        let roll = rng.below(10);
        let name_of = |rng: &mut SplitMix64| self.nodes[rng.below(n as u64) as usize].name.clone();
        if n <= min_nodes || (roll < 4 && n < 16) {
            RingEvent::AddNode {
                name: self.fresh_name(),
                weight: 1,
            }
        } else if roll < 7 || n >= 16 {
            RingEvent::RemoveNode {
                name: name_of(&mut rng),
            }
        } else if roll < 9 {
            RingEvent::MoveToken {
                name: name_of(&mut rng),
                vnode: 0,
                position: rng.next_u64(),
            }
        } else {
            let name = name_of(&mut rng);
            let max_weight = (MAX_VNODES_PER_NODE / self.vnodes).clamp(1, 3);
            RingEvent::SetWeight {
                name,
                weight: 1 + rng.below(u64::from(max_weight)) as u32,
            }
        }
    }

    /// The first unused name in A, B, …, Z, AA, AB, …
    pub fn fresh_name(&self) -> String {
        (0u32..)
            .map(spreadsheet_name)
            .find(|candidate| self.node_idx(candidate).is_none())
            .expect("names are unbounded")
    }
}
