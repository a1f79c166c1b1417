//! Stories in the browser: `story=ID` opens the first step's scenario with its text; Next and
//! Back load each step exactly as a fresh link to it would (the share link says so), and the
//! step's part of the lab is highlighted; an unknown story is a message, never a blank lab.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use syslab_core::query::encode_query;
use syslab_core::story::find as find_story;
use syslab_core::{Scenario, stories};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

/// What the share link of a lab at step `index` of `story` must be: the step's scenario, as
/// the codec writes it, and the story's position.
fn expected_link(lab: &str, story: &str, index: usize) -> String {
    let s = find_story(stories(lab), story).unwrap();
    let pairs = syslab_core::query::parse_query(s.steps[index].query);
    let (scenario, notices) = Scenario::from_params(lab, &pairs).unwrap();
    assert!(notices.is_empty());
    let mut params = scenario.to_params();
    params.push((
        "story".to_owned(),
        if index == 0 {
            story.to_owned()
        } else {
            format!("{story}:{}", index + 1)
        },
    ));
    format!("http://example.test/{lab}?{}", encode_query(&params))
}

/// The part of the lab the open story points at: the lab root's `data-story-look`, which
/// must name an element of the lab marked `data-look`.
async fn looked_at(root: &web_sys::Element) -> String {
    let lab = find(root, ".lab[data-story-look]").await;
    let look = lab.get_attribute("data-story-look").unwrap();
    find(&lab, &format!("[data-look={look}]")).await;
    look
}

fn share_url(root: &web_sys::Element) -> String {
    root.query_selector("[data-testid=share-url]")
        .unwrap()
        .expect("a share link")
        .dyn_into::<HtmlInputElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn a_story_steps_forward_and_back_through_exact_scenarios() {
    let root = mount_lab("ring", &[("story", "why-vnodes")]);
    find(&root, "[data-testid=story]").await;
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 1 of 4");
    assert_eq!(share_url(&root), expected_link("ring", "why-vnodes", 0));
    // Step 1 points at the strategy table, which is highlighted.
    assert_eq!(looked_at(&root).await, "table");

    click(&root, "[data-testid=story-next]").await;
    settle().await;
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 2 of 4");
    assert_eq!(share_url(&root), expected_link("ring", "why-vnodes", 1));

    click(&root, "[data-testid=story-next]").await;
    click(&root, "[data-testid=story-next]").await;
    settle().await;
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 4 of 4");
    assert_eq!(share_url(&root), expected_link("ring", "why-vnodes", 3));
    // The last step adds a node: the moved-keys summary reports it, and it is the highlight.
    assert!(text(&root, "[data-testid=moved-summary]").contains("keys moved"));
    assert_eq!(
        looked_at(&root).await,
        "status",
        "the status line is highlighted"
    );

    click(&root, "[data-testid=story-back]").await;
    settle().await;
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 3 of 4");
    assert_eq!(share_url(&root), expected_link("ring", "why-vnodes", 2));

    // Closing the story keeps the lab as it is and drops the story from the link.
    click(&root, "[data-testid=story-close]").await;
    settle().await;
    assert_eq!(count(&root, "[data-testid=story]"), 0);
    assert!(!share_url(&root).contains("story="));
    assert_eq!(
        count(&root, ".lab[data-story-look]"),
        0,
        "no highlight left behind"
    );
}

#[wasm_bindgen_test]
async fn a_link_in_the_middle_of_a_story_keeps_its_own_scenario() {
    // A shared link: the story at step 2 with the scenario the user had changed.
    let root = mount_lab(
        "rate-limiter",
        &[("story", "boundary-burst:2"), ("limit", "12")],
    );
    find(&root, "[data-testid=story]").await;
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 2 of 3");
    let link = share_url(&root);
    assert!(link.contains("limit=12"), "{link}");
    assert!(
        link.contains("story=boundary-burst%3A2") || link.contains("story=boundary-burst:2"),
        "{link}"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_story_or_step_is_a_message_and_the_lab_still_runs() {
    let root = mount_lab("cache", &[("story", "no-such-story")]);
    find(&root, ".lab[data-lab=cache][data-ready=true]").await;
    let error = text(&root, "[data-testid=error]");
    assert!(
        error.contains("no-such-story") && error.contains("scan-flushes-lru"),
        "{error}"
    );
    assert_eq!(count(&root, "[data-testid=story]"), 0);

    let root = mount_lab("load-balancer", &[("story", "slow-server:9")]);
    find(&root, ".lab[data-lab=load-balancer][data-ready=true]").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("steps 1 to 3"), "{error}");
    assert_eq!(text(&root, "[data-testid=story-count]"), "Step 1 of 3");
}

#[wasm_bindgen_test]
async fn every_step_of_every_story_points_at_a_part_the_lab_has() {
    for lab in syslab_core::LAB_IDS {
        for story in stories(lab) {
            let root = mount_lab(lab, &[("story", story.id)]);
            find(&root, "[data-testid=story]").await;
            for (idx, step) in story.steps.iter().enumerate() {
                assert_eq!(
                    looked_at(&root).await,
                    step.look,
                    "{lab}/{} step {}",
                    story.id,
                    idx + 1
                );
                if idx + 1 < story.steps.len() {
                    click(&root, "[data-testid=story-next]").await;
                    settle().await;
                }
            }
            root.remove();
        }
    }
}
