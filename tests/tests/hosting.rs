//! Hosting syslab (README "Hosting syslab"), in headless Chromium: every page under the strict
//! Content-Security-Policy, the blog post's embeds from another origin, and the iframe embed in
//! a sandbox. Like tests/e2e.rs, one browser at a time; cargo runs test binaries one after
//! another, so this file's browsers never overlap that file's either.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use syslab_e2e::{Browser, DistServer, Harness, Result, ServeOptions, csp, dist_dir, out_dir};

static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `body` with a fresh browser and a dist server answering as `options` say.
fn hosting(
    name: &str,
    options: ServeOptions,
    body: impl FnOnce(&Harness) -> Result<()>,
) -> Result<()> {
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let harness = Harness::start_with(name, options)?;
    harness.run(body)
}

fn ensure(ok: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(msg().into()) }
}

/// Each lab and an element its first render draws.
const LABS: [(&str, &str); 7] = [
    ("ring", "svg.ring"),
    ("rate-limiter", "svg.rl-lane"),
    ("cache", "svg.cache-strip"),
    ("load-balancer", "svg.lb-diagram"),
    ("resilience", "svg.res-chain"),
    ("replication", "svg.repl-diagram"),
    ("consensus", "svg.raft-circle"),
];

/// A mounted `lab` that has finished its first render and drawn `drawn`.
fn ready(lab: &str, drawn: &str) -> String {
    format!(".lab[data-lab={lab}][data-ready=true] {drawn}")
}

/// The console's Content-Security-Policy violations since the last read of the console.
fn csp_violations(b: &Browser) -> Result<Vec<String>> {
    Ok(b.console_log()?
        .into_iter()
        .filter(|line| line.contains("Content Security Policy"))
        .collect())
}

/// Says how `page` breaks the policy: the first few violations (often hundreds are the same).
fn breaks(page: &str, violations: &[String]) -> String {
    format!(
        "{page} breaks the policy {} times; the first:\n  {}",
        violations.len(),
        violations[..violations.len().min(3)].join("\n  ")
    )
}

/// Every `data-style` element's computed style reached its CSSOM style (the way around the
/// policy's ban on `style` attributes, web/src/hooks/use_inline_styles.rs). Returns how many
/// there are.
fn styles_applied(b: &Browser, page: &str) -> Result<u64> {
    let found = b.execute(
        "const all = Array.from(document.querySelectorAll('[data-style]'));
         const bare = all.filter((e) => e.getAttribute('data-style').trim() !== ''
           && e.style.length === 0);
         return { all: all.length, bare: bare.slice(0, 3).map((e) => e.outerHTML.slice(0, 160)) };",
        &[],
    )?;
    let bare = found["bare"].as_array().cloned().unwrap_or_default();
    ensure(bare.is_empty(), || {
        format!("on {page}, elements have a data-style but no style: {bare:?}")
    })?;
    Ok(found["all"].as_u64().unwrap_or(0))
}

/// Waits until every `[data-syslab-lab]` div on the page holds its ready lab.
fn wait_for_script_tag_labs(b: &Browser, page: &str) -> Result<()> {
    b.wait_until(
        format!("every script-tag lab on {page} to be ready"),
        Duration::from_secs(40),
        |b| {
            let drawn: serde_json::Map<String, serde_json::Value> = LABS
                .iter()
                .map(|(lab, drawn)| ((*lab).to_owned(), (*drawn).into()))
                .collect();
            let missing = b.execute(
                "const drawn = arguments[0];
                 const divs = Array.from(document.querySelectorAll('[data-syslab-lab]'));
                 if (divs.length === 0) return ['(no [data-syslab-lab] div)'];
                 return divs.map((d) => d.dataset.syslabLab).filter((lab, i) =>
                   !divs[i].querySelector(`.lab[data-lab=\"${lab}\"][data-ready=true] ${drawn[lab]}`));",
                &[drawn.into()],
            )?;
            Ok(missing.as_array().is_some_and(Vec::is_empty).then_some(()))
        },
    )
}

