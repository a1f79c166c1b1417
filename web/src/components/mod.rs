//! One file per widget. Components draw view models from syslab-core; they compute nothing
//! about the simulation themselves.

pub mod cache_charts;
pub mod cache_lab;
pub mod cache_settings;
pub mod cache_strip;
pub mod cache_table;
pub mod cache_trace;
pub mod checks_panel;
pub mod history_chart;
pub mod lab_controls;
pub mod lab_frame;
pub mod lab_header;
pub mod lab_host;
pub mod landing;
pub mod lb_chart;
pub mod lb_diagram;
pub mod lb_lab;
pub mod lb_settings;
pub mod lb_table;
pub mod load_panel;
pub mod notices;
pub mod number_field;
pub mod ratelimit_lab;
pub mod ratelimit_lanes;
pub mod ratelimit_settings;
pub mod ratelimit_table;
pub mod replica_panel;
pub mod ring_guide;
pub mod ring_lab;
pub mod ring_settings;
pub mod ring_svg;
pub mod run_button;
pub mod schema_field;
pub mod select_field;
pub mod story_panel;
pub mod strategy_table;
