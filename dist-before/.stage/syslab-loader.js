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
const LAB_IDS = ["ring", "rate-limiter", "cache", "load-balancer"];

const bundles = globalThis.__syslabBundles || (globalThis.__syslabBundles = new Map());

async function start(name) {
  const module = await import(`${here}syslab-${name}.js`);
  await module.default({ module_or_path: `${here}syslab-${name}_bg.wasm` });
  return module;
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
