//! Ready-made scenarios of the replication lab, each telling one story.

use super::config::{Cut, Policy, ReplConfig};
use super::lab::ReplScenario;
use super::latency::LatencyModel;
use super::modes::{Fault, Mode, SyncMode, Target};
use crate::Preset;

/// The partition of the partition presets: r1 cut off from r2 and r3 from 3 s to 7 s.
fn minority_cut() -> Vec<Cut> {
    vec![Cut {
        from: vec![0],
        to: vec![1, 2],
        both: true,
        start_ms: 3_000,
        end_ms: Some(7_000),
    }]
}

/// The leader crashes at 3 s and comes back at 6 s.
fn leader_crash() -> Vec<Fault> {
    let at = |at_ms, crash| Fault {
        at_ms,
        crash,
        target: Target::Leader,
    };
    vec![at(3_000, true), at(6_000, false)]
}

/// Every preset, in menu order.
pub fn presets() -> Vec<Preset<ReplScenario>> {
    let preset = |id, label, title, config: ReplConfig| Preset {
        id,
        label,
        title,
        scenario: ReplScenario {
            config,
            ..ReplScenario::default()
        },
    };
    let partition = ReplConfig {
        r: 2,
        w: 2,
        clients: 6,
        keys: 5,
        hot: 0.5,
        write_share: 0.5,
        cuts: minority_cut(),
        ..ReplConfig::default()
    };
    let failover = ReplConfig {
        mode: Mode::Leader,
        sync: SyncMode::Async,
        wmean: 100.0,
        rate: 200.0,
        write_share: 0.5,
        faults: leader_crash(),
        ..ReplConfig::default()
    };
    let split = ReplConfig {
        mode: Mode::Leader,
        sync: SyncMode::Async,
        fence: false,
        write_share: 0.5,
        cuts: minority_cut(),
        ..ReplConfig::default()
    };
    vec![
        preset(
            "staleness-window",
            "R = W = 1",
            "R = W = 1 on three replicas: reads right after a write often miss it, for a window the curve measures",
            ReplConfig::default(),
        ),
        preset(
            "strict-quorum",
            "R + W > N",
            "R = W = 2 on three replicas: every read quorum meets every write quorum, and no read is stale",
            ReplConfig {
                r: 2,
                w: 2,
                ..ReplConfig::default()
            },
        ),
        preset(
            "partition-cp",
            "Partition, CP",
            "One of three replicas cut off for 4 s with majority quorums that refuse: nothing stale, nothing lost, the minority's clients refused",
            partition.clone(),
        ),
        preset(
            "partition-ap",
            "Partition, AP",
            "The same partition answering from whoever replied: every request served, but reads go stale and the clients' history is not linearizable",
            ReplConfig {
                policy: Policy::Ap,
                ..partition
            },
        ),
        preset(
            "clock-skew",
            "Clock skew",
            "Majority quorums with clocks 100 ms apart: last-write-wins silently drops writes that came later in real time",
            ReplConfig {
                r: 2,
                w: 2,
                skew_ms: 100.0,
                hot: 0.8,
                write_share: 0.6,
                ..ReplConfig::default()
            },
        ),
        preset(
            "quorum-not-linearizable",
            "Quorums ≠ linearizable",
            "R = W = 2 on one key with 20 clients: no read is stale, yet a read sees a write still in progress and a later one misses it; the table names the first",
            ReplConfig {
                r: 2,
                w: 2,
                clients: 20,
                rate: 1_000.0,
                keys: 1,
                duration_ms: 5_000,
                ..ReplConfig::default()
            },
        ),
        preset(
            "anti-entropy",
            "Anti-entropy",
            "No read repair and 30% of messages lost, so replicas drift apart; every 200 ms each compares Merkle trees with a peer and sends what the other lacks, with far fewer hash comparisons than keys",
            ReplConfig {
                read_repair: false,
                loss: 0.3,
                keys: 1_000,
                write_share: 0.5,
                anti_entropy_ms: 200,
                ..ReplConfig::default()
            },
        ),
        preset(
            "async-failover",
            "Async failover",
            "A leader with asynchronous followers 100 ms behind crashes at 3 s: the follower promoted a second later lacks the writes the leader had acknowledged but not yet shipped, and they are gone",
            failover.clone(),
        ),
        preset(
            "sync-failover",
            "Sync failover",
            "The same crash with synchronous followers: no acknowledged write is lost, but with one follower down every write waits for it and is refused until the old leader returns",
            ReplConfig {
                sync: SyncMode::Sync,
                ..failover
            },
        ),
        preset(
            "split-brain",
            "Split brain",
            "The leader r1 cut off from its followers for 4 s without fencing: r2 is promoted, r1 keeps acknowledging its clients' writes, and when the partition heals they are discarded",
            split.clone(),
        ),
        preset(
            "split-brain-fenced",
            "Split brain, fenced",
            "The same partition with an epoch and a lease: r1's lease runs out before r2 is promoted, so r1 refuses writes instead of acknowledging writes that will be discarded",
            ReplConfig {
                fence: true,
                ..split
            },
        ),
        preset(
            "linkedin-disk",
            "LinkedIn disk",
            "The PBS paper's LNKD-DISK delays with R = W = 1: slow disk writes make the staleness window tens of ms",
            ReplConfig {
                latency: LatencyModel::LnkdDisk,
                probes: 100_000,
                ..ReplConfig::default()
            },
        ),
    ]
}
