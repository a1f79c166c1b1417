//! The snippets that put a lab's current state somewhere else: an iframe and a script-tag
//! embed for a post, and the command that prints the same run's numbers. The page's Embed
//! panel shows them; they are built from its share link, so they carry exactly what it does.

use crate::query::parse_query;

/// The three ways to take a lab's state elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippets {
    /// `<iframe src="…/embed.html?lab=…&amp;…">`.
    pub iframe: String,
    /// `<script src="…/syslab-embed.js">` and a `<div data-syslab-lab="…" data-…>`.
    pub script: String,
    /// `syslab run '…'`: the same run's numbers from the command line.
    pub cli: String,
}

/// The iframe's height in the snippet: most labs fit it, and the frame resizes itself on a
/// page that listens (README, "Embedding a lab").
pub const IFRAME_HEIGHT: u32 = 760;

/// The snippets for a share link `…/LAB?QUERY` (`None` if it does not name a lab of this
/// build at the end of its path).
pub fn snippets(share_url: &str) -> Option<Snippets> {
    let (path, query) = share_url.split_once('?').unwrap_or((share_url, ""));
    let cut = path.rfind('/')? + 1;
    let (root, lab) = path.split_at(cut);
    if !crate::LAB_IDS.contains(&lab) {
        return None;
    }
    let mut src = format!("{root}embed.html?lab={lab}");
    if !query.is_empty() {
        src.push('&');
        src.push_str(query);
    }
    let iframe = format!(
        "<iframe src=\"{}\" title=\"syslab: {lab}\" width=\"100%\" height=\"{IFRAME_HEIGHT}\" \
         style=\"border:0\" loading=\"lazy\"></iframe>",
        attr(&src)
    );
    let mut div = format!("<div data-syslab-lab=\"{lab}\"");
    for (key, value) in parse_query(query) {
        // A data attribute's name is lower case letters, digits and hyphens: the schema's keys
        // are; anything else could not be read back, so it is left out.
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            continue;
        }
        div.push_str(&format!(" data-{key}=\"{}\"", attr(&value)));
    }
    div.push_str("></div>");
    let script = format!(
        "<script src=\"{}\" async></script>\n{div}",
        attr(&format!("{root}syslab-embed.js"))
    );
    let cli = format!("syslab run '{}'", share_url.replace('\'', "'\\''"));
    Some(Snippets {
        iframe,
        script,
        cli,
    })
}

/// Escapes text for a double-quoted HTML attribute.
fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippets_carry_the_share_link_state() {
        let s = snippets("https://example.org/syslab/ring?nodes=4&vnodes=3").unwrap();
        assert_eq!(
            s.iframe,
            "<iframe src=\"https://example.org/syslab/embed.html?lab=ring&amp;nodes=4&amp;vnodes=3\" \
             title=\"syslab: ring\" width=\"100%\" height=\"760\" style=\"border:0\" \
             loading=\"lazy\"></iframe>"
        );
        assert_eq!(
            s.script,
            "<script src=\"https://example.org/syslab/syslab-embed.js\" async></script>\n\
             <div data-syslab-lab=\"ring\" data-nodes=\"4\" data-vnodes=\"3\"></div>"
        );
        assert_eq!(
            s.cli,
            "syslab run 'https://example.org/syslab/ring?nodes=4&vnodes=3'"
        );
    }

    #[test]
    fn values_are_decoded_then_escaped() {
        // A cut list: `>` percent-encoded in the link, escaped in the attribute.
        let s =
            snippets("http://127.0.0.1:8080/replication?cut=1-2.3%401000%3A3000%2C2%3E1").unwrap();
        assert!(
            s.script.contains("data-cut=\"1-2.3@1000:3000,2&gt;1\""),
            "{}",
            s.script
        );
        assert!(s.iframe.contains("lab=replication&amp;cut=1-2.3%401000"));
        // A quote in the link cannot end the shell's quoting.
        let s = snippets("http://h/ring?seed='1").unwrap();
        assert_eq!(s.cli, "syslab run 'http://h/ring?seed='\\''1'");
    }

    #[test]
    fn a_lab_with_no_parameters_and_links_that_name_no_lab() {
        let s = snippets("https://h/cache").unwrap();
        assert!(s.iframe.contains("src=\"https://h/embed.html?lab=cache\""));
        assert!(s.script.ends_with("<div data-syslab-lab=\"cache\"></div>"));
        assert_eq!(snippets("https://h/nowhere?x=1"), None);
        assert_eq!(snippets("ring"), None);
        assert_eq!(snippets(""), None);
    }
}
