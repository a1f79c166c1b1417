//! Every lab's parameter schema, checked the same way: links round-trip every preset exactly,
//! a bad parameter falls back alone with a notice naming it while every other parameter
//! survives, encoding is idempotent, and setting a parameter is atomic.

use proptest::prelude::*;
use syslab_core::schema::Kind;
use syslab_core::{Lab, LabScenario, query};

/// Values that no parameter should accept (each is checked against the parameter's reader
/// first: one it accepts is not garbage for that parameter).
const GARBAGE: &[&str] = &[
    "",
    "NaN",
    "-1",
    "1e999",
    "inf",
    "0x10",
    "twelve",
    "1.2.3",
    "99999999999999999999999",
    "%zz",
    "~~~,,,:::",
];

/// The scenarios every check starts from: the default, a link that sets every parameter, and
/// every preset.
fn bases<L: Lab>(rich: &[&str]) -> Vec<(String, L::Scenario)> {
    let mut out = vec![("default".to_owned(), L::Scenario::default())];
    for link in rich {
        let (everything, notices) = L::from_params(&query::parse_query(link));
        assert!(notices.is_empty(), "{}: {link}: {notices:?}", L::ID);
        out.push((link.to_string(), everything));
    }
    out.extend(
        L::presets()
            .into_iter()
            .map(|p| (p.id.to_owned(), p.scenario)),
    );
    out
}

fn round_trips<L: Lab>(rich: &[&str]) {
    let every_key: Vec<String> = bases::<L>(rich)
        .iter()
        .flat_map(|(_, s)| L::to_params(s))
        .map(|(k, _)| k)
        .collect();
    for p in L::schema() {
        assert!(
            every_key.iter().any(|k| k == p.key),
            "{}: the rich links leave {} at its default",
            L::ID,
            p.key
        );
    }
    for (name, scenario) in bases::<L>(rich) {
        LabScenario::check(&scenario).unwrap_or_else(|e| panic!("{}/{name}: {e}", L::ID));
        let params = L::to_params(&scenario);
        let (back, notices) = L::from_params(&params);
        assert!(notices.is_empty(), "{}/{name}: {notices:?}", L::ID);
        assert_eq!(back, scenario, "{}/{name}", L::ID);
        // The link written for what was read is the link that was read.
        assert_eq!(L::to_params(&back), params, "{}/{name}", L::ID);
        // And the same through a whole URL, as the CLI and the site read it.
        let url = format!("/{}?{}", L::ID, query::encode_query(&params));
        let (tagged, notices) = syslab_core::Scenario::from_url(&url).expect("a lab");
        assert!(notices.is_empty(), "{url}: {notices:?}");
        assert_eq!(tagged.to_params(), params, "{url}");
    }
}

/// Replaces parameter `idx` of `base`'s link by `garbage` (adding it if the link left it out)
/// and checks that only it falls back.
fn one_bad_parameter<L: Lab>(base: &L::Scenario, idx: usize, garbage: &str) {
    let schema = L::schema();
    let param = &schema[idx];
    if matches!(param.kind, Kind::Text) && garbage.is_empty() {
        // An empty list is a value for list parameters.
        return;
    }
    let mut probe = base.clone();
    if param.set(&mut probe, garbage).is_ok() {
        return;
    }
    let good = L::to_params(base);
    let others = good.iter().filter(|(k, _)| k != param.key).cloned();
    // The bad pair first and last: where it stands must not matter.
    let mut first = vec![(param.key.to_owned(), garbage.to_owned())];
    first.extend(others.clone());
    let mut last: Vec<(String, String)> = others.collect();
    last.push((param.key.to_owned(), garbage.to_owned()));
    for link in [first, last] {
        one_bad_link::<L>(&link, &good, param.key, garbage);
    }
}

