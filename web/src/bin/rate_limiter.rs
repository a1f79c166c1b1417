//! The rate-limiter lab's bundle (`/rate-limiter`, `embed.html?lab=rate-limiter`,
//! `data-syslab-lab="rate-limiter"`).
syslab_web::bundle_main!(syslab_web::bundle::RATE_LIMITER);
