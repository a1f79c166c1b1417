//! The landing page: every lab in the registry, the ready ones as links.

use syslab_core::{LABS, LabStatus};
use yew::prelude::*;

#[function_component(Landing)]
pub fn landing() -> Html {
    html! {
        <section class="landing">
            <h1>{ "System design you can touch" }</h1>
            <p class="lede">
                { "Seeded, deterministic simulations of the ideas behind large systems. Drag, tune and break them; every state is a link you can share or embed." }
            </p>
            <div class="lab-grid">
                { for LABS.iter().map(|lab| match lab.status {
                    LabStatus::Ready => html! {
                        <a class="lab-card" data-lab={lab.id} href={lab.id}>
                            <h2>{ lab.title }</h2>
                            <p>{ lab.summary }</p>
                            <span class="card-cta">{ "Open the lab →" }</span>
                        </a>
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
