//! The consensus lab's bundle (`/consensus`, `embed.html?lab=consensus`,
//! `data-syslab-lab="consensus"`).
syslab_web::bundle_main!(syslab_web::bundle::CONSENSUS);
