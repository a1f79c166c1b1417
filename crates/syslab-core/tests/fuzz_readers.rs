//! A bounded, seeded fuzz of the two readers of outside input, the URL reader
//! (`Scenario::from_url`) and the JSON reader (`Scenario::from_json`), that runs in every
//! `cargo test` (a debug build, so arithmetic overflow panics too): hostile links and
//! documents never panic, every refusal says why, the same input always gives the same
//! output, notices stay few and short, and every scenario accepted passes its check.

use std::time::{Duration, Instant};

use serde_json::Value;
use syslab_core::rng::SplitMix64;
use syslab_core::schema::Kind;
use syslab_core::{LAB_IDS, Scenario, query};

/// The most notices one link may produce: one per parameter of the largest schema (the
/// resilience lab's 58, every one bad), and a few for unknown keys and presets, however often
/// each is repeated; and the longest a notice's message may be.
fn max_notices() -> usize {
    let largest = LAB_IDS
        .iter()
        .filter_map(|lab| Scenario::params(lab))
        .map(|params| params.len())
        .max()
        .unwrap_or(0);
    largest.max(46) + 4
}
const MAX_MESSAGE: usize = 300;

/// Reads `url` twice and checks everything the readers promise.
#[track_caller]
fn check_url(url: &str) -> Option<Scenario> {
    let first = Scenario::from_url(url);
    let second = Scenario::from_url(url);
    let shown: String = url.chars().take(200).collect();
    assert_eq!(first, second, "not deterministic: {shown}");
    match first {
        Err(err) => {
            assert!(
                !err.to_string().trim().is_empty(),
                "a silent refusal: {shown}"
            );
            None
        }
        Ok((scenario, notices)) => {
            assert!(
                notices.len() <= max_notices(),
                "{} notices: {shown}",
                notices.len()
            );
            for notice in &notices {
                let len = notice.to_string().chars().count();
                assert!(
                    len < MAX_MESSAGE && !notice.message.is_empty(),
                    "a notice of {len} characters: {shown}: {}",
                    notice.to_string().chars().take(400).collect::<String>()
                );
            }
            if let Err(err) = scenario.check() {
                panic!("accepted a scenario that fails its check ({err}): {shown}");
            }
            Some(scenario)
        }
    }
}

/// Reads `text` twice as a scenario file and checks what the reader promises.
#[track_caller]
fn check_json(text: &str) {
    let first = Scenario::from_json(text);
    let second = Scenario::from_json(text);
    let shown: String = text.chars().take(200).collect();
    assert_eq!(first, second, "not deterministic: {shown}");
    match first {
        Err(err) => assert!(!err.to_string().trim().is_empty(), "silent: {shown}"),
        Ok(scenario) => {
            if let Err(err) = scenario.check() {
                panic!("accepted a file that fails its check ({err}): {shown}");
            }
        }
    }
}

fn link(lab: &str, query: &str) -> String {
    format!("/{lab}?{query}")
}

#[test]
fn the_issue_reproducers() {
    for url in [
        "/load-balancer?ev=1:0:down",
        "/load-balancer?hc=0&tick=100&l7=1&spool=3&dur=15000&ev=45000:1:slow2",
        "/load-balancer?rate=10000000&hop=1000000&dur=10000&tick=10&hc=0",
        "/load-balancer?rate=10000000&cmp=1",
        "/rate-limiter?peak=97424.694949",
        "/load-balancer?rate=10000.5",
        "/load-balancer?rate=8996.548163",
        "/cache?policy=abc&cmp=lru,arc,belady",
    ] {
        let scenario = check_url(url).expect("every lab reads any link");
        assert_eq!(
            url.trim_start_matches('/').split('?').next(),
            Some(scenario.lab_id())
        );
    }
    // The page decides the lab; `lab=` only chooses it on the embed page.
    let cache = check_url("/cache?lab=ring&size=5").expect("a cache");
    assert_eq!(cache.lab_id(), "cache");
    let (_, notices) = Scenario::from_url("/cache?lab=ring&size=5").expect("a cache");
    assert!(notices.is_empty(), "{notices:?}");
    // The exact values of the issue come back as they were written.
    for (url, key, value) in [
        ("/rate-limiter?peak=97424.694949", "peak", "97424.694949"),
        ("/load-balancer?rate=10000.5", "rate", "10000.5"),
        ("/load-balancer?rate=8996.548163", "rate", "8996.548163"),
    ] {
        let scenario = check_url(url).expect("read");
        assert!(
            scenario
                .to_params()
                .contains(&(key.to_owned(), value.to_owned())),
            "{url}: {:?}",
            scenario.to_params()
        );
    }
}

