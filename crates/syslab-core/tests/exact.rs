//! A share link is exact: for every lab, any link the reader accepts is written back as a
//! link that decodes to the same scenario (`url(link)` runs like `link`) and is written the
//! same way again (`url(url(link)) == url(link)`); and every scenario the JSON reader accepts
//! has a link that gives it back with no notices.

use proptest::prelude::*;
use serde_json::Value;
use syslab_core::rng::SplitMix64;
use syslab_core::schema::Kind;
use syslab_core::{Lab, Scenario, query};

/// Values some parameter might take for a number, each a way a link can go wrong: too many
/// digits, too many decimals, exponents, tiny and huge values, signs and padding.
const NUMBER_TRICKS: &[&str] = &[
    "1.0000000000000001",
    "0.30000000000000004",
    "1e-300",
    "0.0000000000001",
    "0.000000000001",
    "-0",
    "+0",
    "-0.0",
    "0",
    "00000000000000000001",
    "1.000000000000000000000000000000",
    "123456789012345.6",
    "999999999999999",
    "9999999999999999",
    ".5",
    "5.",
    "+7",
    "NaN",
    "inf",
    "1e3",
    "",
    " ",
];

/// A decimal with `digits` significant digits near `value`, written plainly (no exponent).
fn plain_decimal(value: f64, digits: usize) -> String {
    let sci = format!("{:.*e}", digits.max(1) - 1, value);
    let (mantissa, exp) = sci.split_once('e').expect("scientific notation");
    let exp: i32 = exp.parse().expect("an exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

fn pick<'a, T>(rng: &mut SplitMix64, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

/// A random value for a parameter of `kind`: mostly one it accepts, sometimes a trick.
fn random_value(rng: &mut SplitMix64, kind: Kind, texts: &[String]) -> String {
    if rng.below(8) == 0 {
        return pick(rng, NUMBER_TRICKS).to_string();
    }
    match kind {
        Kind::Int { min, max } => match rng.below(4) {
            0 => min.to_string(),
            1 => max.to_string(),
            2 => min.saturating_add(rng.below(10)).min(max).to_string(),
            _ => {
                let span = max - min;
                let offset = if span == u64::MAX {
                    rng.next_u64()
                } else {
                    rng.below(span + 1)
                };
                (min + offset).to_string()
            }
        },
        Kind::Num { min, max } => {
            let value = match rng.below(6) {
                0 => min,
                1 => max,
                2 => min + rng.unit_f64() * (max - min).min(10.0),
                _ => min + rng.unit_f64() * (max - min),
            };
            let text = plain_decimal(value, 1 + rng.below(15) as usize);
            match rng.below(6) {
                0 => format!("{text}000"),
                1 => format!("+{text}"),
                2 => format!("00{text}"),
                _ => text,
            }
        }
        Kind::Flag => pick(rng, &["0", "1", "true", "false", "on", "off", "yes"]).to_string(),
        Kind::Choice(options) => {
            if rng.below(10) == 0 {
                "not-a-choice".to_owned()
            } else {
                pick(rng, options).id.to_owned()
            }
        }
        Kind::Text => {
            if texts.is_empty() || rng.below(10) == 0 {
                pick(rng, &["", ",", "x", "1:2:3", "~~", "a,b,c"]).to_string()
            } else {
                pick(rng, texts).clone()
            }
        }
    }
}

/// Every value a preset's link gives each parameter, for parameters whose text has a syntax
/// of its own.
fn preset_texts<L: Lab>() -> Vec<Vec<String>> {
    let links: Vec<Vec<(String, String)>> = L::presets()
        .iter()
        .map(|p| L::to_params(&p.scenario))
        .collect();
    L::schema()
        .iter()
        .map(|p| {
            let mut values: Vec<String> = links
                .iter()
                .flatten()
                .filter(|(k, _)| k == p.key)
                .map(|(_, v)| v.clone())
                .collect();
            values.push((p.write)(&L::Scenario::default()));
            values
        })
        .collect()
}

/// A link built from a preset or the default with a few parameters set at random.
fn random_link<L: Lab>(seed: u64) -> Vec<(String, String)> {
    let mut rng = SplitMix64::new(seed);
    let schema = L::schema();
    let texts = preset_texts::<L>();
    let presets = L::presets();
    let mut link = Vec::new();
    if !presets.is_empty() && rng.below(2) == 0 {
        link.push(("preset".to_owned(), pick(&mut rng, &presets).id.to_owned()));
    }
    for _ in 0..1 + rng.below(6) {
        let idx = rng.below(schema.len() as u64) as usize;
        let value = random_value(&mut rng, schema[idx].kind, &texts[idx]);
        link.push((schema[idx].key.to_owned(), value));
    }
    link
}

/// `url(link)` decodes to what `link` decodes to, and `url(url(link)) == url(link)`.
fn link_is_exact<L: Lab>(link: &[(String, String)]) -> Result<(), TestCaseError> {
    let (first, notices) = L::from_params(link);
    // A number the reader kept is the number the link says (std's parser is the reference):
    // digits are never dropped silently.
    for p in L::schema()
        .iter()
        .filter(|p| matches!(p.kind, Kind::Num { .. }))
    {
        let Some((_, text)) = link.iter().rev().find(|(k, _)| k == p.key) else {
            continue;
        };
        if notices
            .iter()
            .any(|n| n.param == p.key || n.param == "preset")
        {
            continue;
        }
        let kept = (p.write)(&first).parse::<f64>().ok();
        prop_assert_eq!(kept, text.trim().parse::<f64>().ok(), "{:?}", link);
    }
    let url = L::to_params(&first);
    // Through the text of a whole URL, as the site and the CLI read it.
    let text = format!("/{}?{}", L::ID, query::encode_query(&url));
    let (again, notices) = Scenario::from_url(&text).expect("a registered lab");
    prop_assert!(notices.is_empty(), "{:?} → {}: {:?}", link, text, notices);
    prop_assert_eq!(again.to_params(), url.clone(), "{:?} → {}", link, text);
    let (second, _) = L::from_params(&url);
    prop_assert_eq!(&second, &first, "{:?} → {}", link, text);
    Ok(())
}

/// The JSON pointers of every number in `value`.
fn number_leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Number(_) => out.push(path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                number_leaves(item, format!("{path}/{i}"), out);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                number_leaves(field, format!("{path}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Replaces a few numbers of `value` by values a link may not carry (whole numbers stay
/// whole most of the time, so that most documents are still accepted).
fn mutate_numbers(value: &mut Value, rng: &mut SplitMix64) {
    let mut leaves = Vec::new();
    number_leaves(value, String::new(), &mut leaves);
    for _ in 0..1 + rng.below(3) {
        if leaves.is_empty() {
            return;
        }
        let leaf = pick(rng, &leaves).clone();
        let Some(number) = value.pointer_mut(&leaf) else {
            continue;
        };
        let old = number.as_f64().unwrap_or(1.0);
        let new = match rng.below(12) {
            0 => 1e-300,
            1 => 1e-13,
            2 => 1e-12,
            3 => old * (1.0 + 1e-15),
            4 => old + 0.1 + 0.2,
            5 => old * 0.5,
            6 => old * 3.0 + 1.0,
            7 => -old,
            8 => 0.0,
            9 => rng.unit_f64() * old.abs().max(1.0),
            10 => old * 1.0001,
            _ => old + 1.0,
        };
        *number = if number.is_u64() && rng.below(10) != 0 {
            Value::from(new.round().clamp(0.0, 1e15) as u64)
        } else {
            serde_json::Number::from_f64(new).map_or(Value::Null, Value::Number)
        };
    }
}

/// A scenario the JSON reader accepts gives itself back through its link, with no notices.
fn json_has_an_exact_link<L: Lab>(seed: u64) -> Result<(), TestCaseError> {
    let mut rng = SplitMix64::new(seed);
    let mut scenarios = vec![L::Scenario::default()];
    scenarios.extend(L::presets().into_iter().map(|p| p.scenario));
    let base = pick(&mut rng, &scenarios).clone();
    let mut json = serde_json::to_value(&base).expect("a scenario serializes");
    if let Value::Object(fields) = &mut json {
        fields.insert("lab".to_owned(), Value::from(L::ID));
    }
    mutate_numbers(&mut json, &mut rng);
    let text = serde_json::to_string(&json).expect("JSON");
    let Ok(scenario) = Scenario::from_json(&text) else {
        return Ok(());
    };
    let params = scenario.to_params();
    let (back, notices) = Scenario::from_params(L::ID, &params).expect("a registered lab");
    prop_assert!(notices.is_empty(), "{}: {:?}", text, notices);
    // A link writes the current version; an older file's version is all that may differ.
    let without_version = |s: &Scenario| {
        let mut value = serde_json::to_value(s).expect("serializes");
        value.as_object_mut().map(|fields| fields.remove("version"));
        value
    };
    prop_assert_eq!(
        without_version(&back),
        without_version(&scenario),
        "{}",
        text
    );
    Ok(())
}

macro_rules! every_lab {
    ($($name:ident => $lab:ty;)+) => {
        $(
            mod $name {
                use super::*;
                type L = $lab;

                proptest! {
                    #![proptest_config(ProptestConfig {
                        cases: 4_000,
                        failure_persistence: None,
                        ..ProptestConfig::default()
                    })]

                    #[test]
                    fn any_accepted_link_is_written_exactly(seed in any::<u64>()) {
                        link_is_exact::<L>(&random_link::<L>(seed))?;
                    }

                    #[test]
                    fn any_accepted_json_has_an_exact_link(seed in any::<u64>()) {
                        json_has_an_exact_link::<L>(seed)?;
                    }
                }
            }
        )+
    };
}

every_lab! {
    ring => syslab_core::ring::RingLab;
    rate_limiter => syslab_core::ratelimit::RateLimitLab;
    cache => syslab_core::cache::CacheLab;
    load_balancer => syslab_core::lb::LoadBalancerLab;
    resilience => syslab_core::resilience::ResilienceLab;
    replication => syslab_core::replication::ReplLab;
}

/// Digits a link cannot keep are refused, not dropped: the link means what it says.
#[test]
fn extra_digits_are_refused() {
    for (lab, link) in [
        ("load-balancer", "rate=1.0000000000000001"),
        ("load-balancer", "rate=0.0000000000001"),
        ("rate-limiter", "peak=97424.6949490000001"),
    ] {
        let pairs = query::parse_query(link);
        let (scenario, notices) = Scenario::from_params(lab, &pairs).expect("a lab");
        assert_eq!(notices.len(), 1, "{lab}?{link}: {notices:?}");
        assert_eq!(
            scenario,
            Scenario::example(lab).expect("a lab"),
            "{lab}?{link}"
        );
    }
}

/// The JSON reader refuses what a link cannot carry, naming the parameter.
#[test]
fn json_the_link_cannot_carry_is_refused() {
    let err = Scenario::from_json(r#"{"lab":"load-balancer","config":{"rate":1e-300}}"#)
        .expect_err("a rate a link writes as 0");
    assert!(err.to_string().contains("rate"), "{err}");
}
