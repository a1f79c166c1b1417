//! URL query strings: how a lab's state travels in a share link, an iframe `src` or a
//! script-tag embed's `data-*` attributes.
//!
//! Pure string handling, so the browser, the CLI and the tests decode links identically.

/// Parameters that belong to the page around a lab (which lab, benchmarks, theme, embed
/// layout), not to its scenario: every lab's codec skips them without a notice.
pub const SHELL_PARAMS: [&str; 6] = ["lab", "bench", "theme", "controls", "height", "story"];

/// The scenario a link starts from: the preset `preset=` names, or the default. An unknown
/// preset is reported in `notices` and ignored.
pub fn preset_base<S: Default>(
    pairs: &[(String, String)],
    preset: impl Fn(&str) -> Option<S>,
    notices: &mut Vec<Notice>,
) -> S {
    match pairs.iter().find(|(k, _)| k == "preset") {
        Some((_, id)) => preset(id.trim()).unwrap_or_else(|| {
            notices.push(Notice::new(
                "preset",
                format!("{} is not a preset; ignored", quote(id.trim())),
            ));
            S::default()
        }),
        None => S::default(),
    }
}

/// The longest quoted value a message repeats; longer ones are cut with an ellipsis.
pub const QUOTE_MAX: usize = 40;

/// `text` quoted for a message, cut so that the quote holds at most [`QUOTE_MAX`] characters of
/// escaped text (control and invisible characters are shown escaped, as `\u{202e}`, which is
/// longer than the character itself).
pub fn quote(text: &str) -> String {
    let mut shown = String::new();
    let mut width = 0;
    let mut cut = false;
    for c in text.chars() {
        let escaped = c.escape_debug().count();
        if width + escaped > QUOTE_MAX {
            cut = true;
            break;
        }
        width += escaped;
        shown.push(c);
    }
    if cut {
        format!("{shown:?}… ({} characters)", text.chars().count())
    } else {
        format!("{text:?}")
    }
}

/// A problem with one parameter; the lab falls back to a default and shows this message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The parameter, as written.
    pub param: String,
    /// What was wrong and what was used instead.
    pub message: String,
}

impl Notice {
    /// A notice about `param`.
    pub fn new(param: &str, message: impl Into<String>) -> Self {
        Self {
            param: param.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

/// Splits `a=1&b=x%20y` (with or without a leading `?`) into decoded pairs, in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The query part of a URL or path (`https://x/ring?a=1#frag` → `a=1`), or "" if none.
pub fn query_of(url: &str) -> &str {
    let without_fragment = url.split('#').next().unwrap_or("");
    without_fragment
        .split_once('?')
        .map_or("", |(_, query)| query)
}

/// The last path segment of a URL or path (`https://x/a/ring?b` → `ring`).
pub fn last_segment(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let path = path.split_once("://").map_or(path, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Joins pairs into `a=1&b=x%20y`.
pub fn encode_query(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters and a few safe separators.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',' | b':' | b'@')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes percent escapes and `+` as space; invalid escapes are kept as written.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && s.is_char_boundary(i + 3) => {
                match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let pairs = vec![
            ("a".to_owned(), "x y&z=é".to_owned()),
            ("nodes".to_owned(), "A:2,B@0~ff".to_owned()),
        ];
        assert_eq!(parse_query(&encode_query(&pairs)), pairs);
    }

    #[test]
    fn tolerates_junk() {
        assert_eq!(
            parse_query("?a&b=%zz&c=%4"),
            vec![
                ("a".to_owned(), String::new()),
                ("b".to_owned(), "%zz".to_owned()),
                ("c".to_owned(), "%4".to_owned()),
            ]
        );
        assert_eq!(decode("%E2%82"), "\u{FFFD}");
    }

    #[test]
    fn splits_urls() {
        assert_eq!(query_of("https://x.io/a/ring?seed=2#top"), "seed=2");
        assert_eq!(query_of("/ring"), "");
        assert_eq!(last_segment("https://x.io/a/ring?seed=2"), "ring");
        assert_eq!(last_segment("/embed.html?lab=ring"), "embed.html");
        assert_eq!(last_segment("https://x.io/"), "");
        assert_eq!(last_segment("ring"), "ring");
    }

    #[test]
    fn an_unknown_preset_is_reported_and_ignored() {
        let pairs = |id: &str| vec![("preset".to_owned(), id.to_owned())];
        let lookup = |id: &str| (id == "known").then_some(7_u32);
        let mut notices = Vec::new();
        assert_eq!(preset_base(&pairs(" known "), lookup, &mut notices), 7);
        assert!(notices.is_empty());
        assert_eq!(preset_base(&pairs("nope"), lookup, &mut notices), 0);
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].param, "preset");
        assert_eq!(preset_base(&[], lookup, &mut notices), 0);
        assert_eq!(notices.len(), 1);
        // A long name is cut in the message.
        preset_base(&pairs(&"x".repeat(100_000)), lookup, &mut notices);
        assert!(
            notices[1].message.len() < 100,
            "{}",
            notices[1].message.len()
        );
    }
}
