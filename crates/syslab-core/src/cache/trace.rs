//! Trace replay: an incremental parser for text or CSV files of keys, one request per line.
//!
//! The browser feeds a large file in slices ([`TraceParser::feed`] takes bytes, so a slice may
//! end anywhere, even inside a character) and shows [`TraceParser::progress`] between slices;
//! the parser keeps the unfinished last line. [`TraceParser::finish`] returns the [`Trace`].
//!
//! A line is `KEY`, `KEY,OP`, `OP,KEY` or either with a third field, the object's size in bytes.
//! Fields are separated by commas, else tabs, else spaces. OP is `get`, `read` or `r` (a read)
//! or `set`, `put`, `write` or `w` (a write), in any case; without one a request is a read.
//! Blank lines and lines starting with `#` are ignored, and so is a first line whose first field
//! is `key`, `op` or `operation` (a CSV header). Keys are interned in order of first
//! appearance: the first distinct key is id 0, the next id 1, and so on (looked up by XXH64 of
//! the key's bytes, so two keys would only be confused if their 64-bit hashes collided).
//!
//! A malformed line is reported with its 1-based line number. [`BadLines::Skip`] drops it and
//! goes on (the first [`MAX_REPORTED`] are listed); [`BadLines::Reject`] refuses the whole trace
//! at the first one.

use serde::{Deserialize, Serialize};

use super::keymap::KeyMap;
use crate::hash::hash_bytes;

/// The most requests a trace may hold.
pub const MAX_TRACE_REQUESTS: u64 = 2_000_000;
/// The longest key, in bytes.
pub const MAX_KEY_BYTES: usize = 250;
/// The longest line, in bytes: room for a key, an operation and a size with plenty to spare.
/// A longer line is malformed, and the parser drops the rest of it rather than buffer it.
pub const MAX_LINE_BYTES: usize = 4096;
/// The largest object size a trace may give.
pub const MAX_OBJECT_SIZE: u32 = 1_000_000;
/// Malformed lines listed one by one in skip mode.
pub const MAX_REPORTED: usize = 20;

/// What to do with a malformed line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadLines {
    /// Report it and go on without it.
    #[default]
    Skip,
    /// Refuse the whole trace.
    Reject,
}

/// A malformed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadLine {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// How far parsing has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceProgress {
    /// Bytes fed so far.
    pub bytes: u64,
    /// Complete lines read.
    pub lines: u64,
    /// Requests kept.
    pub requests: u64,
    /// Malformed lines met.
    pub bad_lines: u64,
}

/// A parsed trace: the requests as parallel columns, and the distinct keys' names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// Key id of each request (ids count distinct keys in order of first appearance).
    pub keys: Vec<u64>,
    /// Whether each request is a write.
    pub writes: Vec<bool>,
    /// Object size of each request, in bytes (1 when the trace gives none).
    pub sizes: Vec<u32>,
    /// The name of key id i is `names[offsets[i]..offsets[i + 1]]`.
    names: String,
    offsets: Vec<u32>,
    /// Malformed lines skipped (the first [`MAX_REPORTED`]).
    pub skipped: Vec<BadLine>,
    /// How many malformed lines were skipped in all.
    pub n_skipped: u64,
}

impl Trace {
    /// Requests.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no request.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Distinct keys.
    pub fn n_keys(&self) -> u64 {
        self.offsets.len().saturating_sub(1) as u64
    }

    /// The name of key `id` as written in the trace.
    pub fn name(&self, id: u64) -> Option<&str> {
        let i = usize::try_from(id).ok()?;
        let (start, end) = (*self.offsets.get(i)?, *self.offsets.get(i + 1)?);
        self.names.get(start as usize..end as usize)
    }
}

/// Why a trace was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceError {
    /// A malformed line, in reject mode.
    BadLine(BadLine),
    /// More than [`MAX_TRACE_REQUESTS`] requests.
    TooLong,
    /// No request at all.
    Empty,
    /// No request, because every line with content was malformed (in skip mode): how many,
    /// and the first [`MAX_REPORTED`] with their numbers.
    AllBad {
        /// Malformed lines in all.
        n_bad: u64,
        /// The first of them.
        first: Vec<BadLine>,
    },
    /// The bytes look like UTF-16 (a byte-order mark, or NUL bytes between the characters).
    Utf16,
}