fn one_bad_link<L: Lab>(
    link: &[(String, String)],
    good: &[(String, String)],
    key: &str,
    garbage: &str,
) {
    let (decoded, notices) = L::from_params(link);
    let keys: Vec<&str> = notices.iter().map(|n| n.param.as_str()).collect();
    // Every notice names the bad parameter (its fallback may need a second repair of itself).
    assert!(
        !keys.is_empty() && keys.iter().all(|k| *k == key),
        "{}: {key}={garbage:?}: {notices:?}",
        L::ID
    );
    let out = L::to_params(&decoded);
    for pair in good.iter().filter(|(k, _)| k != key) {
        assert!(
            out.contains(pair),
            "{}: {key}={garbage:?} lost {pair:?}: {out:?}",
            L::ID
        );
    }
    assert!(LabScenario::check(&decoded).is_ok());
}

fn every_bad_parameter<L: Lab>(rich: &[&str]) {
    for (_, base) in bases::<L>(rich) {
        for idx in 0..L::schema().len() {
            for garbage in GARBAGE {
                one_bad_parameter::<L>(&base, idx, garbage);
            }
            one_bad_parameter::<L>(&base, idx, &"x".repeat(100_000));
        }
    }
}

/// `set_param` with a bad value leaves the lab exactly as it was and names the parameter.
fn set_param_is_atomic<L: Lab>() {
    let mut lab = L::new(&L::Scenario::default()).expect("the default builds");
    let before = lab.scenario();
    for p in L::schema() {
        for garbage in GARBAGE {
            let mut probe = before.clone();
            if p.set(&mut probe, garbage).is_ok() {
                continue;
            }
            let err = lab
                .set_param(p.key, garbage)
                .expect_err("garbage is refused");
            assert!(err.to_string().contains(p.label), "{}: {err}", p.key);
            assert_eq!(lab.scenario(), before, "{}={garbage:?}", p.key);
        }
    }
    assert!(lab.set_param("no-such-parameter", "1").is_err());
    assert_eq!(lab.scenario(), before);
}

/// Every schema entry is described: a label, help a user can read, a unique key.
fn schema_is_described<L: Lab>() {
    let schema = L::schema();
    for (i, p) in schema.iter().enumerate() {
        assert!(
            !p.label.is_empty() && p.help.len() > 10,
            "{}: {}",
            L::ID,
            p.key
        );
        assert!(
            !schema[..i].iter().any(|q| q.key == p.key),
            "{}: {} twice",
            L::ID,
            p.key
        );
        assert!(!query::SHELL_PARAMS.contains(&p.key) && p.key != "preset");
    }
}

macro_rules! every_lab {
    ($($name:ident => $lab:ty, $rich:expr);+ $(;)?) => {
        $(
            mod $name {
                use super::*;
                type L = $lab;

                #[test]
                fn presets_round_trip() {
                    round_trips::<L>($rich);
                }

                #[test]
                fn a_bad_parameter_falls_back_alone() {
                    every_bad_parameter::<L>($rich);
                }

                #[test]
                fn setting_a_parameter_is_atomic() {
                    set_param_is_atomic::<L>();
                }

                #[test]
                fn the_schema_is_described() {
                    schema_is_described::<L>();
                }

                proptest! {
                    #![proptest_config(ProptestConfig::with_cases(64))]
                    /// Any one parameter replaced by arbitrary text: the others survive.
                    #[test]
                    fn any_garbage_in_one_parameter(idx in 0usize..64, garbage in ".{0,40}") {
                        let idx = idx % L::schema().len();
                        let rich = &bases::<L>($rich)[1].1;
                        one_bad_parameter::<L>(rich, idx, &garbage);
                    }
                }
            }
        )+
    };
}

