//! Raft's two RPCs and their replies at the receiving server (the paper's Figure 2):
//! RequestVote (and pre-vote), AppendEntries with the log-matching check and conflict
//! truncation, and the leader's commit rule; each change a safety property could object to
//! goes through the checker.

use super::sim::{Entry, Msg, Role, Sim};

impl Sim {
    pub(super) fn receive(&mut self, from: u8, to: u8, msg: Msg) {
        match msg {
            Msg::Vote {
                term,
                last_idx,
                last_term,
                pre,
            } => self.on_vote(from, to, term, (last_idx, last_term), pre),
            Msg::VoteReply { term, granted, pre } => {
                self.on_vote_reply(from, to, term, granted, pre)
            }
            Msg::Append {
                term,
                prev_idx,
                prev_term,
                entries,
                commit,
            } => self.on_append(from, to, term, prev_idx, prev_term, &entries, commit),
            Msg::AppendReply {
                term,
                ok,
                index,
                at,
            } => {
                self.on_append_reply(from, to, term, ok, index);
                self.read_ack(to, from, term, at);
            }
        }
    }

    pub(super) fn on_vote(&mut self, c: u8, n: u8, term: u64, last: (usize, u64), pre: bool) {
        let node = &self.nodes[usize::from(n)];
        let (my_idx, my_term) = node.last();
        let log_ok = last.1 > my_term || (last.1 == my_term && last.0 >= my_idx);
        if pre {
            let granted = term > node.term && log_ok && !self.heard_leader_recently(n);
            let reply_term = if granted { term } else { node.term };
            self.send(
                n,
                c,
                Msg::VoteReply {
                    term: reply_term,
                    granted,
                    pre: true,
                },
            );
            return;
        }
        if self.sticky() && term > node.term && self.heard_leader_recently(n) {
            // Leader stickiness: a server that hears from a leader ignores campaigns.
            let my = node.term;
            self.send(
                n,
                c,
                Msg::VoteReply {
                    term: my,
                    granted: false,
                    pre: false,
                },
            );
            return;
        }
        if term > node.term {
            self.become_follower(n, term);
        }
        let node = &mut self.nodes[usize::from(n)];
        let granted = term == node.term && node.voted_for.is_none_or(|v| v == c) && log_ok;
        if granted {
            node.voted_for = Some(c);
        }
        let reply_term = node.term;
        if granted {
            self.log(|| format!("S{} votes for S{} in term {term}", n + 1, c + 1));
            let disk = (self.cfg.disk_ms * 1e6).round() as u64;
            self.reset_timer_after(n, disk);
        }
        self.send(
            n,
            c,
            Msg::VoteReply {
                term: reply_term,
                granted,
                pre: false,
            },
        );
    }

