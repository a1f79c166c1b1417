//! The replication lab's bundle (`/replication`, `embed.html?lab=replication`,
//! `data-syslab-lab="replication"`).
syslab_web::bundle_main!(syslab_web::bundle::REPLICATION);
