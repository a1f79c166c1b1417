//! The Embed panel's snippets carry exactly the scenario of the share link they are built
//! from: for every preset of every lab, the iframe's address and the script tag's `data-*`
//! attributes read back (as the embed page and `syslab-embed.js` read them) to the same
//! scenario, with no notice.

use syslab_core::embed::snippets;
use syslab_core::query::encode_query;
use syslab_core::{LAB_IDS, Scenario};

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `data-*` attributes of the snippet's div, but the lab's own, unescaped.
fn data_attributes(script: &str) -> Vec<(String, String)> {
    let div = &script[script.find("<div ").expect("a div")..];
    let mut out = Vec::new();
    let mut rest = div;
    while let Some(at) = rest.find(" data-") {
        rest = &rest[at + " data-".len()..];
        let eq = rest.find("=\"").expect("a value");
        let key = &rest[..eq];
        let value_start = eq + 2;
        let end = rest[value_start..].find('"').expect("a closing quote") + value_start;
        if key != "syslab-lab" {
            out.push((key.to_owned(), unescape(&rest[value_start..end])));
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_presets_snippets_read_back_to_its_scenario() {
    let mut checked = 0;
    for lab in LAB_IDS {
        for (preset, scenario) in Scenario::presets(lab).expect("a lab") {
            let share = format!(
                "https://example.org/s/{lab}?{}",
                encode_query(&scenario.to_params())
            );
            let s = snippets(&share).unwrap_or_else(|| panic!("{lab}/{}: no snippets", preset.id));
            let (from_div, notices) =
                Scenario::from_params(lab, &data_attributes(&s.script)).unwrap();
            assert!(notices.is_empty(), "{lab}/{}: {notices:?}", preset.id);
            assert_eq!(from_div, scenario, "{lab}/{}: script tag", preset.id);
            let src = s.iframe.split('"').nth(1).expect("a src");
            let (from_frame, notices) = Scenario::from_url(&unescape(src)).unwrap();
            assert!(notices.is_empty(), "{lab}/{}: {notices:?}", preset.id);
            assert_eq!(from_frame, scenario, "{lab}/{}: iframe", preset.id);
            assert!(s.cli.ends_with(&format!("{share}'")));
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}
