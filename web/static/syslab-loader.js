// syslab-loader.js: loads the wasm bundle a lab needs, once per page.
//
// Each lab is its own bundle (syslab-<lab>.js + syslab-<lab>_bg.wasm, see web/src/bundle.rs), so
// a page downloads only the lab it shows. The site (index.html), the iframe embed (embed.html)
// and script-tag embeds (syslab-embed.js) all come here with a lab id. An id not in LAB_IDS
// below (unknown, or not in the browser yet) gets the small home bundle, whose lab host explains.
const here = new URL(".", import.meta.url).href;

// The labs that have a bundle. Only these ids are loaded: any other syslab-*.js in this folder
// (syslab-embed.js, syslab-loader.js) is not a lab. This list must match `LAB_IDS` in
// syslab-core (its registry); crates/syslab-core/tests/loader.rs checks that it does.
const LAB_IDS = ["ring", "rate-limiter", "cache", "load-balancer", "resilience", "replication", "consensus"];

const bundles = globalThis.__syslabBundles || (globalThis.__syslabBundles = new Map());

// A bundle's wasm is fetched at the same time as its JS, not after it: on a slow link that saves
// a round trip and lets the wasm stream while the JS arrives. wasm-bindgen's init takes the
// pending response (`module_or_path` may be a Promise<Response>) and compiles it as it streams.
// The pages have usually asked for both already, before this loader arrived: index.html from
// the path and embed.html from `lab=` (each in its inline script), syslab-embed.js from its
// divs, with <link rel=modulepreload> and <link rel=preload as=fetch crossorigin>. These
// requests then take the preloaded responses, so nothing is downloaded twice.
async function start(name) {
  const wasm = fetch(`${here}syslab-${name}_bg.wasm`);
  // If the JS fails, the error to report is the import's; the wasm's is not left unhandled.
  wasm.catch(() => {});
  const module = await import(`${here}syslab-${name}.js`);
  await module.default({ module_or_path: wasm });
  return module;
}

// In an iframe (embed.html), the page tells its parent its height whenever it changes, so the
// frame can size itself to the lab: the parent listens for {syslabHeight} messages (README,
// "Embedding a lab"; syslab-embed.js does it for every syslab iframe on its page).
if (
  document.documentElement.classList.contains("syslab-embed-page") &&
  window.parent !== window &&
  typeof ResizeObserver === "function"
) {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ syslabHeight: height }, "*");
    }
  }).observe(document.documentElement);
}

/** Resolves to the initialised bundle module for lab `lab` (its `main` has run). */
export function load(lab) {
  const name = LAB_IDS.includes(lab) ? lab : "home";
  let loading = bundles.get(name);
  if (!loading) {
    loading = start(name).catch((error) => {
      if (name === "home") throw error;
      console.warn(`syslab: no bundle for ${JSON.stringify(name)} (${error}); loading home`);
      return load("home");
    });
    bundles.set(name, loading);
  }
  return loading;
}

/** Puts a message in `el` when a bundle cannot load at all. */
export function showFailure(el, error) {
  if (!el) return;
  el.textContent = `syslab could not load: ${error && error.message ? error.message : error}`;
  el.setAttribute("role", "alert");
}
