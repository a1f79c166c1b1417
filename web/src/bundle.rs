//! Bundles: which labs one wasm file links.
//!
//! Every page downloads one bundle, chosen by `syslab-loader.js` from the page's path (the site),
//! its `lab=` parameter (`embed.html`) or its `data-syslab-lab` attribute (script-tag embeds),
//! before any wasm loads. A bundle is a binary of this crate (`src/bin/*.rs`) that passes one
//! [`Bundle`] to [`crate::start`]; the linker then drops every lab the bundle does not name, so
//! adding a lab never makes another lab's page heavier.

use yew::prelude::*;

use crate::components::cache_lab::CacheLabView;
use crate::components::consensus_lab::ConsensusLabView;
use crate::components::lab_host::LabHostProps;
use crate::components::lb_lab::LbLabView;
use crate::components::ratelimit_lab::RateLimitLabView;
use crate::components::repl_lab::ReplLabView;
use crate::components::resilience_lab::ResilienceLabView;
use crate::components::ring_lab::RingLabView;
use syslab_core::cache::CacheLab;
use syslab_core::consensus::RaftLab;
use syslab_core::lb::LoadBalancerLab;
use syslab_core::ratelimit::RateLimitLab;
use syslab_core::replication::ReplLab;
use syslab_core::resilience::ResilienceLab;
use syslab_core::ring::RingLab;
use syslab_core::{Lab, LabStatus};

/// One lab a bundle links: its registry id and the function that reads its parameters and
/// mounts its component. Each entry names only its own lab's types (never the `Scenario` enum,
/// whose every method would link every lab), so a bundle links only its labs' code.
pub struct LabEntry {
    pub id: &'static str,
    pub mount: fn(&LabHostProps) -> Html,
}

/// The labs one wasm file links.
#[derive(Clone, Copy)]
pub struct Bundle {
    /// The bundle's name: the files are `syslab-<name>.js` and `syslab-<name>_bg.wasm`.
    pub name: &'static str,
    pub labs: &'static [LabEntry],
    /// Every lab's stories, for the landing page's lists: only the home bundle names it, so a
    /// lab's page does not link the other labs' story texts.
    pub stories: Option<fn(&str) -> &'static [syslab_core::story::Story]>,
}

impl PartialEq for Bundle {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl std::fmt::Debug for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Bundle").field(&self.name).finish()
    }
}

impl Bundle {
    /// The entry of lab `id`, if this bundle links it.
    pub fn entry(&self, id: &str) -> Option<&'static LabEntry> {
        self.labs.iter().find(|entry| entry.id == id)
    }

    /// Whether this bundle's `mount_all` takes an element asking for lab `id`: the labs it
    /// links, and for the home bundle (which links none) every id that has no bundle of its
    /// own, so an unknown or unfinished lab still gets a clear message instead of a blank box.
    pub fn mounts(&self, id: &str) -> bool {
        if self.labs.is_empty() {
            syslab_core::lab_info(id).is_none_or(|lab| lab.status != LabStatus::Ready)
        } else {
            self.entry(id).is_some()
        }
    }
}

/// The landing page, and the fallback for ids without a bundle of their own.
pub const HOME: Bundle = Bundle {
    name: "home",
    labs: &[],
    stories: Some(syslab_core::stories),
};

/// The consistent-hashing lab.
pub const RING: Bundle = Bundle {
    name: "ring",
    labs: &[RING_LAB],
    stories: None,
};

/// The rate-limiter lab.
pub const RATE_LIMITER: Bundle = Bundle {
    name: "rate-limiter",
    labs: &[RATE_LIMITER_LAB],
    stories: None,
};

/// The load-balancer lab.
pub const LOAD_BALANCER: Bundle = Bundle {
    name: "load-balancer",
    labs: &[LOAD_BALANCER_LAB],
    stories: None,
};

/// The cache lab.
pub const CACHE: Bundle = Bundle {
    name: "cache",
    labs: &[CACHE_LAB],
    stories: None,
};

/// The resilience lab.
pub const RESILIENCE: Bundle = Bundle {
    name: "resilience",
    labs: &[RESILIENCE_LAB],
    stories: None,
};

