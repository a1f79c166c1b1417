//! The leader mode's state: each replica's role, epoch, log and failure detector, and the
//! leader's view of its followers. Plain data with the small rules that need no network
//! (who is more up to date, whether a lease holds); the simulation drives it (`leader.rs`,
//! `failover.rs`).

use std::collections::VecDeque;

use super::wire::Entry;

/// One replica in leader mode.
#[derive(Clone, Debug)]
pub struct Replica {
    /// The highest epoch it knows of.
    pub epoch: u32,
    /// Whether it believes it leads (in `epoch`); a deposed leader may still believe so.
    pub leads: bool,
    /// The leader whose stream it takes (itself when it leads).
    pub following: u32,
    /// Its log: the writes it holds, in the order its leader appended them. Durable: a crash
    /// keeps it.
    pub log: Vec<Entry>,
    /// When it last heard from the leader it follows, ns.
    pub last_heard: u64,
    /// As a leader: each follower's acknowledged log length, the length it reported at the
    /// previous heartbeat (no progress since then means entries were lost: send them again),
    /// and the send time of the latest heartbeat it acknowledged, ns (the lease).
    pub matched: Vec<u32>,
    pub reported: Vec<u32>,
    pub beat_ok: Vec<u64>,
    /// As a leader: writes waiting for follower acknowledgements, (log position, operation),
    /// in log order.
    pub pending: VecDeque<(u32, u32)>,
}

impl Replica {
    fn new(n: u32) -> Replica {
        let n = n as usize;
        Replica {
            epoch: 1,
            leads: false,
            following: 0,
            log: Vec::new(),
            last_heard: 0,
            matched: vec![0; n],
            reported: vec![0; n],
            beat_ok: vec![0; n],
            pending: VecDeque::new(),
        }
    }

    /// How up to date its log is: the epoch of its last entry, then its length (the order
    /// Raft's elections use, so a log with a later leader's entries wins over a longer one).
    pub fn freshness(&self) -> (u32, usize) {
        (self.log.last().map_or(0, |e| e.epoch), self.log.len())
    }

    /// Forgets what a leader keeps in memory (a crash, or a change of leader).
    pub fn reset_leader_state(&mut self) {
        self.matched.fill(0);
        self.reported.fill(0);
        self.beat_ok.fill(0);
        self.pending.clear();
    }
}

/// Every replica's role, and the cluster's current leader and epoch.
#[derive(Clone, Debug)]
pub struct Roles {
    pub replicas: Vec<Replica>,
    /// The leader promoted last, in epoch `epoch`: its log is the history clients will see.
    pub leader: u32,
    pub epoch: u32,
    /// The leader it replaced, if any (drawn as deposed).
    pub deposed: Option<u32>,
    /// The replica the last `crash:L` crashed (for `restart:L`).
    pub crashed_leader: Option<u32>,
}

impl Roles {
    /// Replica 0 leads epoch 1; the others follow it.
    pub fn new(n: u32) -> Roles {
        let mut replicas: Vec<Replica> = (0..n).map(|_| Replica::new(n)).collect();
        replicas[0].leads = true;
        Roles {
            replicas,
            leader: 0,
            epoch: 1,
            deposed: None,
            crashed_leader: None,
        }
    }

    /// Whether leader `l` holds its lease at `now`: itself and enough followers for a
    /// majority acknowledged a heartbeat sent less than `lease` ns ago. A leader starts with
    /// one (its promotion was acknowledged by a majority).
    pub fn lease_held(&self, l: u32, now: u64, lease: u64, n: u32) -> bool {
        let r = &self.replicas[l as usize];
        let fresh = r
            .beat_ok
            .iter()
            .enumerate()
            .filter(|&(i, &t)| i != l as usize && t.saturating_add(lease) > now)
            .count() as u32;
        1 + fresh > n / 2
    }

    /// How many of leader `l`'s followers hold the first `seq` entries.
    pub fn holding(&self, l: u32, seq: u32) -> u32 {
        let r = &self.replicas[l as usize];
        r.matched
            .iter()
            .enumerate()
            .filter(|&(i, &m)| i != l as usize && m >= seq)
            .count() as u32
    }

    /// The length of the common prefix of replicas `a`'s and `b`'s logs.
    pub fn common_prefix(&self, a: u32, b: u32) -> usize {
        let (la, lb) = (
            &self.replicas[a as usize].log,
            &self.replicas[b as usize].log,
        );
        la.iter().zip(lb).take_while(|(x, y)| x == y).count()
    }
}
