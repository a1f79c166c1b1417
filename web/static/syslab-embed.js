// syslab script-tag embed: <script src="https://…/syslab-embed.js" async></script> plus
// <div data-syslab-lab="ring" data-vnodes="50"></div> anywhere on the page. Each div becomes an
// independent lab configured by its data-* attributes (the same names as the URL parameters).
// Each lab's bundle is downloaded once, and only if the page has a div for it.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : location.href).href;
  var root = document.documentElement;
  if (!root.hasAttribute("data-syslab-base")) root.setAttribute("data-syslab-base", base);
  if (!document.querySelector("link[data-syslab-style]")) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = base + "style.css";
    link.setAttribute("data-syslab-style", "");
    document.head.appendChild(link);
  }
  // The labs that have a bundle (as in syslab-loader.js; crates/syslab-core/tests/loader.rs
  // checks both lists against the core's registry).
  var LAB_IDS = ["ring", "rate-limiter", "cache", "load-balancer", "resilience", "replication", "consensus"];
  var preloaded = {};
  // Asks at once for the bundle of every lab named in the page's divs, all in parallel with
  // the loader: without this each bundle would wait for the loader to arrive first. The
  // loader's own requests then take these responses (same URLs, same CORS mode), so each file
  // still downloads once. Unknown ids are left to the loader (it falls back to home).
  function preload(lab) {
    if (preloaded[lab] || LAB_IDS.indexOf(lab) < 0) return;
    preloaded[lab] = true;
    var js = document.createElement("link");
    js.rel = "modulepreload";
    js.href = base + "syslab-" + lab + ".js";
    var wasm = document.createElement("link");
    wasm.rel = "preload";
    wasm.as = "fetch";
    wasm.crossOrigin = "anonymous";
    wasm.href = base + "syslab-" + lab + "_bg.wasm";
    document.head.appendChild(js);
    document.head.appendChild(wasm);
  }
  function preloadNamed() {
    var els = document.querySelectorAll("[data-syslab-lab]:not([data-syslab-mounted])");
    for (var i = 0; i < els.length; i++) preload(els[i].getAttribute("data-syslab-lab"));
  }
  // The divs parsed so far; an async script may run before the rest, which mount() preloads.
  preloadNamed();
  var loader = import(base + "syslab-loader.js");
  function pending(lab) {
    return document.querySelectorAll(
      '[data-syslab-lab="' + lab.replace(/["\\]/g, "") + '"]:not([data-syslab-mounted])');
  }
  // Loading modules and wasm from another origin needs that host's CORS header (and, if this
  // page has a Content-Security-Policy, that origin in it); without them the browser only says
  // the fetch failed, so say what to check.
  var origin = new URL(base).origin;
  var hint = origin === location.origin ? "" :
    " (syslab is served from " + origin + ", another origin than this page: that host must send " +
    "Access-Control-Allow-Origin with its .js and .wasm files, and a Content-Security-Policy on " +
    "this page must allow " + origin + "; see \"Hosting syslab\" in syslab's README)";
  function show(lab, error) {
    var els = pending(lab);
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = "This syslab lab could not load: " +
        (error && error.message ? error.message : error) + hint;
      els[i].setAttribute("role", "alert");
    }
  }
  function mount() {
    preloadNamed();
    var els = document.querySelectorAll("[data-syslab-lab]:not([data-syslab-mounted])");
    var labs = [];
    for (var i = 0; i < els.length; i++) {
      var lab = els[i].getAttribute("data-syslab-lab");
      if (labs.indexOf(lab) < 0) labs.push(lab);
    }
    labs.forEach(function (lab) {
      loader
        .then(function (l) { return l.load(lab); })
        .then(function (m) { m.mount_all(); }, function (e) { show(lab, e); });
    });
  }
  // syslab iframes on this page take the height their lab posts (see syslab-loader.js).
  window.addEventListener("message", function (e) {
    var h = e.data && e.data.syslabHeight;
    if (typeof h !== "number" || !(h > 0)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = Math.min(h, 20000) + "px";
    }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