/// Malformed lines named in the message of [`TraceError::AllBad`].
const LISTED_IN_MESSAGE: usize = 3;

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceError::BadLine(bad) => write!(f, "the trace was rejected: {bad}"),
            TraceError::TooLong => write!(
                f,
                "the trace has more than {} requests",
                crate::format::thousands(MAX_TRACE_REQUESTS)
            ),
            TraceError::Empty => write!(f, "the trace has no requests"),
            TraceError::AllBad { n_bad, first } => {
                write!(
                    f,
                    "the trace has no requests: all {} line{} with content {} malformed (",
                    crate::format::thousands(*n_bad),
                    if *n_bad == 1 { "" } else { "s" },
                    if *n_bad == 1 { "is" } else { "are" },
                )?;
                let listed = first.len().min(LISTED_IN_MESSAGE);
                for (i, bad) in first[..listed].iter().enumerate() {
                    write!(f, "{}{bad}", if i == 0 { "" } else { "; " })?;
                }
                let more = n_bad.saturating_sub(listed as u64);
                if more > 0 {
                    write!(f, "; and {} more", crate::format::thousands(more))?;
                }
                write!(f, ")")
            }
            TraceError::Utf16 => write!(f, "the file looks like UTF-16; save it as UTF-8"),
        }
    }
}

impl std::error::Error for TraceError {}

/// Bytes looked at before parsing, to tell UTF-16 from UTF-8 (and drop a UTF-8 byte-order mark):
/// enough for either byte-order mark, or for two characters of UTF-16 text without one.
const SNIFF_BYTES: usize = 4;

/// Parses a trace fed in chunks of bytes.
#[derive(Clone, Debug)]
pub struct TraceParser {
    mode: BadLines,
    /// The first bytes, until there are [`SNIFF_BYTES`] of them to judge the encoding by;
    /// `None` once judged.
    head: Option<Vec<u8>>,
    /// The unfinished last line (never longer than [`MAX_LINE_BYTES`]).
    partial: Vec<u8>,
    /// The last line end seen was a `\r` at the end of a chunk: a `\n` starting the next
    /// chunk belongs to it.
    after_cr: bool,
    /// The current line is too long; it has been reported and the rest of it is dropped.
    overlong: bool,
    progress: TraceProgress,
    trace: Trace,
    ids: KeyMap,
    failed: Option<TraceError>,
}

impl TraceParser {
    /// A parser that treats malformed lines as `mode` says.
    pub fn new(mode: BadLines) -> Self {
        Self {
            mode,
            head: Some(Vec::new()),
            partial: Vec::new(),
            after_cr: false,
            overlong: false,
            progress: TraceProgress::default(),
            trace: Trace {
                offsets: vec![0],
                ..Trace::default()
            },
            ids: KeyMap::with_capacity(1024),
            failed: None,
        }
    }

    /// Parses a whole text at once.
    pub fn parse(text: &str, mode: BadLines) -> Result<Trace, TraceError> {
        let mut parser = TraceParser::new(mode);
        parser.feed(text.as_bytes())?;
        parser.finish()
    }

    /// How far parsing has got.
    pub fn progress(&self) -> TraceProgress {
        self.progress
    }

