//! The trace parser: formats, malformed lines with their numbers, skip against reject, and
//! chunk boundaries anywhere giving the same trace as one chunk; long lines, line ends and
//! encodings.

use proptest::prelude::*;
use syslab_core::cache::{BadLine, BadLines, TraceError, TraceParser};

const SAMPLE: &str = "key,op,size\n\
user:1,get\n\
user:2,SET,120\n\
# a comment\n\
\n\
user:1\n\
w,user:3\n\
user:2\tread\n\
user:4 r 7\r\n\
é-ü,write";

#[test]
fn reads_keys_operations_and_sizes() {
    let trace = TraceParser::parse(SAMPLE, BadLines::Reject).expect("valid");
    assert_eq!(trace.keys, [0, 1, 0, 2, 1, 3, 4]);
    assert_eq!(trace.writes, [false, true, false, true, false, false, true]);
    assert_eq!(trace.sizes, [1, 120, 1, 1, 1, 7, 1]);
    assert_eq!(trace.n_keys(), 5);
    assert_eq!(trace.name(0), Some("user:1"));
    assert_eq!(trace.name(4), Some("é-ü"));
    assert_eq!(trace.name(5), None);
    assert_eq!(trace.n_skipped, 0);
}

#[track_caller]
fn check_bad(text: &str, line: u64, reason: &str) {
    match TraceParser::parse(text, BadLines::Reject) {
        Err(TraceError::BadLine(bad)) => {
            assert_eq!(bad.line, line, "{text:?}: {bad}");
            assert!(bad.reason.contains(reason), "{text:?}: {bad}");
        }
        other => panic!("{text:?}: expected a bad line, got {other:?}"),
    }
}

#[test]
fn malformed_lines_are_reported_with_their_number() {
    check_bad(
        "a\nb\nc,frobnicate\n",
        3,
        "\"frobnicate\" is not an operation",
    );
    check_bad("a\n,get\n", 2, "empty key");
    check_bad("a,get,1,2\n", 1, "4 fields");
    check_bad("a\n\n\nb,get,0\n", 4, "size \"0\"");
    check_bad(&format!("{}\n", "k".repeat(300)), 1, "longer than 250");
    let mut bytes = b"a\nb\n".to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, b'\n']);
    let mut parser = TraceParser::new(BadLines::Reject);
    assert!(matches!(
        parser.feed(&bytes),
        Err(TraceError::BadLine(BadLine { line: 3, .. }))
    ));
}

#[test]
fn skip_mode_keeps_the_good_lines_and_lists_the_bad() {
    let text = "a\nb,zap\nc\n,\nd,get,x\ne\n";
    let trace = TraceParser::parse(text, BadLines::Skip).expect("skips");
    assert_eq!(trace.len(), 3);
    assert_eq!(trace.n_skipped, 3);
    let lines: Vec<u64> = trace.skipped.iter().map(|b| b.line).collect();
    assert_eq!(lines, [2, 4, 5]);
    assert!(matches!(
        TraceParser::parse(text, BadLines::Reject),
        Err(TraceError::BadLine(BadLine { line: 2, .. }))
    ));
}

#[test]
fn an_empty_trace_is_refused() {
    for text in ["", "\n\n", "# only a comment\n", "key,op\n"] {
        assert_eq!(
            TraceParser::parse(text, BadLines::Skip),
            Err(TraceError::Empty),
            "{text:?}"
        );
    }
}

#[test]
fn a_trace_of_only_bad_lines_keeps_the_report() {
    let err = TraceParser::parse("a,zap\n# fine\n,\nb,get,0\nc,zz\n", BadLines::Skip)
        .expect_err("no requests");
    let TraceError::AllBad { n_bad, first } = &err else {
        panic!("expected the report, got {err:?}");
    };
    assert_eq!(*n_bad, 4);
    let lines: Vec<u64> = first.iter().map(|b| b.line).collect();
    assert_eq!(lines, [1, 3, 4, 5]);
    let message = err.to_string();
    for needle in [
        "no requests",
        "all 4 lines",
        "line 1: \"zap\" is not an operation",
        "line 3: \"\" is not an operation",
        "line 4: size",
        "and 1 more",
    ] {
        assert!(message.contains(needle), "{needle:?} in {message}");
    }
}

#[test]
fn a_long_line_is_bounded_and_reported_with_its_number() {
    let long = "k,".repeat(5_000);
    let text = format!("a\n{long}\nb\n");
    check_bad(&text, 2, "longer than 4096 bytes");
    let trace = TraceParser::parse(&text, BadLines::Skip).expect("skips it");
    assert_eq!((trace.len(), trace.n_skipped), (2, 1));
    assert_eq!(trace.skipped[0].line, 2);
    assert!(trace.skipped[0].reason.contains("longer than 4096 bytes"));

    // Fed in slices, the line is reported as soon as it passes the limit, before its end
    // arrives (so it is not buffered), and counted once.
    let mut parser = TraceParser::new(BadLines::Skip);
    parser.feed(b"a\n").expect("fine");
    for _ in 0..1_000 {
        parser.feed(&[b'k'; 10_000]).expect("skipped");
    }
    assert_eq!(parser.progress().bad_lines, 1);
    parser.feed(b"\nb\n").expect("fine");
    let trace = parser.finish().expect("two requests");
    assert_eq!(trace.len(), 2);
    assert_eq!(trace.n_skipped, 1);
    assert_eq!(trace.skipped[0].line, 2);
    assert_eq!(trace.name(1), Some("b"));

    let mut parser = TraceParser::new(BadLines::Reject);
    parser.feed(b"a\n").expect("fine");
    let err = parser.feed(&[b'k'; 5_000]).expect_err("too long");
    assert!(
        err.to_string().contains("line 2: is longer than 4096"),
        "{err}"
    );
}

