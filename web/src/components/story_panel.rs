//! A story's current step above the lab: its text, Back and Next, and a highlight on the part
//! of the lab the step points at (`data-look`). The lab stays live underneath: a step only
//! loads its scenario.

use syslab_core::story::Story;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct StoryPanelProps {
    pub story: &'static Story,
    /// The step shown, 0-based.
    pub index: usize,
    /// Go to a step (0-based), or close the story (`None`).
    pub onstory: Callback<Option<usize>>,
}

/// The attribute on the lab's root naming the part a step points at (style.css outlines it).
const LOOK_MARK: &str = "data-story-look";

#[function_component(StoryPanel)]
pub fn story_panel(props: &StoryPanelProps) -> Html {
    let panel = use_node_ref();
    let (story, index) = (props.story, props.index);
    let total = story.steps.len();
    let Some(step) = story.step(index) else {
        return html! {};
    };
    // Highlight what this step points at, inside this lab only (a page may hold several):
    // the lab's root says which part (`data-story-look`), and style.css outlines the element
    // marked `data-look` with that name, however often it is re-rendered.
    use_effect_with((panel.clone(), step.look), |(panel, look)| {
        let lab = panel
            .cast::<web_sys::Element>()
            .and_then(|el| el.closest(".lab").ok().flatten());
        if let Some(lab) = &lab {
            let _ = lab.set_attribute(LOOK_MARK, look);
        }
        move || {
            if let Some(lab) = lab {
                let _ = lab.remove_attribute(LOOK_MARK);
            }
        }
    });
    let go = |to: Option<usize>| {
        let onstory = props.onstory.clone();
        Callback::from(move |_: MouseEvent| onstory.emit(to))
    };
    html! {
        <section class="story-panel" ref={panel} data-testid="story" data-story={story.id}
            data-step={(index + 1).to_string()} aria-label={format!("Story: {}", story.title)}>
            <div class="story-head">
                <h3>{ story.title }</h3>
                <span class="story-count" data-testid="story-count">{ format!("Step {} of {total}", index + 1) }</span>
                <button class="story-close" aria-label="Close the story" data-testid="story-close" onclick={go(None)}>{ "×" }</button>
            </div>
            <p class="story-text" data-testid="story-text" aria-live="polite">{ step.text }</p>
            <div class="story-nav">
                <button data-testid="story-back" disabled={index == 0} onclick={go(index.checked_sub(1))}>{ "← Back" }</button>
                <button class="primary" data-testid="story-next" disabled={index + 1 >= total} onclick={go(Some(index + 1))}>{ "Next →" }</button>
            </div>
        </section>
    }
}
