//! The page's ring lab (`Lab::new_deferred`) places the comparison strategies in pieces after
//! each change: once its background work is done it must show and report exactly what the
//! synchronous lab does, after every kind of action, however the pieces fall.

mod common;

use common::scenario;
use syslab_core::Lab;
use syslab_core::ring::{RingAction, RingEvent, RingLab, RingScenario, StrategyKind};

/// The actions of the comparison, each applied to both labs.
fn actions() -> Vec<RingAction> {
    vec![
        RingAction::AddNode,
        RingAction::Change(RingEvent::SetWeight {
            name: "B".to_owned(),
            weight: 3,
        }),
        RingAction::SetStrategy(StrategyKind::Rendezvous),
        RingAction::AddNode,
        RingAction::DragTo {
            node: "A".to_owned(),
            fraction: 0.3,
        },
        RingAction::DragTo {
            node: "A".to_owned(),
            fraction: 0.6,
        },
        RingAction::DragEnd {
            node: "A".to_owned(),
        },
        RingAction::SetStrategy(StrategyKind::Ring),
        RingAction::Change(RingEvent::RemoveNode {
            name: "C".to_owned(),
        }),
        RingAction::SetNodeCount(7),
        RingAction::SetStrategy(StrategyKind::Maglev),
        RingAction::Change(RingEvent::SetVnodes { vnodes: 9 }),
    ]
}

/// Applies every action to a synchronous and a deferred lab; the deferred one does `pieces`
/// pieces of its background work after each action (`None`: all of it), and the two must
/// agree whenever the deferred one has none left.
#[track_caller]
fn compare(scenario: &RingScenario, pieces: Option<usize>) {
    let mut sync = RingLab::new(scenario).expect("valid");
    let mut deferred = RingLab::new_deferred(scenario).expect("valid");
    assert!(!Lab::background_pending(&sync));
    assert!(
        Lab::background_pending(&deferred),
        "jump, rendezvous and Maglev wait for the background"
    );
    // The shown strategy is placed at once: the drawing needs it.
    assert!(!deferred.placing_strategy(deferred.config().strategy));
    for action in actions() {
        let label = format!("{action:?}");
        Lab::apply(&mut sync, action.clone()).expect("applies");
        Lab::apply(&mut deferred, action).expect("applies");
        let shown = deferred.config().strategy;
        assert!(!deferred.placing_strategy(shown), "{label}");
        assert_eq!(
            Lab::view(&deferred).summary,
            Lab::view(&sync).summary,
            "{label}: the shown strategy's moves are known at once"
        );
        match pieces {
            None => Lab::finish_background(&mut deferred),
            Some(n) => {
                for _ in 0..n {
                    let placing = deferred.n_placing();
                    let shown = Lab::background_step(&mut deferred);
                    assert_eq!(shown, deferred.n_placing() < placing, "{label}");
                }
            }
        }
        // While computing, a row shows no figures rather than stale ones.
        for row in Lab::view(&deferred).strategies {
            assert_eq!(row.computing, deferred.placing_strategy(row.strategy));
            if row.computing {
                assert!(
                    row.moved_text.is_empty() && row.max_text.is_empty(),
                    "{label}"
                );
            }
        }
        // The snapshot is complete either way.
        assert_eq!(Lab::snapshot(&deferred), Lab::snapshot(&sync), "{label}");
        if !Lab::background_pending(&deferred) {
            assert_eq!(Lab::view(&deferred), Lab::view(&sync), "{label}");
            assert_eq!(deferred.history(), sync.history(), "{label}");
        }
    }
    Lab::finish_background(&mut deferred);
    assert_eq!(Lab::view(&deferred), Lab::view(&sync));
    assert_eq!(deferred.history(), sync.history());
    assert_eq!(Lab::scenario(&deferred), Lab::scenario(&sync));
}

#[test]
fn deferred_placements_end_equal_to_synchronous_ones() {
    compare(&scenario(5, 20, 3_000, 7), None);
}

#[test]
fn a_change_while_placing_finishes_the_placements_first() {
    // 40,000 keys and 5 nodes take several pieces per strategy; no piece, one or a few are
    // done before the next action.
    for pieces in [0, 1, 3] {
        compare(&scenario(5, 20, 40_000, 8), Some(pieces));
    }
}

#[test]
fn reconfiguring_keeps_deferring() {
    let mut lab = RingLab::new_deferred(&scenario(6, 10, 2_000, 9)).expect("valid");
    Lab::finish_background(&mut lab);
    lab.set_param("keys", "5000").expect("a valid key count");
    assert!(Lab::background_pending(&lab));
    let mut sync = RingLab::new(&Lab::scenario(&lab)).expect("valid");
    Lab::finish_background(&mut lab);
    Lab::finish_background(&mut sync);
    assert_eq!(Lab::view(&lab), Lab::view(&sync));
}
