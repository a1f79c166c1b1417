//! The load-balancer lab's bundle (`/load-balancer`, `embed.html?lab=load-balancer`,
//! `data-syslab-lab="load-balancer"`).
syslab_web::bundle_main!(syslab_web::bundle::LOAD_BALANCER);
