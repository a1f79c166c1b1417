//! Lab state for the shell: what `use_reducer` holds. The simulations and their actions live in
//! syslab-core behind its `Lab` contract; the one [`session::Session`] routes user intent to
//! any of them and keeps messages for the UI.

pub mod session;
