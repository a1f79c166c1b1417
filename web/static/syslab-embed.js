// syslab script-tag embed: <script src="https://…/syslab-embed.js" async></script> plus
// <div data-syslab-lab="ring" data-vnodes="50"></div> anywhere on the page. Each div becomes an
// independent lab configured by its data-* attributes (the same names as the URL parameters).
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
  function show(error) {
    var els = document.querySelectorAll("[data-syslab-lab]:not([data-syslab-mounted])");
    for (var i = 0; i < els.length; i++) {
      els[i].textContent = "This syslab lab could not load: " + error;
      els[i].setAttribute("role", "alert");
    }
  }
  var loading = window.__syslab || (window.__syslab = import(base + "syslab-web.js").then(function (m) {
    return m.default({ module_or_path: base + "syslab-web_bg.wasm" }).then(function () { return m; });
  }));
  loading.then(function (m) {
    function mount() { m.mount_all(); }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
    else mount();
  }, function (e) { show(e && e.message ? e.message : String(e)); });
})();
