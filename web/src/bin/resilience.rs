//! The resilience lab's bundle (`/resilience`, `embed.html?lab=resilience`,
//! `data-syslab-lab="resilience"`).
syslab_web::bundle_main!(syslab_web::bundle::RESILIENCE);
