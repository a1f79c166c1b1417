//! The strict Content-Security-Policy syslab's pages work under (README "Hosting syslab").
//!
//! No `'unsafe-inline'` and no `'unsafe-eval'`: scripts come from the syslab origin or are one of
//! the pages' inline module scripts, allowed by their SHA-256 hash; wasm may compile
//! (`'wasm-unsafe-eval'`); styles come from files only. The hashes are computed from the built
//! pages, so the policy follows any change to an inline script; `csp-policy` prints it for a
//! host to copy.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Everything in the policy but the inline scripts' hashes, which go at the end of `script-src`.
pub const SCRIPT_SRC: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// The directives after `script-src`. `frame-ancestors *` lets any site frame embed.html.
pub const REST: &str =
    "style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *";

/// The policy for pages whose inline scripts have these CSP hash sources (`'sha256-…'`), listed
/// sorted and once each.
pub fn policy(hashes: &[String]) -> String {
    let mut hashes = hashes.to_vec();
    hashes.sort();
    hashes.dedup();
    let mut out = SCRIPT_SRC.to_owned();
    for hash in &hashes {
        out.push(' ');
        out.push_str(hash);
    }
    out.push_str("; ");
    out.push_str(REST);
    out
}

/// The policy for the built app in `dist`: every `.html` file's inline scripts hashed.
pub fn dist_policy(dist: &Path) -> Result<String> {
    let mut hashes = Vec::new();
    for page in html_files(dist)? {
        let html = std::fs::read_to_string(&page)
            .map_err(|e| Error::new(format!("cannot read {}: {e}", page.display())))?;
        for script in inline_scripts(&html) {
            hashes.push(hash_source(script));
        }
    }
    Ok(policy(&hashes))
}

/// The `.html` files under `dir`, sorted by path.
fn html_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("cannot list {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(html_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The CSP hash source of an inline script's text: `'sha256-<base64 of its SHA-256>'`, over the
/// exact characters between `<script …>` and `</script>` (whitespace included).
pub fn hash_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The text of every `<script>` element in `html` that has no `src` attribute.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = find_ascii_ci(rest, "<script") {
        let after = &rest[start + "<script".len()..];
        // `<scripts>` or `<script-x>` is another element.
        if !after.starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = find_ascii_ci(body, "</script") else {
            break;
        };
        if !has_attribute(attrs, "src") {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

/// Whether a tag's attribute text names attribute `name` (`src`, `src=…`, not `data-src`).
fn has_attribute(attrs: &str, name: &str) -> bool {
    attrs
        .split(|c: char| c.is_ascii_whitespace())
        .filter_map(|piece| piece.split('=').next())
        .any(|attr| attr.eq_ignore_ascii_case(name))
}

/// Byte offset of `needle` (ASCII, lowercase) in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let html = "<head><SCRIPT type=\"module\">\n  a();\n</SCRIPT>\
                    <script src=\"x.js\" async></script><scripts>no</scripts>\
                    <script data-src=\"y\">b()</script><script>c()</script></head>";
        assert_eq!(inline_scripts(html), vec!["\n  a();\n", "b()", "c()"]);
        assert_eq!(inline_scripts("<p>no scripts</p>"), Vec::<&str>::new());
        assert_eq!(inline_scripts("<script>unclosed"), Vec::<&str>::new());
    }

    /// Known digests (`printf abc | openssl dgst -sha256 -binary | base64`).
    #[test]
    fn hashes_like_browsers() {
        assert_eq!(
            hash_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert_eq!(
            hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }

    /// README "Hosting syslab" shows the policy with the hashes of today's inline scripts (in
    /// index.html and the pages of web/static: the sources of the built pages, whose inline
    /// scripts trunk copies unchanged). When an inline script
    /// changes, this says what to write instead.
    #[test]
    fn readme_shows_the_current_policy() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut hashes = Vec::new();
        let mut pages = html_files(&root.join("web/static")).unwrap();
        pages.push(root.join("index.html"));
        for page in pages {
            let html = std::fs::read_to_string(page).unwrap();
            hashes.extend(inline_scripts(&html).into_iter().map(hash_source));
        }
        let expected = policy(&hashes);
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        assert!(
            readme.contains(&expected),
            "README.md (\"Hosting syslab\") must show the policy for today's inline scripts:\n\
             {expected}"
        );
    }
}