#[test]
fn a_ring_link_with_too_many_changes_is_refused_quickly() {
    let events: Vec<String> = (0..1_100).map(|i| format!("add~N{i}~1")).collect();
    let url = link("ring", &format!("ev={}", events.join(",")));
    let start = Instant::now();
    let scenario = check_url(&url).expect("the ring");
    let (_, notices) = Scenario::from_url(&url).expect("the ring");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert!(notices.iter().any(|n| n.param == "ev"), "{notices:?}");
    let Scenario::Ring(ring) = scenario else {
        panic!("not the ring")
    };
    assert!(ring.events.len() <= 32, "{} changes", ring.events.len());
}

/// A link that repeats a bad parameter a thousand times, or gives a thousand unknown ones,
/// still yields a few notices.
#[test]
fn repeated_parameters_make_few_notices() {
    for lab in LAB_IDS {
        let params = Scenario::params(lab).expect("a lab");
        let bad: Vec<String> = params.iter().map(|p| format!("{}=%zz", p.key)).collect();
        let repeated = vec![bad.join("&"); 1_000].join("&");
        check_url(&link(lab, &repeated));
        let unknown: Vec<String> = (0..1_000).map(|i| format!("x{i}=1")).collect();
        check_url(&link(lab, &unknown.join("&")));
        check_url(&link(lab, &vec!["preset=nope"; 1_000].join("&")));
    }
}

/// A scenario file nested 100,000 deep is an error, not a stack overflow.
#[test]
fn deep_json_is_an_error() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let deep = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        check_json(&deep);
        for lab in LAB_IDS {
            check_json(&format!("{{\"lab\":\"{lab}\",\"config\":{deep}}}"));
            check_json(&format!("{{\"config\":{deep},\"lab\":\"{lab}\"}}"));
        }
    }
}

fn pick<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

/// Characters a hostile link might hold, some of them several bytes long.
const ALPHABET: &[char] = &[
    'a', 'Z', '0', '9', '~', ',', ':', '@', '.', '-', '+', '%', '&', '=', '?', '#', '/', ' ', '\n',
    '\0', 'é', '\u{feff}', '\u{202e}', '😀', '\u{ffff}',
];

fn random_text(rng: &mut SplitMix64, max_len: u64) -> String {
    (0..rng.below(max_len + 1))
        .map(|_| *pick(rng, ALPHABET))
        .collect()
}

/// A value for a parameter of `kind`, hostile one time in two.
fn hostile_value(rng: &mut SplitMix64, key: &str, kind: Kind) -> String {
    match rng.below(16) {
        0 => pick(
            rng,
            &[
                "NaN",
                "inf",
                "-inf",
                "1e308",
                "1e-300",
                "-0",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775808",
                "4294967295",
                "4294967296",
                "0.0000000000001",
                "1.0000000000000001",
                "99999999999999999999999999999",
                "",
            ],
        )
        .to_string(),
        1 => random_text(rng, 30),
        2 => {
            // Percent escapes: valid, invalid, truncated and of invalid UTF-8.
            let bytes: Vec<String> = (0..1 + rng.below(8))
                .map(|_| match rng.below(4) {
                    0 => "%zz".to_owned(),
                    1 => "%E2%82".to_owned(),
                    2 => "%".to_owned(),
                    _ => format!("%{:02X}", rng.below(256)),
                })
                .collect();
            bytes.concat()
        }
        3 if rng.below(8) == 0 => "9".repeat(100_000),
        4 => {
            // A long list of whatever the parameter takes, or of junk.
            let n = pick(rng, &[33_u64, 100, 1_000, 5_000]);
            let items: Vec<String> = (0..*n)
                .map(|i| match (key, i % 3) {
                    ("ev", 0) => format!("add~N{i}~1"),
                    ("ev", 1) => format!("{}:1:down", i * 10),
                    ("ev", _) => format!("crash@{i}"),
                    _ => format!("{i}"),
                })
                .collect();
            items.join(",")
        }
        _ => match kind {
            Kind::Int { min, max } => {
                let near = min.saturating_add(rng.below(100));
                pick(rng, &[min, max, near]).to_string()
            }
            Kind::Num { min, max } => {
                let v = min + rng.unit_f64() * (max - min);
                syslab_core::schema::number(v)
            }
            Kind::Flag => pick(rng, &["1", "0"]).to_string(),
            Kind::Choice(options) => pick(rng, options).id.to_owned(),
            Kind::Text => random_text(rng, 12),
        },
    }
}