// The rich links are chosen so that what depends on another parameter still applies when
// that parameter falls back (the ring's changes name nodes that exist in both node lists).
every_lab! {
    ring => syslab_core::ring::RingLab,
        &[
            "seed=9&nodes=A,B:2,C,D&vnodes=20&r=2&keys=500&prefix=k:&strategy=maglev&eps=0.5&ev=add~F~1,w~A~3&step=3",
            "nodes=A@0~8000000000000000,B&r=1&klist=x%0Ay%0Az",
        ];
    rate_limiter => syslab_core::ratelimit::RateLimitLab,
        &[
            "seed=9&alg=sliding_log&cmp=gcra,token_bucket,leaky_queue&limit=25&window=1500&burst=7&queue=30&by=user&per=3&inst=3&lb=random&store=racy&rtt=2500&dur=12000&tick=40&traffic=mix&rate=97.424694949&peak=33.25&clients=12&abusers=2&on=750&off=1250&step=17",
        ];
    resilience => syslab_core::resilience::ResilienceLab,
        &[
            "seed=9&cmp=1&depth=3&an=3&acap=5&aq=50&ams=2.5&bn=2&bcap=6&bq=40&bms=7.5&cn=5&ccap=3&cq=30&cms=4&dist=lognormal&sigma=1.25&rate=300&rvar=0.5&toa=900&tob=250&toc=150&deadline=1500&prop=1&ra=2&rb=1&rc=1&idem=0.9&backoff=fixed&base=20&cap=400&jitter=decorrelated&budget=1&bratio=0.3&bfloor=5&quota=20&qratio=0.2&brk=all&bfail=40&bwin=50&bmin=20&bwait=2000&bhalf=4&bslow=200&bslowrate=80&thr=1&k=1.5&twin=30&hedge=40&spike=2000:1000:3&herd=500&dur=8000&herdat=1000&tick=200&fault=b:slow5:1000:2000,b:err0.5:3000:1000,a:down:5000:500&step=7",
            "seed=4&cache=1&fix=lock&fixcmp=1&ttl=3000&hot=0.7&keys=5&rms=50&beta=2&tjit=0.3&stale=500&lease=400&poll=10&dur=5000&tick=100&step=3",
        ];
    replication => syslab_core::replication::ReplLab,
        &[
            "seed=9&n=5&r=2&w=2&policy=ap&repair=0&lat=constant&wmean=3.5&amean=1.25&loss=0.01&skew=20&timeout=300&clients=7&route=random&rate=50&writes=0.4&keys=30&hot=0.2&dur=4000&tick=20&ae=250&cmp=1&mode=leader&sync=semi&acks=2&reads=followers&detect=400&fence=0&cut=1-2.3@1000:3000,2%3E1&fail=500:crash:1,1500:restart:1&probes=5000&tmax=12&step=9",
        ];
    consensus => syslab_core::consensus::RaftLab,
        &[
            "seed=9&n=7&emin=120&emax=240&hb=40&lat=3.5&jit=2.25&disk=1.5&loss=0.05&dup=0.02&prevote=1&cq=1&unsafe=1&rate=12.5&reads=7.5&readmode=lease&dur=4000&tick=4&fault=500:crash:L,900:restart:2,1000:pause:3,1200:resume:3,1300:timeout:4,1500:cut:1-2,1600:cut:3%3E4,1700:heal:1-2,1800:heal:3%3E4,2000:part:12/345,2500:heal:all,2600:write&step=9",
        ];
}

/// The README's "URL parameters" list of each lab names every parameter of its schema (and
/// `syslab params LAB` prints the details), so the docs cannot fall behind the code.
#[test]
fn the_readme_lists_every_parameter() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md at the workspace root");
    for id in syslab_core::LAB_IDS {
        let heading = format!("## Using the {id} lab");
        let section = readme
            .split(&heading)
            .nth(1)
            .unwrap_or_else(|| panic!("README.md has no {heading:?}"));
        let section = section.split("\n## ").next().unwrap_or_default();
        let list = section
            .split("URL parameters:")
            .nth(1)
            .unwrap_or_else(|| panic!("{heading}: no \"URL parameters:\" paragraph"));
        let list = list.split("\n\n").next().unwrap_or_default();
        let params = syslab_core::Scenario::params(id).expect("registered");
        for p in params {
            assert!(
                list.contains(&format!("`{}`", p.key)),
                "README.md, {heading}: `{}` is missing from the URL parameters",
                p.key
            );
        }
    }
}
