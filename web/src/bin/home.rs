//! The home bundle: the landing page, and a clear message for any lab id without a bundle of
//! its own (unknown, or not in the browser yet).
syslab_web::bundle_main!(syslab_web::bundle::HOME);