    /// Parses the complete lines in `chunk` (after what earlier chunks left unfinished). After
    /// an error, further chunks are ignored and the same error is returned.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), TraceError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        self.progress.bytes += chunk.len() as u64;
        let result = self.sniff_then_consume(chunk, false);
        if let Err(err) = &result {
            self.failed = Some(err.clone());
        }
        result
    }

    /// Parses the last line (if it had no line end) and returns the trace.
    pub fn finish(mut self) -> Result<Trace, TraceError> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        self.sniff_then_consume(&[], true)?;
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.line(&last)?;
        }
        if self.trace.is_empty() {
            if self.trace.n_skipped > 0 {
                return Err(TraceError::AllBad {
                    n_bad: self.trace.n_skipped,
                    first: self.trace.skipped,
                });
            }
            return Err(TraceError::Empty);
        }
        Ok(self.trace)
    }

    /// Holds back the first [`SNIFF_BYTES`] (all of them at the end) to judge the encoding,
    /// then parses.
    fn sniff_then_consume(&mut self, chunk: &[u8], at_end: bool) -> Result<(), TraceError> {
        let Some(head) = &mut self.head else {
            return self.consume(chunk);
        };
        let take = chunk.len().min(SNIFF_BYTES - head.len());
        head.extend_from_slice(&chunk[..take]);
        if head.len() < SNIFF_BYTES && !at_end {
            return Ok(());
        }
        let head = self.head.take().unwrap_or_default();
        let text = match head.as_slice() {
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => return Err(TraceError::Utf16),
            [0xEF, 0xBB, 0xBF, rest @ ..] => rest,
            // ASCII in UTF-16 has a NUL byte beside every character; a text file has none.
            all if !all.is_empty() && all.iter().filter(|&&b| b == 0).count() * 2 >= all.len() => {
                return Err(TraceError::Utf16);
            }
            all => all,
        };
        self.consume(text)?;
        self.consume(&chunk[take..])
    }

    /// Parses the complete lines in `bytes`. A line ends at `\n`, `\r\n` or a lone `\r` (old
    /// Mac files), even when a chunk ends between the `\r` and the `\n`.
    fn consume(&mut self, bytes: &[u8]) -> Result<(), TraceError> {
        let mut rest = bytes;
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            let (line, after) = rest.split_at(end);
            rest = &after[1..];
            if after[0] == b'\r' {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if self.overlong {
                // Reported when it passed the limit; this is its end.
                self.overlong = false;
                continue;
            }
            if self.partial.len() + line.len() > MAX_LINE_BYTES {
                self.partial.clear();
                self.too_long()?;
                continue;
            }
            if self.partial.is_empty() {
                self.line(line)?;
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                let result = self.line(&whole);
                whole.clear();
                self.partial = whole;
                result?;
            }
        }
        if self.overlong {
            return Ok(());
        }
        if self.partial.len() + rest.len() > MAX_LINE_BYTES {
            // Report it now and drop the rest of it as it comes, rather than buffer it.
            self.partial.clear();
            self.overlong = true;
            return self.too_long();
        }
        self.partial.extend_from_slice(rest);
        Ok(())
    }

    /// Counts and reports a line longer than [`MAX_LINE_BYTES`].
    fn too_long(&mut self) -> Result<(), TraceError> {
        self.progress.lines += 1;
        let number = self.progress.lines;
        self.bad(BadLine {
            line: number,
            reason: format!("is longer than {MAX_LINE_BYTES} bytes"),
        })
    }

    fn line(&mut self, raw: &[u8]) -> Result<(), TraceError> {
        self.progress.lines += 1;
        let number = self.progress.lines;
        match parse_line(raw, number == 1) {
            Ok(None) => Ok(()),
            Ok(Some((key, write, size))) => {
                if self.progress.requests >= MAX_TRACE_REQUESTS {
                    return Err(TraceError::TooLong);
                }
                let hash = hash_bytes(key.as_bytes(), 0);
                let id = match self.ids.get(hash) {
                    Some(id) => id,
                    None => {
                        let id = self.trace.n_keys() as u32;
                        self.ids.insert(hash, id);
                        self.trace.names.push_str(key);
                        self.trace.offsets.push(self.trace.names.len() as u32);
                        id
                    }
                };
                self.trace.keys.push(u64::from(id));
                self.trace.writes.push(write);
                self.trace.sizes.push(size);
                self.progress.requests += 1;
                Ok(())
            }
            Err(reason) => self.bad(BadLine {
                line: number,
                reason,
            }),
        }
    }

    /// A malformed line: refuses the trace, or lists and skips it.
    fn bad(&mut self, bad: BadLine) -> Result<(), TraceError> {
        self.progress.bad_lines += 1;
        match self.mode {
            BadLines::Reject => Err(TraceError::BadLine(bad)),
            BadLines::Skip => {
                if self.trace.skipped.len() < MAX_REPORTED {
                    self.trace.skipped.push(bad);
                }
                self.trace.n_skipped += 1;
                Ok(())
            }
        }
    }
}

/// An operation keyword: `Some(true)` for a write, `Some(false)` for a read.
fn op(field: &str) -> Option<bool> {
    match field.to_ascii_lowercase().as_str() {
        "get" | "read" | "r" => Some(false),
        "set" | "put" | "write" | "w" => Some(true),
        _ => None,
    }
}

/// One line: `Ok(None)` for a blank, comment or header line, else (key, is write, size).
fn parse_line(raw: &[u8], first: bool) -> Result<Option<(&str, bool, u32)>, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "is not valid UTF-8".to_owned())?;
    let text = text.trim();
    if text.contains('\0') {
        return Err("contains a NUL byte (is the file UTF-16, or not text?)".to_owned());
    }
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let fields: Vec<&str> = if text.contains(',') {
        text.split(',').map(str::trim).collect()
    } else if text.contains('\t') {
        text.split('\t').map(str::trim).collect()
    } else {
        text.split_whitespace().collect()
    };
    if first
        && matches!(
            fields[0].to_ascii_lowercase().as_str(),
            "key" | "op" | "operation"
        )
    {
        return Ok(None);
    }
    if fields.len() > 3 {
        return Err(format!(
            "has {} fields; expected KEY, KEY,OP or KEY,OP,SIZE",
            fields.len()
        ));
    }
    let (key, write) = match fields.as_slice() {
        [key] => (*key, false),
        [a, b, ..] => match (op(a), op(b)) {
            (_, Some(write)) => (*a, write),
            (Some(write), None) => (*b, write),
            (None, None) => {
                return Err(format!(
                    "{b:?} is not an operation (use get, set, read, write, r or w)"
                ));
            }
        },
        [] => return Ok(None),
    };
    if key.is_empty() {
        return Err("has an empty key".to_owned());
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(format!("has a key longer than {MAX_KEY_BYTES} bytes"));
    }
    let size = match fields.get(2) {
        None => 1,
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|v| (1..=MAX_OBJECT_SIZE).contains(v))
            .ok_or_else(|| format!("size {s:?} is not a whole number from 1 to 1000000"))?,
    };
    Ok(Some((key, write, size)))
}
