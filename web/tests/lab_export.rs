//! Browser tests of a lab's Embed panel: the iframe and script-tag snippets carry exactly the
//! share link's parameters, and the command line reads back as the same scenario.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn embed_snippets_carry_the_share_links_parameters() {
    let root = mount_lab("cache", &[("size", "40"), ("policy", "sieve")]);
    find(&root, ".lab[data-lab=cache][data-ready=true]").await;
    assert_eq!(count(&root, "[data-testid=embed-panel]"), 0);
    click(&root, "[data-testid=embed]").await;
    let share: HtmlInputElement = find(&root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    let share = share.value();
    let query = share.split_once('?').map_or("", |(_, q)| q).to_owned();
    assert!(query.contains("size=40"), "{share}");

    let iframe: HtmlTextAreaElement = find(&root, "[data-testid=embed-iframe]")
        .await
        .dyn_into()
        .unwrap();
    let iframe = iframe.value();
    let expected = format!(
        "http://example.test/embed.html?lab=cache&amp;{}",
        query.replace('&', "&amp;")
    );
    assert!(
        iframe.starts_with(&format!("<iframe src=\"{expected}\"")),
        "{iframe}"
    );

    let script: HtmlTextAreaElement = find(&root, "[data-testid=embed-script]")
        .await
        .dyn_into()
        .unwrap();
    let script = script.value();
    assert!(
        script.starts_with("<script src=\"http://example.test/syslab-embed.js\" async></script>"),
        "{script}"
    );
    assert!(
        script.contains("<div data-syslab-lab=\"cache\""),
        "{script}"
    );
    assert!(script.contains(" data-size=\"40\""), "{script}");
    assert!(script.contains(" data-policy=\"sieve\""), "{script}");
    // One attribute per parameter of the link.
    assert_eq!(
        script.matches(" data-").count(),
        1 + query.split('&').count(),
        "{script}"
    );

    // The command runs the share link, which `syslab run` reads as the same scenario.
    let cli: HtmlTextAreaElement = find(&root, "[data-testid=embed-cli]")
        .await
        .dyn_into()
        .unwrap();
    assert_eq!(cli.value(), format!("syslab run '{share}'"));
    let (scenario, notices) = syslab_core::Scenario::from_url(&share).expect("a scenario");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(scenario.lab_id(), "cache");
    assert_eq!(
        syslab_core::query::encode_query(&scenario.to_params()),
        query
    );
}
