//! Effects live in hooks: timers, animation frames, the address bar.

pub mod use_deferred;
pub mod use_frame_bench;
pub mod use_inline_styles;
pub mod use_interval;
pub mod use_lab;
pub mod use_session;
pub mod use_share_link;
pub mod use_tween;