/// A hostile link to one of the labs (or to none).
fn hostile_link(rng: &mut SplitMix64) -> String {
    let lab = *pick(rng, LAB_IDS);
    let path = match rng.below(10) {
        0 => format!("/embed.html?lab={lab}&"),
        1 => "/no-such-lab?".to_owned(),
        2 => format!("https://example.com/a/{lab}/?"),
        _ => format!("/{lab}?"),
    };
    let params = Scenario::params(lab).expect("a lab");
    let mut pairs: Vec<String> = Vec::new();
    for _ in 0..rng.below(12) {
        let (key, kind) = match rng.below(8) {
            0 => (random_text(rng, 6), Kind::Text),
            1 => ("preset".to_owned(), Kind::Text),
            _ => {
                let info = pick(rng, &params);
                let kind = syslab_core::schema::Kind::Text;
                (info.key.to_owned(), kind_of(lab, info.key).unwrap_or(kind))
            }
        };
        let value = hostile_value(rng, &key, kind);
        let key = match rng.below(10) {
            0 => key.bytes().map(|b| format!("%{b:02x}")).collect(),
            1 => format!("{key}+"),
            _ => key,
        };
        let pair = match rng.below(12) {
            0 => key,
            1 => format!("{key}={}", query::encode(&value)),
            2 => format!("{key}=={value}"),
            _ => format!("{key}={value}"),
        };
        pairs.push(pair);
    }
    if rng.below(5) == 0 && !pairs.is_empty() {
        // Repeated keys: the same pair again later.
        let again = pick(rng, &pairs).clone();
        pairs.push(again);
    }
    format!("{path}{}", pairs.join("&"))
}

/// The kind of parameter `key` of lab `lab`.
fn kind_of(lab: &str, key: &str) -> Option<Kind> {
    use syslab_core::Lab;
    fn find<L: Lab>(key: &str) -> Option<Kind> {
        L::param(key).map(|p| p.kind)
    }
    match lab {
        "ring" => find::<syslab_core::ring::RingLab>(key),
        "rate-limiter" => find::<syslab_core::ratelimit::RateLimitLab>(key),
        "cache" => find::<syslab_core::cache::CacheLab>(key),
        "load-balancer" => find::<syslab_core::lb::LoadBalancerLab>(key),
        "resilience" => find::<syslab_core::resilience::ResilienceLab>(key),
        "replication" => find::<syslab_core::replication::ReplLab>(key),
        _ => None,
    }
}

#[test]
fn hostile_links() {
    let mut rng = SplitMix64::new(0x5eed_0001);
    for _ in 0..20_000 {
        let url = hostile_link(&mut rng);
        check_url(&url);
    }
    // Pure noise after the path.
    for _ in 0..2_000 {
        let lab = *pick(&mut rng, LAB_IDS);
        let noise = random_text(&mut rng, 200);
        check_url(&format!("/{lab}?{noise}"));
    }
}

/// Replaces parts of `value` at random by values of the wrong type, extremes and unknown
/// fields.
fn mutate(value: &mut Value, rng: &mut SplitMix64, depth: u32) {
    if rng.below(8) == 0 {
        *value = match rng.below(12) {
            0 => Value::Null,
            1 => Value::from(true),
            2 => Value::from("text"),
            3 => Value::from(-1),
            4 => Value::from(u64::MAX),
            5 => Value::from(1e308),
            6 => Value::from(1e-300),
            7 => Value::from(0.1 + 0.2),
            8 => Value::from(0),
            9 => Value::Array(vec![Value::from(1); 3]),
            10 => Value::from(i64::MIN),
            _ => serde_json::json!({"unknown": 1}),
        };
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                mutate(item, rng, depth + 1);
            }
            if rng.below(10) == 0 && !items.is_empty() {
                let copy = items[0].clone();
                items.extend(std::iter::repeat_n(copy, 2_000));
            }
        }
        Value::Object(fields) => {
            for field in fields.values_mut() {
                mutate(field, rng, depth + 1);
            }
            if rng.below(6) == 0 {
                fields.insert("no_such_field".to_owned(), Value::from(1));
            }
            if rng.below(6) == 0 && depth > 0 {
                let keys: Vec<String> = fields.keys().cloned().collect();
                if !keys.is_empty() {
                    fields.remove(pick(rng, &keys));
                }
            }
        }
        _ => {}
    }
}

#[test]
fn hostile_json() {
    let mut rng = SplitMix64::new(0x5eed_0002);
    let mut documents: Vec<Value> = Vec::new();
    for lab in LAB_IDS {
        documents.push(
            serde_json::to_value(Scenario::example(lab).expect("a lab")).expect("serializes"),
        );
        for (_, scenario) in Scenario::presets(lab).expect("a lab") {
            documents.push(serde_json::to_value(scenario).expect("serializes"));
        }
    }
    for _ in 0..5_000 {
        let mut doc = pick(&mut rng, &documents).clone();
        mutate(&mut doc, &mut rng, 0);
        let mut text = serde_json::to_string(&doc).expect("JSON");
        match rng.below(8) {
            0 => text.insert(0, '\u{feff}'),
            1 => {
                let cut = rng.below(text.len() as u64 + 1) as usize;
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                text.truncate(cut);
            }
            2 => {
                let at = rng.below(text.len() as u64 + 1) as usize;
                if text.is_char_boundary(at) {
                    text.insert_str(at, &random_text(&mut rng, 4));
                }
            }
            3 => text = text.replacen("\"lab\"", "\"lab\":\"ring\",\"lab\"", 1),
            _ => {}
        }
        check_json(&text);
    }
}