/// Steps into the page's first `selector` iframe and waits for its ring lab.
fn wait_for_ring_in_frame(b: &Browser, selector: &str) -> Result<String> {
    let frame = b.wait_for(selector)?;
    b.switch_to_frame(&frame)?;
    let origin = b
        .wait_until(
            format!("a ready ring lab inside `{selector}`"),
            Duration::from_secs(30),
            |b| Ok(b.find_all(&ready("ring", "svg.ring"))?.first().cloned()),
        )
        .and_then(|_| b.execute("return self.origin;", &[]));
    b.switch_to_top()?;
    Ok(origin?.as_str().unwrap_or_default().to_owned())
}

/// Every page, with every lab, under the strict policy that README "Hosting syslab" gives:
/// each one renders its lab, applies its computed styles, and the browser reports no violation.
#[test]
fn every_page_works_under_the_strict_content_security_policy() -> Result<()> {
    let policy = csp::dist_policy(&dist_dir()?)?;
    println!("Content-Security-Policy: {policy}");
    let options = ServeOptions::default().header("Content-Security-Policy", &policy);
    hosting("csp", options, |h| {
        let b = &h.browser;
        let mut pages = vec![("/".to_owned(), ".lab-card[data-lab=ring]".to_owned())];
        for (lab, drawn) in LABS {
            pages.push((format!("/{lab}"), ready(lab, drawn)));
            pages.push((format!("/embed.html?lab={lab}"), ready(lab, drawn)));
        }
        // A story's panel marks the part of the lab each step points at.
        pages.push((
            "/ring?story=why-vnodes:1".to_owned(),
            "[data-testid=story][data-story=why-vnodes]".to_owned(),
        ));
        let mut styled = 0;
        for (page, selector) in &pages {
            h.open(page)?;
            b.wait_for(selector)
                .map_err(|e| e.context(format!("{page} under the policy")))?;
            styled += styles_applied(b, page)?;
            let violations = csp_violations(b)?;
            ensure(violations.is_empty(), || breaks(page, &violations))?;
        }
        ensure(styled > 0, || {
            "no page had a data-style element, so the styles check checked nothing".into()
        })?;

        // The blog post: its own stylesheet, the iframe and the four script-tag labs.
        let blog = "/examples/blog.html";
        h.open(blog)?;
        wait_for_script_tag_labs(b, blog)?;
        wait_for_ring_in_frame(b, "iframe.syslab-embed-frame")?;
        styles_applied(b, blog)?;
        let violations = csp_violations(b)?;
        ensure(violations.is_empty(), || breaks(blog, &violations))?;
        h.screenshot("csp-blog.png")?;

        // The policy is enforced and its violations reach the console: a style attribute
        // set from script is refused and reported.
        let colour = b.execute(
            "const probe = document.createElement('p');
             probe.setAttribute('style', 'color: rgb(1, 2, 3)');
             document.body.append(probe);
             return getComputedStyle(probe).color;",
            &[],
        )?;
        ensure(colour != "rgb(1, 2, 3)", || {
            "a style attribute set from script took effect: the policy is not enforced".into()
        })?;
        b.wait_until(
            "the console to report the refused style attribute",
            Duration::from_secs(5),
            |b| Ok((!csp_violations(b)?.is_empty()).then_some(())),
        )?;
        Ok(())
    })
}