/// The replication lab.
pub const REPLICATION: Bundle = Bundle {
    name: "replication",
    labs: &[REPLICATION_LAB],
    stories: None,
};

/// The consensus lab.
pub const CONSENSUS: Bundle = Bundle {
    name: "consensus",
    labs: &[CONSENSUS_LAB],
    stories: None,
};

/// Every lab: what the browser tests mount (no page downloads this).
pub const ALL: Bundle = Bundle {
    name: "all",
    labs: &[
        RING_LAB,
        RATE_LIMITER_LAB,
        CACHE_LAB,
        LOAD_BALANCER_LAB,
        RESILIENCE_LAB,
        REPLICATION_LAB,
        CONSENSUS_LAB,
    ],
    stories: None,
};

const RING_LAB: LabEntry = LabEntry {
    id: "ring",
    mount: |host| {
        let (scenario, notices) = <RingLab as Lab>::from_params(&host.params);
        html! {
            <RingLabView
                scenario={scenario}
                notices={notices}
                mode={host.mode}
                base={host.base.clone()}
                bench={param(host, "bench") == Some("drag")}
                page={page::<RingLab>(host)}
                settings={settings(host)}
            />
        }
    },
};

const RATE_LIMITER_LAB: LabEntry = LabEntry {
    id: "rate-limiter",
    mount: |host| {
        let (scenario, notices) = <RateLimitLab as Lab>::from_params(&host.params);
        html! {
            <RateLimitLabView scenario={scenario} notices={notices} mode={host.mode} base={host.base.clone()} settings={settings(host)} />
        }
    },
};

const CACHE_LAB: LabEntry = LabEntry {
    id: "cache",
    mount: |host| {
        let (scenario, notices) = <CacheLab as Lab>::from_params(&host.params);
        html! {
            <CacheLabView scenario={scenario} notices={notices} mode={host.mode} base={host.base.clone()} settings={settings(host)} />
        }
    },
};

const LOAD_BALANCER_LAB: LabEntry = LabEntry {
    id: "load-balancer",
    mount: |host| {
        let (scenario, notices) = <LoadBalancerLab as Lab>::from_params(&host.params);
        html! {
            <LbLabView
                scenario={scenario}
                notices={notices}
                mode={host.mode}
                base={host.base.clone()}
                bench={param(host, "bench") == Some("play")}
                settings={settings(host)}
            />
        }
    },
};

const RESILIENCE_LAB: LabEntry = LabEntry {
    id: "resilience",
    mount: |host| {
        let (scenario, notices) = <ResilienceLab as Lab>::from_params(&host.params);
        html! {
            <ResilienceLabView scenario={scenario} notices={notices} mode={host.mode} base={host.base.clone()} settings={settings(host)} />
        }
    },
};

const REPLICATION_LAB: LabEntry = LabEntry {
    id: "replication",
    mount: |host| {
        let (scenario, notices) = <ReplLab as Lab>::from_params(&host.params);
        html! {
            <ReplLabView scenario={scenario} notices={notices} mode={host.mode} base={host.base.clone()} settings={settings(host)} />
        }
    },
};

const CONSENSUS_LAB: LabEntry = LabEntry {
    id: "consensus",
    mount: |host| {
        let (scenario, notices) = <RaftLab as Lab>::from_params(&host.params);
        html! {
            <ConsensusLabView scenario={scenario} notices={notices} mode={host.mode} base={host.base.clone()} settings={settings(host)} />
        }
    },
};

/// Whether the page asks for the settings panel: `controls=0` (or `off`, `none`, `false`) shows
/// the lab as a figure, with its play, step, reset and share controls only.
fn settings(host: &LabHostProps) -> bool {
    !matches!(
        param(host, "controls").map(str::trim),
        Some("0" | "off" | "none" | "false")
    )
}

/// The page's own parameters of lab `L` (such as the ring's `key`).
fn page<L: Lab>(host: &LabHostProps) -> Vec<(String, String)> {
    host.params
        .iter()
        .filter(|(k, _)| L::page_params().contains(&k.as_str()))
        .cloned()
        .collect()
}

fn param<'a>(host: &'a LabHostProps, key: &str) -> Option<&'a str> {
    host.params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}
