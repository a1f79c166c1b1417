//! One file per widget. Components draw view models from syslab-core; they compute nothing
//! about the simulation themselves.

pub mod history_chart;
pub mod lab_controls;
pub mod lab_host;
pub mod landing;
pub mod load_panel;
pub mod notices;
pub mod replica_panel;
pub mod ring_guide;
pub mod ring_lab;
pub mod ring_settings;
pub mod ring_svg;
pub mod strategy_table;
