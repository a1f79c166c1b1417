//! The browser loader (`web/static/syslab-loader.js`) loads only the registered labs' bundles:
//! its `LAB_IDS` list must equal the core's, or a new lab would load the home bundle (and an
//! old id would import a script that is not a lab). The pages (`index.html`, `embed.html`) and
//! the script-tag embed (`syslab-embed.js`) preload their bundles from copies of the same list.
//! Read natively: no browser needed.

use std::path::Path;

/// The string items of the JS array `const LAB_IDS = [...];` in `js`, or `None` if it has none.
fn js_lab_ids(js: &str) -> Option<Vec<String>> {
    let start = js.find("const LAB_IDS = [")? + "const LAB_IDS = [".len();
    let end = start + js[start..].find(']')?;
    js[start..end]
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn the_loader_lists_exactly_the_registered_labs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/static/syslab-loader.js");
    let js = std::fs::read_to_string(&path).expect("the loader");
    let ids = js_lab_ids(&js).expect("a `const LAB_IDS = [...]` list of strings");
    assert_eq!(ids, syslab_core::LAB_IDS, "{}", path.display());
    // The list is the only way in: no pattern that would also take `embed` or `loader`.
    assert!(js.contains("LAB_IDS.includes(lab)"), "{}", path.display());
    assert!(!js.contains("[a-z0-9-]"), "{}", path.display());
}

/// The pages and the script-tag embed ask for their lab's bundle before the loader arrives
/// (`<link rel=preload>`), each with its own copy of the list: a lab missing there would load
/// without the head start, an extra id would preload a file that does not exist.
#[test]
fn the_early_preloads_list_exactly_the_registered_labs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for file in [
        "index.html",
        "web/static/embed.html",
        "web/static/syslab-embed.js",
    ] {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).expect(file);
        // Classic scripts, so `var`: the same reader after the keyword.
        let text = text.replace("var LAB_IDS = [", "const LAB_IDS = [");
        let ids = js_lab_ids(&text).expect("a `var LAB_IDS = [...]` list of strings");
        assert_eq!(ids, syslab_core::LAB_IDS, "{}", path.display());
        assert!(
            text.contains("LAB_IDS.indexOf(lab) < 0"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn reads_a_js_list() {
    assert_eq!(
        js_lab_ids("x;\nconst LAB_IDS = [\"a\", \"b-c\",\n  \"d\",\n];"),
        Some(vec!["a".to_owned(), "b-c".to_owned(), "d".to_owned()])
    );
    assert_eq!(js_lab_ids("const LAB_IDS = [a];"), None);
    assert_eq!(js_lab_ids("const ids = [\"a\"];"), None);
}
