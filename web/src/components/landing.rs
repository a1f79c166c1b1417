//! The landing page: every lab in the registry, the ready ones as links, each with its stories.

use syslab_core::{LABS, LabStatus};
use yew::prelude::*;

type StoriesOf = fn(&str) -> &'static [syslab_core::story::Story];

#[derive(Properties)]
pub struct LandingProps {
    /// Every lab's stories (the home bundle's), or `None` where a lab's bundle shows the
    /// landing page as a fallback: then no stories are listed.
    #[prop_or_default]
    pub stories: Option<StoriesOf>,
}

impl PartialEq for LandingProps {
    /// A page's bundle never changes: only whether it lists stories matters.
    fn eq(&self, other: &Self) -> bool {
        self.stories.is_some() == other.stories.is_some()
    }
}

#[function_component(Landing)]
pub fn landing(props: &LandingProps) -> Html {
    html! {
        <section class="landing">
            <h1>{ "System design you can touch" }</h1>
            <p class="lede">
                { "Seeded, deterministic simulations of the ideas behind large systems. Drag, tune and break them; every state is a link you can share or embed." }
            </p>
            <div class="lab-grid">
                { for LABS.iter().map(|lab| match lab.status {
                    LabStatus::Ready => html! {
                        <div class="lab-entry">
                            <a class="lab-card" data-lab={lab.id} href={lab.id}>
                                <h2>{ lab.title }</h2>
                                <p>{ lab.summary }</p>
                                <span class="card-cta">{ "Open the lab →" }</span>
                            </a>
                            { for props.stories.map(|of| html! { <Stories lab={lab.id} stories={of(lab.id)} /> }) }
                        </div>
                    },
                    LabStatus::Cli | LabStatus::Coming => html! {
                        <div class="lab-card" data-lab={lab.id} data-status="coming" aria-disabled="true">
                            <h2>{ lab.title }</h2>
                            <p>{ lab.summary }</p>
                            <span class="card-cta">{ "Coming soon" }</span>
                        </div>
                    },
                }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StoriesProps {
    lab: &'static str,
    stories: &'static [syslab_core::story::Story],
}

/// A lab's stories, each a link that opens the lab at the story's first step.
#[function_component(Stories)]
fn stories(props: &StoriesProps) -> Html {
    let stories = props.stories;
    if stories.is_empty() {
        return html! {};
    }
    html! {
        <ul class="lab-stories" aria-label="Stories">
            { for stories.iter().map(|story| html! {
                <li>
                    <a class="story-link" data-story={story.id} href={format!("{}?story={}", props.lab, story.id)}
                        title={story.summary}>{ story.title }</a>
                </li>
            }) }
        </ul>
    }
}