/// A folder that plays another site: copies of the blog post and two small pages, their
/// syslab URLs pointing at `syslab` (an origin such as `http://127.0.0.1:41234`).
fn host_site(name: &str, syslab: &str, no_cors: &str) -> Result<PathBuf> {
    let dir = out_dir().join(format!("{name}-site-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let examples = dist_dir()?.join("examples");
    let blog = std::fs::read_to_string(examples.join("blog.html"))?
        .replace("\"../", &format!("\"{syslab}/"));
    ensure(blog.contains(&format!("{syslab}/syslab-embed.js")), || {
        "examples/blog.html no longer loads ../syslab-embed.js; update this test".into()
    })?;
    std::fs::write(dir.join("blog.html"), blog)?;
    std::fs::copy(examples.join("blog.css"), dir.join("blog.css"))?;
    let page = |body: &str| {
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>host</title>\
             </head><body>{body}</body></html>"
        )
    };
    std::fs::write(
        dir.join("sandbox.html"),
        page(&format!(
            "<iframe class=\"sandboxed\" sandbox=\"allow-scripts\" width=\"900\" height=\"700\" \
             src=\"{syslab}/embed.html?lab=ring&amp;nodes=4\"></iframe>"
        )),
    )?;
    std::fs::write(
        dir.join("no-cors.html"),
        page(&format!(
            "<div data-syslab-lab=\"ring\"></div><script src=\"{no_cors}/syslab-embed.js\" async>\
             </script>"
        )),
    )?;
    Ok(dir)
}

/// The blog post on another origin than syslab: its iframe and its four script-tag labs load
/// from the syslab host, which sends `Access-Control-Allow-Origin`; the iframe embed also works
/// inside `sandbox="allow-scripts"` (an opaque origin); and a syslab host without the header
/// gets a message in the div, not an empty box. The host site has its own strict policy, which
/// names syslab's origin.
#[test]
fn embeds_work_from_another_origin_and_in_a_sandbox() -> Result<()> {
    let options = ServeOptions::default().header("Access-Control-Allow-Origin", "*");
    hosting("cross-origin", options, |h| {
        let b = &h.browser;
        let no_cors = DistServer::start(&dist_dir()?)?;
        let site = host_site("cross-origin", &h.server.origin(), &no_cors.origin())?;
        // The host site has a strict policy of its own that names syslab's origins, as README
        // "Hosting syslab" says a host must.
        let syslab = format!("{} {}", h.server.origin(), no_cors.origin());
        let host_policy = format!(
            "default-src 'self'; script-src 'self' {syslab} 'wasm-unsafe-eval'; \
             style-src 'self' {syslab}; connect-src 'self' {syslab}; frame-src {syslab}; \
             object-src 'none'; base-uri 'none'"
        );
        let host = DistServer::start_with(
            &site,
            ServeOptions::default().header("Content-Security-Policy", &host_policy),
        )?;
        ensure(host.origin() != h.server.origin(), || {
            "the host site and syslab share an origin".into()
        })?;

        b.goto(&host.url("/blog.html"))?;
        wait_for_script_tag_labs(b, "the blog post on another origin")?;
        let origin = wait_for_ring_in_frame(b, "iframe.syslab-embed-frame")?;
        ensure(origin == h.server.origin(), || {
            format!(
                "the blog's iframe runs on {origin:?}, expected syslab's {}",
                h.server.origin()
            )
        })?;
        let violations = csp_violations(b)?;
        ensure(violations.is_empty(), || {
            breaks("the blog post on another origin", &violations)
        })?;
        h.screenshot("cross-origin-blog.png")?;

        b.goto(&host.url("/sandbox.html"))?;
        let origin = wait_for_ring_in_frame(b, "iframe.sandboxed")?;
        ensure(origin == "null", || {
            format!("the sandboxed iframe's origin is {origin:?}, expected the opaque \"null\"")
        })?;
        h.screenshot("sandboxed-iframe.png")?;

        b.goto(&host.url("/no-cors.html"))?;
        let message = b.wait_until(
            "the script-tag div to explain why a host without CORS headers cannot load it",
            Duration::from_secs(20),
            |b| {
                let text = b.text(&b.find("[data-syslab-lab=ring]")?)?;
                Ok(text.contains("could not load").then_some(text))
            },
        )?;
        println!("without the CORS header: {message}");
        ensure(message.contains("Access-Control-Allow-Origin"), || {
            format!("the message does not name the missing header: {message:?}")
        })?;
        drop(host);
        let _ = std::fs::remove_dir_all(&site);
        Ok(())
    })
}
