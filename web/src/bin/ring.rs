//! The consistent-hashing lab's bundle (`/ring`, `embed.html?lab=ring`, `data-syslab-lab="ring"`).
syslab_web::bundle_main!(syslab_web::bundle::RING);
