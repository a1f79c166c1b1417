//! The cache lab's bundle (`/cache`, `embed.html?lab=cache`, `data-syslab-lab="cache"`).
syslab_web::bundle_main!(syslab_web::bundle::CACHE);
