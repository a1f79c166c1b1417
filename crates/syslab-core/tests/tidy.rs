//! Tidy: keeps STYLE.md's mechanical rules true by reading the workspace's source files.
//!
//! - `syslab-core/src` names no `HashMap`/`HashSet` (random iteration order), no
//!   `Instant`/`SystemTime` (a clock), no `thread_rng`, `rand::` or `getrandom` (ambient
//!   randomness), outside comments.
//! - Every `.rs` file of the workspace's crates starts with a `//!` line saying what it is for.
//! - No `#[ignore]` or `#[should_panic]` without a reason: a comment on the line above or on the
//!   same line (or `#[ignore = "reason"]`).
//! - No import cycles between the files of one module of `syslab-core` (nor between the
//!   crate's top-level modules): if `lab.rs` uses `super::view` then nothing `view.rs` uses may
//!   lead back to `lab.rs`. Shared types move down into a file both use.
//!
//! The checkers are plain functions on text, unit-tested below on small bad inputs so that a
//! checker that silently stops finding anything fails too.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Reading the tree.

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted, skipping build output.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "target" && name != "node_modules" && name != "dist" {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The workspace's crates' source, test, bench and example files.
fn workspace_files() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["crates", "web/src", "web/tests", "tests/src", "tests/tests"] {
        files.extend(rust_files(&root.join(dir)));
    }
    assert!(files.len() > 50, "tidy found only {} files", files.len());
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn shown(path: &Path) -> String {
    let root = workspace_root();
    let root = root.canonicalize().unwrap_or(root);
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Lexing just enough Rust.

/// `src` with comments blanked out (newlines kept, so line numbers hold) and, if `strings`,
/// the contents of string and char literals blanked too.
fn blank(src: &str, strings: bool) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let keep_newlines = |bytes: &[u8], out: &mut Vec<u8>| {
        for &c in bytes {
            out.push(if c == b'\n' { b'\n' } else { b' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            keep_newlines(&rest[..end], &mut out);
            i += end;
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            keep_newlines(&rest[..j], &mut out);
            i += j;
        } else if let Some(len) = raw_string_len(rest) {
            out.extend_from_slice(&rest[..1]);
            if strings {
                keep_newlines(&rest[1..len], &mut out);
            } else {
                out.extend_from_slice(&rest[1..len]);
            }
            i += len;
        } else if rest[0] == b'"' || (rest[0] == b'\'' && is_char_literal(rest)) {
            let quote = rest[0];
            let mut j = 1;
            while j < rest.len() && rest[j] != quote {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let close = j.min(rest.len());
            out.push(quote);
            if strings {
                keep_newlines(&rest[1..close], &mut out);
            } else {
                out.extend_from_slice(&rest[1..close]);
            }
            if close < rest.len() {
                out.push(quote);
            }
            i += (close + 1).min(rest.len());
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) at the start of `s`.
fn raw_string_len(s: &[u8]) -> Option<usize> {
    let start = if s.starts_with(b"br") {
        2
    } else if s.starts_with(b"r") {
        1
    } else {
        return None;
    };
    let hashes = s[start..].iter().take_while(|&&c| c == b'#').count();
    if s.get(start + hashes) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = start + hashes + 1;
    let end = s[body..].windows(close.len()).position(|w| w == close)?;
    Some(body + end + close.len())
}

/// Whether the `'` at the start of `s` opens a char literal rather than a lifetime or label.
fn is_char_literal(s: &[u8]) -> bool {
    match s.get(1) {
        Some(b'\\') => true,
        Some(_) => {
            // One (possibly multi-byte) character, then a closing quote.
            let ch_len = std::str::from_utf8(&s[1..s.len().min(5)])
                .ok()
                .or_else(|| std::str::from_utf8(&s[1..s.len().min(2)]).ok())
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            s.get(1 + ch_len) == Some(&b'\'')
        }
        None => false,
    }
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

// ---------------------------------------------------------------------------------------------
// Rule 1: no nondeterminism in the core.

/// Names the core must not use, and why.
const FORBIDDEN: [(&str, &str); 7] = [
    (
        "HashMap",
        "iteration order is random: use Vec, BTreeMap or KeyMap",
    ),
    ("HashSet", "iteration order is random: use Vec or BTreeSet"),
    ("Instant", "the core has no clock: take `now: Nanos`"),
    ("SystemTime", "the core has no clock: take `now: Nanos`"),
    (
        "thread_rng",
        "randomness is explicit: SplitMix64 from the seed",
    ),
    ("rand::", "randomness is explicit: SplitMix64 from the seed"),
    (
        "getrandom",
        "randomness is explicit: SplitMix64 from the seed",
    ),
];

/// `(line, name, why)` for every forbidden name in `src` outside comments.
fn forbidden_names(src: &str) -> Vec<(usize, &'static str, &'static str)> {
    let code = blank(src, false);
    let mut found = Vec::new();
    for (idx, line) in code.lines().enumerate() {
        for (name, why) in FORBIDDEN {
            let bytes = line.as_bytes();
            let mut from = 0;
            while let Some(at) = line[from..].find(name) {
                let start = from + at;
                let end = start + name.len();
                let before_ok = start == 0 || !is_ident_byte(bytes[start - 1]);
                let after_ok =
                    name.ends_with(':') || end == bytes.len() || !is_ident_byte(bytes[end]);
                if before_ok && after_ok {
                    found.push((idx + 1, name, why));
                    break;
                }
                from = end;
            }
        }
    }
    found
}

#[test]
fn core_has_no_hash_maps_clocks_or_ambient_randomness() {
    let src = workspace_root().join("crates/syslab-core/src");
    let mut problems = Vec::new();
    for path in rust_files(&src) {
        for (line, name, why) in forbidden_names(&read(&path)) {
            problems.push(format!("{}:{line}: `{name}`: {why}", shown(&path)));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// What a strict Content-Security-Policy (README "Hosting syslab") refuses, found in the shell's
/// code: a `style` attribute in `html!` or set from Rust, an inline `on…` handler attribute.
fn inline_style_or_handler(src: &str) -> Vec<(usize, &'static str)> {
    let code = blank(src, false);
    let mut found = Vec::new();
    for (idx, line) in code.lines().enumerate() {
        let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if line.contains(" style={") || line.contains(" style=\"") {
            found.push((
                idx + 1,
                "a `style` attribute: write `data-style` (hooks/use_inline_styles.rs)",
            ));
        }
        if squeezed.contains("set_attribute(\"style\"") {
            found.push((
                idx + 1,
                "a `style` attribute: set the CSSOM (`style().set_property`)",
            ));
        }
        if squeezed.contains("set_attribute(\"on") {
            found.push((idx + 1, "an inline handler: add an event listener"));
        }
    }
    found
}

#[test]
fn the_shell_has_no_inline_styles_or_handlers() {
    let mut problems = Vec::new();
    for path in rust_files(&workspace_root().join("web/src")) {
        for (line, why) in inline_style_or_handler(&read(&path)) {
            problems.push(format!("{}:{line}: {why}", shown(&path)));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    let bad = "// style={x}\nhtml! { <p style={w}></p> }\nel.set_attribute( \"onclick\", \"f()\");\n\
               html! { <p data-style={w}></p> }";
    assert_eq!(
        inline_style_or_handler(bad)
            .iter()
            .map(|(line, _)| *line)
            .collect::<Vec<_>>(),
        vec![2, 3]
    );
}

// ---------------------------------------------------------------------------------------------
// Rule 2: every file says what it is for.

fn starts_with_module_doc(src: &str) -> bool {
    src.trim_start_matches('\u{feff}').starts_with("//!")
}

#[test]
fn every_file_starts_with_a_module_doc() {
    let problems: Vec<String> = workspace_files()
        .into_iter()
        .filter(|path| !starts_with_module_doc(&read(path)))
        .map(|path| format!("{}: the first line is not a `//!` line", shown(&path)))
        .collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Rule 3: no silent `#[ignore]` or `#[should_panic]`.

/// Line numbers of `#[ignore]` / `#[should_panic]` attributes with no reason: neither a comment
/// on the line above or the same line, nor `#[ignore = "…"]`.
fn unexplained_attributes(src: &str) -> Vec<usize> {
    let lines: Vec<&str> = src.lines().collect();
    // The same lines with comments and string contents blanked: an attribute written inside a
    // string is not one, and a line that got shorter had a comment.
    let code = blank(src, true);
    let mut found = Vec::new();
    for (idx, (line, code)) in lines.iter().zip(code.lines()).enumerate() {
        let code = code.trim_start();
        let attr = ["#[ignore", "#[should_panic"].into_iter().find(|a| {
            code.starts_with(a)
                && !is_ident_byte(code.as_bytes().get(a.len()).copied().unwrap_or(b']'))
        });
        let Some(attr) = attr else {
            continue;
        };
        let ignore_with_reason =
            attr == "#[ignore" && code[attr.len()..].trim_start().starts_with('=');
        let comment_here = code.trim_end().len() < line.trim_start().trim_end().len();
        let comment_above = idx > 0 && lines[idx - 1].trim_start().starts_with("//");
        if !(ignore_with_reason || comment_here || comment_above) {
            found.push(idx + 1);
        }
    }
    found
}

#[test]
fn no_ignore_or_should_panic_without_a_reason() {
    let mut problems = Vec::new();
    for path in workspace_files() {
        for line in unexplained_attributes(&read(&path)) {
            problems.push(format!(
                "{}:{line}: say why in a comment on the line above",
                shown(&path)
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Rule 4: no import cycles between the files of one module.

/// `src` without comments and string contents, and without `#[cfg(test)] mod … { … }` blocks
/// (their `super` is the file itself).
fn code_without_tests(src: &str) -> String {
    let mut code = blank(src, true);
    while let Some(at) = code.find("#[cfg(test)]") {
        let after = &code[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let skip = after.len() - trimmed.len();
        let is_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
        let end = if is_mod {
            match (trimmed.find('{'), trimmed.find(';')) {
                (Some(open), semi) if semi.is_none_or(|s| s > open) => {
                    let mut depth = 0;
                    let mut close = trimmed.len();
                    for (i, c) in trimmed.char_indices().skip_while(|&(i, _)| i < open) {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    close = i + 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    at + "#[cfg(test)]".len() + skip + close
                }
                _ => at + "#[cfg(test)]".len(),
            }
        } else {
            at + "#[cfg(test)]".len()
        };
        code.replace_range(at..end, "");
    }
    code
}

/// Every path that starts with `crate::`, `super::` or `self::` in `code`, expanded through
/// `{…}` groups, as segments (`use super::{a::X, b};` gives `super a X` and `super b`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|s| b[i..].starts_with(s.as_bytes()));
        if let Some(s) = starts
            && (i == 0 || !(is_ident_byte(b[i - 1]) || b[i - 1] == b':'))
        {
            let head = s.trim_end_matches(':').to_owned();
            let mut j = i + s.len();
            let mut prefix = vec![head];
            parse_tree(b, &mut j, &mut prefix, &mut out);
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn skip_space(b: &[u8], j: &mut usize) {
    while *j < b.len() && b[*j].is_ascii_whitespace() {
        *j += 1;
    }
}

/// Parses `ident::ident::…` possibly ending in `{tree, …}` or `*`, pushing every full path.
fn parse_tree(b: &[u8], j: &mut usize, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let depth = prefix.len();
    loop {
        skip_space(b, j);
        if *j < b.len() && b[*j] == b'{' {
            *j += 1;
            loop {
                skip_space(b, j);
                if *j >= b.len() {
                    break;
                }
                if b[*j] == b'}' {
                    *j += 1;
                    break;
                }
                if b[*j] == b',' {
                    *j += 1;
                    continue;
                }
                let mut inner = prefix.clone();
                let before = *j;
                parse_tree(b, j, &mut inner, out);
                // Skip `as name` and anything unexpected up to the next separator.
                while *j < b.len() && b[*j] != b',' && b[*j] != b'}' {
                    *j += 1;
                }
                if *j == before {
                    *j += 1;
                }
            }
            prefix.truncate(depth);
            return;
        }
        let start = *j;
        while *j < b.len() && is_ident_byte(b[*j]) {
            *j += 1;
        }
        if *j == start {
            break;
        }
        let ident = String::from_utf8_lossy(&b[start..*j]).into_owned();
        if ident != "self" {
            prefix.push(ident);
        }
        if b[*j..].starts_with(b"::") {
            *j += 2;
        } else {
            break;
        }
    }
    out.push(prefix.clone());
    prefix.truncate(depth);
}

/// A file's module path inside its crate (`src/ring/lab.rs` → `ring::lab`; `mod.rs` and
/// `lib.rs` name their directory's module).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_owned());
    }
    parts
}

/// Resolves a `crate::`/`super::`/`self::` path used in the module `here` to a path from the
/// crate root.
fn resolve(here: &[String], path: &[String]) -> Vec<String> {
    let mut at: Vec<String> = here.to_vec();
    let mut rest = path;
    if rest.first().is_some_and(|s| s == "crate") {
        at.clear();
        rest = &rest[1..];
    }
    while rest.first().is_some_and(|s| s == "super" || s == "self") {
        if rest[0] == "super" {
            at.pop();
        }
        rest = &rest[1..];
    }
    at.extend(rest.iter().cloned());
    at
}

/// The files of one crate: module path → code (comments, strings and tests removed).
type Crate = BTreeMap<Vec<String>, String>;

/// Which item names a module's `mod.rs` re-exports from which child (`pub use lab::{A, B};`).
fn reexports(code: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for path in paths(&code.replace("pub use ", "pub use self::")) {
        if path.len() >= 3
            && path[0] == "self"
            && !["crate", "super", "self"].contains(&path[1].as_str())
        {
            map.insert(path[path.len() - 1].clone(), path[1].clone());
        }
    }
    map
}

/// The import graph between the children of the module `parent`: child → children it uses
/// (through any file below it).
fn module_graph(krate: &Crate, parent: &[String]) -> BTreeMap<String, Vec<String>> {
    let children: Vec<String> = krate
        .keys()
        .filter(|m| m.len() == parent.len() + 1 && m.starts_with(parent))
        .map(|m| m[parent.len()].clone())
        .collect();
    let exported = krate.get(parent).map(|c| reexports(c)).unwrap_or_default();
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, code) in krate {
        if module.len() <= parent.len() || !module.starts_with(parent) {
            continue;
        }
        let from = &module[parent.len()];
        for path in paths(code) {
            let target = resolve(module, &path);
            if target.len() <= parent.len() || !target.starts_with(parent) {
                continue;
            }
            let name = &target[parent.len()];
            let to = if children.contains(name) {
                name.clone()
            } else if let Some(child) = exported.get(name) {
                child.clone()
            } else {
                continue;
            };
            if &to != from {
                let edges = graph.entry(from.clone()).or_default();
                if !edges.contains(&to) {
                    edges.push(to);
                }
            }
        }
    }
    graph
}

/// Every cycle of `graph`, each as its nodes in order (the first repeated at the end), found
/// once from its smallest node.
fn cycles(graph: &BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, Vec<String>>,
        start: &str,
        path: &mut Vec<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        let last = path.last().cloned().unwrap_or_default();
        for next in graph.get(&last).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_owned());
                found.push(cycle);
            } else if next.as_str() > start && !path.contains(next) && found.len() < 100 {
                path.push(next.clone());
                walk(graph, start, path, found);
                path.pop();
            }
        }
    }
    let mut found = Vec::new();
    for start in graph.keys() {
        walk(graph, start, &mut vec![start.clone()], &mut found);
    }
    found
}

/// Every import cycle in the crate, as `module: a -> b -> a`.
fn crate_cycles(krate: &Crate) -> Vec<String> {
    // Every module with children, including ones (like the root) whose file is not listed.
    let parents: std::collections::BTreeSet<&[String]> = krate
        .keys()
        .flat_map(|m| (0..m.len()).map(move |k| &m[..k]))
        .collect();
    let mut out = Vec::new();
    for parent in parents {
        for cycle in cycles(&module_graph(krate, parent)) {
            let module = if parent.is_empty() {
                "crate".to_owned()
            } else {
                parent.join("::")
            };
            out.push(format!("{module}: {}", cycle.join(" -> ")));
        }
    }
    out
}

fn load_crate(src: &Path) -> Crate {
    rust_files(src)
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(src).unwrap_or(&path).to_path_buf();
            (module_path(&rel), code_without_tests(&read(&path)))
        })
        .collect()
}

#[test]
fn no_import_cycles_between_the_files_of_a_module() {
    let krate = load_crate(&workspace_root().join("crates/syslab-core/src"));
    assert!(
        krate.len() > 20,
        "tidy read only {} core modules",
        krate.len()
    );
    let problems = crate_cycles(&krate);
    assert!(
        problems.is_empty(),
        "import cycles (move the shared type down into a file both use):\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The checkers themselves, on small inputs.

fn krate(files: &[(&str, &str)]) -> Crate {
    files
        .iter()
        .map(|(path, src)| (module_path(Path::new(path)), code_without_tests(src)))
        .collect()
}

#[test]
fn forbidden_names_are_found_in_code_but_not_in_comments() {
    let src = "//! Doc.\nuse std::collections::HashMap;\n// A HashMap would be random.\n\
               let t = std::time::Instant::now(); /* SystemTime */\nlet r = rand::random();\n";
    let found: Vec<(usize, &str)> = forbidden_names(src)
        .iter()
        .map(|&(l, n, _)| (l, n))
        .collect();
    assert_eq!(found, vec![(2, "HashMap"), (4, "Instant"), (5, "rand::")]);
    assert!(forbidden_names("let operand::x = Instantly; // HashSet\n").is_empty());
    assert_eq!(forbidden_names("let s: HashSet<u8> = x;").len(), 1);
}

#[test]
fn module_docs_are_required_on_the_first_line() {
    assert!(starts_with_module_doc("//! What this is for.\nfn f() {}\n"));
    assert!(!starts_with_module_doc("// A plain comment.\n//! Doc.\n"));
    assert!(!starts_with_module_doc("use std::fs;\n"));
    assert!(!starts_with_module_doc(""));
}

#[test]
fn ignore_and_should_panic_need_a_reason() {
    let src = "#[test]\n#[ignore]\nfn a() {}\n\
               // Slow: runs for a minute.\n#[ignore]\nfn b() {}\n\
               #[should_panic] // The index is out of range.\nfn c() {}\n\
               #[should_panic(expected = \"boom\")]\nfn d() {}\n\
               #[ignore = \"needs a browser\"]\nfn e() {}\n\
               let s = \"#[ignore]\";\n";
    assert_eq!(unexplained_attributes(src), vec![2, 9]);
}

#[test]
fn import_cycles_are_found_and_acyclic_modules_pass() {
    let cyclic = krate(&[
        ("lib.rs", "pub mod ring;\n"),
        (
            "ring/mod.rs",
            "mod lab;\nmod view;\npub use view::{Point, RingView};\n",
        ),
        ("ring/lab.rs", "//! Lab.\nuse super::view::Point;\n"),
        (
            "ring/view.rs",
            "//! View.\nuse super::{lab::RingLab, table};\n",
        ),
    ]);
    assert_eq!(crate_cycles(&cyclic), vec!["ring: lab -> view -> lab"]);

    // Through a re-export of the parent module, and an inline path.
    let via_mod = krate(&[
        ("ring/mod.rs", "pub use lab::RingLab;\n"),
        (
            "ring/lab.rs",
            "fn f() -> super::Point { todo!() }\nuse crate::ring::RingLab;\n",
        ),
        (
            "ring/view.rs",
            "fn g(l: &super::RingLab) { super::lab::helper(); }\n",
        ),
        (
            "ring/geometry.rs",
            "fn h() { let _ = crate::ring::view::Thing; }\n",
        ),
        ("ring/table.rs", "use super::geometry::X;\n"),
    ]);
    let graph = module_graph(&via_mod, &["ring".to_owned()]);
    assert_eq!(graph.get("view"), Some(&vec!["lab".to_owned()]));
    assert_eq!(graph.get("geometry"), Some(&vec!["view".to_owned()]));
    assert!(crate_cycles(&via_mod).is_empty());

    // A longer cycle, between top-level modules, through a grouped `use`.
    let three = krate(&[
        ("a.rs", "use crate::{b::X, c};\n"),
        ("b.rs", "use crate::c::Y;\n"),
        ("c/mod.rs", "mod d;\n"),
        ("c/d.rs", "use crate::a::Z; // crate::b is only mentioned\n"),
    ]);
    assert_eq!(
        crate_cycles(&three),
        vec!["crate: a -> b -> c -> a", "crate: a -> c -> a"]
    );

    // A test module's `use super::*` is the file itself, and comments and strings do not count.
    let tests_only = krate(&[
        ("m/mod.rs", ""),
        (
            "m/x.rs",
            "use super::y::A;\n#[cfg(test)]\nmod tests {\n    use super::super::x::B;\n}\n",
        ),
        (
            "m/y.rs",
            "// use super::x::A;\nconst S: &str = \"super::x::A\";\n",
        ),
    ]);
    assert!(crate_cycles(&tests_only).is_empty());
}
