//! Stories: short guided sequences through a lab, declared once as data.
//!
//! A [`Story`] is a few [`StoryStep`]s; each step is a scenario (as the lab's link parameters,
//! so it is exactly what a share link would open), one or two sentences, and what to look at:
//! a named part of the lab's page (`table`, `chart`, `drawing`, …) that the page highlights.
//! The lab stays live at every step: a step only loads its scenario. `story=ID` in a link (or
//! `data-story` on an embed) opens one; the landing page lists them under each lab.

/// A guided sequence through one lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Story {
    /// Unique within the lab, kebab-case: what `story=` names.
    pub id: &'static str,
    pub title: &'static str,
    /// The insight it leads to, in one sentence (on the landing page).
    pub summary: &'static str,
    pub steps: &'static [StoryStep],
}

/// One step of a story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoryStep {
    /// The scenario, as the lab's link parameters.
    pub query: &'static str,
    /// What happens and why, in a sentence or two.
    pub text: &'static str,
    /// The part of the page to look at (the page marks it with `data-look`): `drawing`,
    /// `table`, `chart` or `status`.
    pub look: &'static str,
}

/// The parts of a lab page a step may point at.
pub const LOOKS: &[&str] = &["drawing", "table", "chart", "status"];

impl Story {
    /// Step `index` (0-based), if there is one.
    pub fn step(&self, index: usize) -> Option<&'static StoryStep> {
        self.steps.get(index)
    }
}

/// The story `id` among `stories`, or a message naming the ones there are.
pub fn find(stories: &'static [Story], id: &str) -> Result<&'static Story, String> {
    stories.iter().find(|s| s.id == id).ok_or_else(|| {
        let ids: Vec<&str> = stories.iter().map(|s| s.id).collect();
        if ids.is_empty() {
            format!(
                "there is no story named {}: this lab has none yet",
                crate::schema::quote(id)
            )
        } else {
            format!(
                "there is no story named {}; this lab's stories are {}",
                crate::schema::quote(id),
                ids.join(", ")
            )
        }
    })
}