#[test]
fn cr_cr_lf_and_lf_all_end_a_line() {
    for text in ["a\rb,zap\rc\r", "a\r\nb,zap\r\nc", "a\nb,zap\r\nc\r"] {
        let trace = TraceParser::parse(text, BadLines::Skip).expect("two requests");
        assert_eq!(trace.len(), 2, "{text:?}");
        assert_eq!(trace.name(1), Some("c"), "{text:?}");
        let lines: Vec<u64> = trace.skipped.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2], "{text:?}");
    }
    // A \r\n split between two slices is one line end, not two.
    let mut parser = TraceParser::new(BadLines::Reject);
    for chunk in [&b"a\r"[..], b"\nb\r", b"\n", b"c,zap\r\n"] {
        let _ = parser.feed(chunk);
    }
    assert!(matches!(
        parser.finish(),
        Err(TraceError::BadLine(BadLine { line: 3, .. }))
    ));
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    if bom {
        units.insert(0, 0xFEFF);
    }
    units
        .into_iter()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_is_refused_and_a_utf8_bom_is_dropped() {
    let text = "user:1\nuser:2,set\nuser:1\n";
    for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
        for mode in [BadLines::Skip, BadLines::Reject] {
            let bytes = utf16(text, big_endian, bom);
            for slice in [1, 3, bytes.len()] {
                let mut parser = TraceParser::new(mode);
                let fed: Result<(), TraceError> =
                    bytes.chunks(slice).try_for_each(|c| parser.feed(c));
                let err = fed.and_then(|()| parser.finish().map(drop));
                assert_eq!(err, Err(TraceError::Utf16), "{big_endian} {bom} {slice}");
            }
        }
    }
    assert_eq!(
        TraceError::Utf16.to_string(),
        "the file looks like UTF-16; save it as UTF-8"
    );
    let bom = format!("\u{FEFF}{text}");
    for slice in [1, 2, bom.len()] {
        let mut parser = TraceParser::new(BadLines::Reject);
        for chunk in bom.as_bytes().chunks(slice) {
            parser.feed(chunk).expect("UTF-8");
        }
        let trace = parser.finish().expect("UTF-8 with a BOM");
        assert_eq!(trace.name(0), Some("user:1"));
        assert_eq!(trace.len(), 3);
    }
    check_bad("a\nb\0c\n", 2, "NUL byte");
}

#[test]
fn a_million_lines_in_slices_report_progress() {
    let mut text = String::new();
    for i in 0..1_000_000u32 {
        text.push_str(&format!(
            "obj{},{}\n",
            i % 5_000,
            if i % 10 == 0 { "set" } else { "get" }
        ));
    }
    let mut parser = TraceParser::new(BadLines::Reject);
    let mut last = 0;
    for chunk in text.as_bytes().chunks(64 * 1024) {
        parser.feed(chunk).expect("valid");
        let progress = parser.progress();
        assert!(progress.lines >= last);
        last = progress.lines;
    }
    assert_eq!(parser.progress().bytes, text.len() as u64);
    let trace = parser.finish().expect("valid");
    assert_eq!(trace.len(), 1_000_000);
    assert_eq!(trace.n_keys(), 5_000);
    assert_eq!(trace.writes.iter().filter(|w| **w).count(), 100_000);
}

proptest! {
    /// Cutting the bytes anywhere (even inside a multi-byte character) gives the same result
    /// as feeding them at once, in both modes.
    #[test]
    fn chunk_boundaries_do_not_matter(
        lines in proptest::collection::vec(
            ("[a-cé,]{0,6}(,(get|w|zz))?", prop_oneof!["\n", "\r\n", "\r"]),
            0..40,
        ),
        cuts in proptest::collection::vec(0usize..400, 0..8),
        strict in any::<bool>(),
    ) {
        let text: String = lines.iter().map(|(line, end)| format!("{line}{end}")).collect();
        let mode = if strict { BadLines::Reject } else { BadLines::Skip };
        let whole = TraceParser::parse(&text, mode);
        let bytes = text.as_bytes();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
        cuts.sort_unstable();
        let mut parser = TraceParser::new(mode);
        let mut start = 0;
        let mut failed = None;
        for cut in cuts.into_iter().chain([bytes.len()]) {
            if let Err(err) = parser.feed(&bytes[start..cut]) {
                failed = Some(err);
                break;
            }
            start = cut;
        }
        let sliced = match failed {
            Some(err) => Err(err),
            None => parser.finish(),
        };
        prop_assert_eq!(sliced, whole);
    }
}
