//! One rate limiter: the state of every client key under one algorithm, and the memory it holds.

use super::algorithm::LimitParams;
use super::decision::Verdict;
use super::state::KeyState;
use crate::time::Nanos;

/// A limiter for a fixed number of client keys, numbered from 0. A key's state is created the
/// first time the key is seen, as a map-based limiter would.
#[derive(Clone, Debug)]
pub struct Limiter {
    params: LimitParams,
    states: Vec<Option<KeyState>>,
    /// Σ of `memory_words` over all states, kept up to date on every change.
    words: u64,
}

impl Limiter {
    /// A limiter with `params` for keys `0..n_keys`.
    pub fn new(params: LimitParams, n_keys: u32) -> Self {
        Self {
            params,
            states: vec![None; n_keys as usize],
            words: 0,
        }
    }

    /// The algorithm and its limit.
    pub fn params(&self) -> &LimitParams {
        &self.params
    }

    /// Decides one request of `key` at `now`. Keys past the limiter's range share the last key.
    pub fn decide(&mut self, key: u32, now: Nanos) -> Verdict {
        let params = self.params;
        let Some(slot) = self.slot(key) else {
            return params.decide(&mut params.new_state(), now);
        };
        let before = slot.as_ref().map_or(0, KeyState::memory_words);
        let state = slot.get_or_insert_with(|| params.new_state());
        let verdict = params.decide(state, now);
        let after = state.memory_words();
        self.words = self.words - before + after;
        verdict
    }

    /// The state of `key`, if it has been seen.
    pub fn state(&self, key: u32) -> Option<&KeyState> {
        self.states
            .get((key as usize).min(self.states.len().saturating_sub(1)))
            .and_then(Option::as_ref)
    }

    /// Overwrites the state of `key` (a write reaching a central store).
    pub fn replace(&mut self, key: u32, state: KeyState) {
        if let Some(slot) = self.slot(key) {
            let before = slot.as_ref().map_or(0, KeyState::memory_words);
            let after = state.memory_words();
            *slot = Some(state);
            self.words = self.words - before + after;
        }
    }

    /// The level of `key` at `now` (see [`KeyState::level`]); a key never seen is at rest.
    pub fn level(&self, key: u32, now: Nanos) -> f64 {
        match self.state(key) {
            Some(state) => state.level(&self.params, now),
            None => self.params.new_state().level(&self.params, now),
        }
    }

    /// Numbers held over all keys: counters, timestamps and log entries.
    pub fn memory_words(&self) -> u64 {
        self.words
    }

    /// Keys that have a state.
    pub fn keys_held(&self) -> u32 {
        self.states.iter().filter(|s| s.is_some()).count() as u32
    }

    fn slot(&mut self, key: u32) -> Option<&mut Option<KeyState>> {
        let last = self.states.len().checked_sub(1)?;
        self.states.get_mut((key as usize).min(last))
    }
}