    pub(super) fn on_vote_reply(&mut self, v: u8, n: u8, term: u64, granted: bool, pre: bool) {
        let majority = self.cfg.majority();
        let node = &mut self.nodes[usize::from(n)];
        if pre {
            if !granted {
                if term > node.term {
                    self.become_follower(n, term);
                }
                return;
            }
            if node.role == Role::PreCandidate && term == node.term + 1 {
                node.votes |= 1 << v;
                if node.votes.count_ones() as usize >= majority {
                    self.start_election(n);
                }
            }
            return;
        }
        if term > node.term {
            self.become_follower(n, term);
            return;
        }
        if node.role == Role::Candidate && term == node.term && granted {
            node.votes |= 1 << v;
            if node.votes.count_ones() as usize >= majority {
                self.become_leader(n);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_append(
        &mut self,
        l: u8,
        n: u8,
        term: u64,
        prev_idx: usize,
        prev_term: u64,
        entries: &[Entry],
        commit: usize,
    ) {
        let i = usize::from(n);
        if term < self.nodes[i].term {
            let my = self.nodes[i].term;
            self.send(
                n,
                l,
                Msg::AppendReply {
                    at: self.delivering,
                    term: my,
                    ok: false,
                    index: 0,
                },
            );
            return;
        }
        if term > self.nodes[i].term || self.nodes[i].role != Role::Follower {
            self.become_follower(n, term);
        }
        self.nodes[i].leader_contact = Some(self.now);
        self.reset_timer(n);
        let node = &self.nodes[i];
        if prev_idx > node.log.len() || node.term_at(prev_idx) != prev_term {
            let hint = node.log.len().min(prev_idx.saturating_sub(1));
            self.send(
                n,
                l,
                Msg::AppendReply {
                    at: self.delivering,
                    term,
                    ok: false,
                    index: hint,
                },
            );
            return;
        }
        for (k, e) in entries.iter().enumerate() {
            let idx = prev_idx + 1 + k;
            let node = &mut self.nodes[i];
            if idx <= node.log.len() && node.log[idx - 1].term == e.term {
                continue;
            }
            if idx <= node.log.len() {
                let dropped = node.log.len() - idx + 1;
                self.log(|| {
                    format!(
                        "S{} drops {dropped} conflicting entr{} from index {idx}",
                        n + 1,
                        if dropped == 1 { "y" } else { "ies" }
                    )
                });
            }
            self.nodes[i].set_entry(idx, *e);
            if !self.check_entry(n, idx) {
                return;
            }
        }
        let last_new = prev_idx + entries.len();
        if commit > self.nodes[i].commit {
            let to = commit.min(last_new);
            if to > self.nodes[i].commit {
                self.advance_commit(n, to);
            }
        }
        self.send(
            n,
            l,
            Msg::AppendReply {
                at: self.delivering,
                term,
                ok: true,
                index: last_new,
            },
        );
    }

    pub(super) fn on_append_reply(&mut self, f: u8, l: u8, term: u64, ok: bool, index: usize) {
        let (li, fi) = (usize::from(l), usize::from(f));
        if term > self.nodes[li].term {
            self.become_follower(l, term);
            return;
        }
        let node = &mut self.nodes[li];
        if node.role != Role::Leader || term != node.term {
            return;
        }
        node.acks |= 1 << f;
        let len = node.log.len();
        // Only a reply that moves the follower's indexes triggers another AppendEntries, so
        // duplicated or reordered replies do not multiply the messages.
        if ok {
            let advanced = index > node.matched[fi];
            node.matched[fi] = node.matched[fi].max(index);
            node.next[fi] = node.next[fi].max(index + 1);
            let more = advanced && node.next[fi] <= len;
            self.leader_commit(l);
            if more && !self.stopped() {
                self.send_append(l, f);
            }
        } else {
            let next = node.next[fi];
            let back = (index + 1).min(next.saturating_sub(1)).max(1);
            if back < next && back > node.matched[fi] {
                node.next[fi] = back;
                self.send_append(l, f);
            }
        }
    }

    pub(super) fn leader_commit(&mut self, l: u8) {
        let majority = self.cfg.majority();
        let node = &self.nodes[usize::from(l)];
        let mut to = None;
        for idx in (node.commit + 1..=node.log.len()).rev() {
            let replicas = node.matched.iter().filter(|&&m| m >= idx).count();
            if replicas >= majority
                && (self.cfg.unsafe_commit || node.log[idx - 1].term == node.term)
            {
                to = Some(idx);
                break;
            }
        }
        if let Some(to) = to {
            self.advance_commit(l, to);
        }
    }

    pub(super) fn advance_commit(&mut self, n: u8, to: usize) {
        let i = usize::from(n);
        let from = self.nodes[i].commit;
        self.nodes[i].commit = to;
        let leader = self.nodes[i].role == Role::Leader;
        if leader {
            for idx in from + 1..=to {
                let value = self.nodes[i].log[idx - 1].value;
                if let Some(t) = self.pending.remove(&value) {
                    if let Some(&op) = self.write_ops.get(&value) {
                        self.history[op].ret = Some(self.now);
                    }
                    self.stats.commit_latencies.push(self.now.since(t));
                }
            }
            self.log(|| format!("S{} commits up to index {to}", n + 1));
        }
        let now = self.now;
        if let Err(v) =
            self.safety
                .on_commit(n, (&self.nodes[i].log, &self.nodes[i].chain), from, to, now)
        {
            self.stop(v);
        }
    }

    /// Checks the entry just written at `idx` of node `n`'s log; false if that stopped the run.
    pub(super) fn check_entry(&mut self, n: u8, idx: usize) -> bool {
        let now = self.now;
        let node = &self.nodes[usize::from(n)];
        match self.safety.on_entry(n, (&node.log, &node.chain), idx, now) {
            Ok(()) => true,
            Err(v) => {
                self.stop(v);
                false
            }
        }
    }
}
