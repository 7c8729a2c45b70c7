//! Offline inputs, streamed: OpenAlex works JSON Lines (API or snapshot
//! format, plain or `.gz`, a file or a folder of them), saved API pages
//! (OpenAlex `results`, Crossref `message.items`), a DOI list, Web of Science
//! exports (tagged or tab-delimited) and Scopus CSV exports.
//!
//! Memory stays flat in the input size: records are handed to a sink one at a
//! time. Every record yields a work or an error naming file, line and field;
//! a truncated `.gz` or invalid UTF-8 ends or skips only what it must.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::Value;

use super::work::{normalize_doi, Work};
use super::{crossref, openalex, scopus, wos, RecordError};
use crate::error::Error;

/// Input formats `--format` can name; detected from the content otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// OpenAlex works, one JSON object per line (API or snapshot; saved API pages too).
    Openalex,
    /// A Web of Science export, tagged ("Plain Text") or tab-delimited.
    Wos,
    /// A Scopus CSV export.
    Scopus,
    /// One DOI per line.
    Dois,
}

impl Format {
    /// How people call the format, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Openalex => "OpenAlex JSON (Lines)",
            Self::Wos => "a Web of Science export",
            Self::Scopus => "a Scopus CSV export",
            Self::Dois => "a DOI list",
        }
    }

    /// The `--format` value.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Openalex => "openalex",
            Self::Wos => "wos",
            Self::Scopus => "scopus",
            Self::Dois => "dois",
        }
    }
}

/// One thing read from an input.
#[derive(Debug)]
pub enum Item {
    /// A parsed work.
    Work(Box<Work>),
    /// A DOI to resolve through the cache or the APIs.
    Doi {
        /// Bare lower-case DOI.
        doi: String,
        /// Where it was read.
        path: PathBuf,
        /// Line number.
        line: u64,
    },
    /// A record that could not be read; the rest of the input still is.
    Error(InputError),
}

/// A record-level input problem, with its place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (of the decompressed text for `.gz`).
    pub line: u64,
    /// The field at fault, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Totals of one read.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReadStats {
    /// Files opened.
    pub files: u64,
    /// Works produced.
    pub works: u64,
    /// DOIs produced.
    pub dois: u64,
    /// Error items produced.
    pub errors: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// JSON lines the caller's pre-filter proved out of scope (not parsed).
    pub skipped: u64,
    /// Lines (or CSV records) that were not UTF-8 and were decoded as Windows-1252.
    pub legacy_lines: u64,
}

/// What input paths name: the data files to read, and the files a folder
/// holds that are not data (reported, never silently skipped).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expanded {
    /// Data files, in order.
    pub files: Vec<PathBuf>,
    /// Files inside folders with an extension that is not an input format.
    pub unknown: Vec<PathBuf>,
}

/// Why a file in a folder is not read (the message every caller reports).
pub const UNKNOWN_FILE: &str =
    "not read: not an input format by its extension (.jsonl, .json, .gz, .txt, .csv, .tsv); convert it or move it out of the folder";

/// A cheap test on a raw JSON line: `true` = out of scope, do not parse.
pub type SkipLine = dyn Fn(&[u8]) -> bool + Sync;

/// Reads every input (files, or folders walked in name order) into `sink`.
/// An unopenable path is a run error (exit 2); bad records are [`Item::Error`]s.
pub fn read_inputs(
    paths: &[PathBuf],
    format: Option<Format>,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<ReadStats, Error> {
    let mut stats = ReadStats::default();
    let all = expand_inputs(paths)?;
    for u in &all.unknown {
        emit_error(&mut stats, sink, u, 0, None, UNKNOWN_FILE.into())?;
    }
    for file in &all.files {
        read_file(file, format, None, &mut stats, sink)?;
    }
    Ok(stats)
}

/// Reads one file (no folder expansion) with an optional pre-filter for
/// OpenAlex JSON lines; `.gz` is decompressed on its own thread, overlapped
/// with parsing through a bounded channel.
pub fn read_one(
    path: &Path,
    format: Option<Format>,
    skip: Option<&SkipLine>,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<ReadStats, Error> {
    let mut stats = ReadStats::default();
    read_file(path, format, skip, &mut stats, sink)?;
    Ok(stats)
}

/// Every data file the paths name (folders walked in name order).
pub fn expand_all(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    Ok(expand_inputs(paths)?.files)
}

/// Every data file the paths name (folders walked in name order), and the
/// other files found in the folders.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Expanded, Error> {
    let mut all = Expanded::default();
    for p in paths {
        expand(p, &mut all)?;
    }
    Ok(all)
}

/// A file as itself; a folder as the data files under it, sorted (snapshot
/// partitions come out in date order). Hidden files and snapshot `manifest`s
/// are skipped; any other file is listed as unknown.
fn expand(p: &Path, all: &mut Expanded) -> Result<(), Error> {
    let meta = std::fs::metadata(p).map_err(|source| Error::Input {
        path: p.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        all.files.push(p.to_owned());
        return Ok(());
    }
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    let mut stack = vec![p.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| Error::Input {
            path: dir.clone(),
            source,
        })?;
        for e in entries {
            let e = e.map_err(|source| Error::Input {
                path: dir.clone(),
                source,
            })?;
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if is_data_file(&name) {
                out.push(path);
            } else if name == "manifest" {
                log::debug!("skipping {} (snapshot manifest)", path.display());
            } else {
                unknown.push(path);
            }
        }
    }
    out.sort();
    unknown.sort();
    all.files.extend(out);
    all.unknown.extend(unknown);
    Ok(())
}

fn is_data_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".gz", ".jsonl", ".ndjson", ".json", ".txt", ".csv", ".tsv"]
        .iter()
        .any(|ext| n.ends_with(ext))
}

fn read_file(
    path: &Path,
    format: Option<Format>,
    skip: Option<&SkipLine>,
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let open_err = |source| Error::Input {
        path: path.to_owned(),
        source,
    };
    let mut file = BufReader::with_capacity(1 << 16, File::open(path).map_err(open_err)?);
    stats.files += 1;
    let gz = file
        .fill_buf()
        .map_err(open_err)?
        .starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(1 << 16, ThreadedGz::spawn(file)))
    } else {
        Box::new(file)
    };
    let head = match reader.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => {
            emit_error(stats, sink, path, 1, None, corrupt(&e, 0))?;
            return Ok(());
        }
    };
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        let msg = "UTF-16 text: convert the file to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)";
        return emit_error(stats, sink, path, 1, None, msg.into());
    }
    let detected = detect(&head);
    if let (Some(asked), Some(seen)) = (format, detected) {
        if asked != seen {
            return Err(Error::Usage(format!(
                "{}: --format {} but the file looks like {} (its first line: {:?}); drop --format or name the right one",
                path.display(),
                asked.flag(),
                seen.describe(),
                first_line(&head)
            )));
        }
    }
    let format = match format.or(detected) {
        Some(f) => f,
        None if head.iter().all(u8::is_ascii_whitespace) => return Ok(()),
        None => {
            return emit_error(
                stats,
                sink,
                path,
                1,
                None,
                "unrecognised format (expected OpenAlex JSON Lines, a DOI list, a Web of Science or a Scopus export); name it with --format".into(),
            )
        }
    };
    log::debug!("reading {} as {format:?}", path.display());
    let before = *stats;
    match format {
        Format::Scopus => read_scopus(path, reader, stats, sink)?,
        _ => read_lines(path, reader, format, skip, stats, sink)?,
    }
    // A file read as a format its content does not show (`--format`) that
    // gave nothing at all was not screened: say so. (An empty export or API
    // page in a recognised format is simply empty.)
    let produced = (stats.works + stats.dois + stats.errors + stats.skipped)
        - (before.works + before.dois + before.errors + before.skipped);
    if produced == 0 && detected.is_none() {
        let msg = format!(
            "no records found reading it as {} (its first line: {:?})",
            format.describe(),
            first_line(&head)
        );
        emit_error(stats, sink, path, 1, None, msg)?;
    }
    Ok(())
}

/// The first line of a head, shortened, for messages.
fn first_line(head: &[u8]) -> String {
    let text = decode(&head[..head.len().min(4096)]).0;
    let line = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    line.chars().take(60).collect()
}

/// Text as UTF-8 when it is; otherwise as Windows-1252 (a superset of
/// printable Latin-1), `true` saying so. Never fails, never drops a byte.
pub fn decode(raw: &[u8]) -> (std::borrow::Cow<'_, str>, bool) {
    match std::str::from_utf8(raw) {
        Ok(t) => (std::borrow::Cow::Borrowed(t), false),
        Err(_) => (
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw).0,
            true,
        ),
    }
}

/// Decompresses on a helper thread into a bounded channel of blocks, so
/// inflating and parsing one file overlap (memory: at most 8 blocks of 256 KiB).
struct ThreadedGz {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    block: Vec<u8>,
    pos: usize,
    done: bool,
}

impl ThreadedGz {
    fn spawn<R: Read + Send + 'static>(inner: R) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel(8);
        std::thread::spawn(move || {
            let mut gz = MultiGzDecoder::new(inner);
            loop {
                let mut block = vec![0u8; 256 * 1024];
                let mut filled = 0;
                let res = loop {
                    match gz.read(&mut block[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == block.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                block.truncate(filled);
                let end = filled == 0;
                if filled > 0 && tx.send(Ok(block)).is_err() {
                    return;
                }
                if let Err(e) = res {
                    let _ = tx.send(Err(e));
                    return;
                }
                if end {
                    return;
                }
            }
        });
        Self {
            rx,
            block: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for ThreadedGz {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.block.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(b)) => {
                    self.block = b;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.block.len() - self.pos);
        buf[..n].copy_from_slice(&self.block[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Guesses the format from the first bytes (after decompression).
pub fn detect(head: &[u8]) -> Option<Format> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let first = text.lines().next().unwrap_or("");
    if text.starts_with('{') || text.starts_with('[') {
        return Some(Format::Openalex);
    }
    if first.starts_with("FN ") || first.starts_with("PT ") || first.starts_with("PT\t") {
        return Some(Format::Wos);
    }
    if first.contains("EID") && (first.contains("Title") || first.contains("Authors")) {
        return Some(Format::Scopus);
    }
    if normalize_doi(first).is_some() {
        return Some(Format::Dois);
    }
    None
}

fn corrupt(e: &std::io::Error, after_line: u64) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => format!(
            "compressed input ends early (truncated .gz?) after line {after_line}; the lines before it were read"
        ),
        _ => format!("read error after line {after_line}: {e}"),
    }
}

fn emit_error(
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    path: &Path,
    line: u64,
    field: Option<String>,
    message: String,
) -> Result<(), Error> {
    stats.errors += 1;
    sink(Item::Error(InputError {
        path: path.to_owned(),
        line,
        field,
        message,
    }))
}

fn emit_record(
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
    path: &Path,
    r: Result<Work, RecordError>,
) -> Result<(), Error> {
    match r {
        Ok(w) => {
            stats.works += 1;
            sink(Item::Work(Box::new(w)))
        }
        Err(e) => emit_error(stats, sink, path, e.line, e.field, e.message),
    }
}

/// Line-oriented formats: JSON Lines, DOI lists, both WoS variants.
fn read_lines(
    path: &Path,
    mut reader: Box<dyn BufRead>,
    format: Format,
    skip: Option<&SkipLine>,
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut buf = Vec::with_capacity(1 << 16);
    let mut line_no = 0u64;
    let mut tagged = wos::TaggedParser::default();
    let mut tab_header: Option<Vec<String>> = None;
    let mut tab_without_c1 = false;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(n) => stats.bytes += n as u64,
            Err(e) => {
                emit_error(stats, sink, path, line_no + 1, None, corrupt(&e, line_no))?;
                break;
            }
        }
        line_no += 1;
        let raw = trim_newline(&buf);
        if line_no == 1 && raw.starts_with(b"\xef\xbb\xbf") {
            buf.drain(..3);
        }
        let raw = trim_newline(&buf);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match format {
            Format::Openalex => {
                if line_no == 1 && !json_complete(raw) {
                    // A pretty-printed document (a saved API response): read it whole.
                    let mut rest = buf.clone();
                    if let Err(e) = reader.read_to_end(&mut rest) {
                        return emit_error(stats, sink, path, 1, None, corrupt(&e, 1));
                    }
                    stats.bytes += (rest.len() - buf.len()) as u64;
                    return json_document(path, 1, &rest, stats, sink);
                }
                if skip.is_some_and(|f| f(raw)) {
                    stats.skipped += 1;
                    continue;
                }
                json_line(path, line_no, raw, stats, sink)?;
            }
            Format::Dois => match normalize_doi(&decode(raw).0) {
                Some(doi) => {
                    stats.dois += 1;
                    sink(Item::Doi {
                        doi,
                        path: path.to_owned(),
                        line: line_no,
                    })?;
                }
                None if raw.starts_with(b"#") => {}
                None => emit_error(
                    stats,
                    sink,
                    path,
                    line_no,
                    None,
                    "not a DOI (expected 10.<prefix>/<suffix>)".into(),
                )?,
            },
            Format::Wos => {
                let (text, legacy) = decode(raw);
                stats.legacy_lines += u64::from(legacy);
                let text = text.as_ref();
                if tab_header.is_none() && line_no == 1 && text.starts_with("PT\t") {
                    let h: Vec<String> = text.split('\t').map(|s| s.trim().to_owned()).collect();
                    tab_without_c1 = !h.iter().any(|t| t == "C1");
                    tab_header = Some(h);
                    continue;
                }
                if let Some(h) = &tab_header {
                    let mut fields = wos::Fields::new();
                    for (tag, v) in h.iter().zip(text.split('\t')) {
                        if !v.trim().is_empty() {
                            fields.insert(tag.clone(), vec![v.trim().to_owned()]);
                        }
                    }
                    let mut r = wos::work_from_fields(&fields, line_no);
                    if tab_without_c1 {
                        // Read (title, funding), but its partners cannot be screened.
                        if let Ok(w) = &mut r {
                            w.unscreened = Some(no_column(path, line_no, "C1", NO_C1));
                        }
                    }
                    emit_record(stats, sink, path, r)?;
                } else if let Some(r) = tagged.line(line_no, text) {
                    emit_record(stats, sink, path, r)?;
                }
            }
            Format::Scopus => unreachable!("Scopus is read by read_scopus"),
        }
    }
    if let Some(r) = tagged.finish(line_no + 1) {
        emit_record(stats, sink, path, r)?;
    }
    Ok(())
}

fn trim_newline(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

/// True when the bytes hold one complete JSON value (or are invalid in a way
/// more bytes cannot fix).
fn json_complete(b: &[u8]) -> bool {
    match serde_json::from_slice::<serde::de::IgnoredAny>(b) {
        Ok(_) => true,
        Err(e) => !e.is_eof(),
    }
}

fn json_line(
    path: &Path,
    line: u64,
    raw: &[u8],
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let (text, legacy) = decode(raw);
    stats.legacy_lines += u64::from(legacy);
    match openalex::parse_work(&text) {
        Ok(w) => {
            stats.works += 1;
            sink(Item::Work(Box::new(w)))
        }
        // No `id`: perhaps a saved API page or a Crossref response on one line.
        Err(openalex::ParseError::MissingId) => {
            json_document(path, line, text.as_bytes(), stats, sink)
        }
        Err(e) => {
            let msg = format!("not an OpenAlex work: {e}");
            emit_error(stats, sink, path, line, e.field().map(str::to_owned), msg)
        }
    }
}

/// A whole JSON document: an OpenAlex page (`results`), a Crossref response
/// (`message` with `items`, or one work), an array of works, or one work.
fn json_document(
    path: &Path,
    line: u64,
    raw: &[u8],
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let value: Value = match serde_json::from_slice(raw) {
        Ok(v) => v,
        Err(e) => {
            let msg = format!("invalid JSON: {e}");
            return emit_error(stats, sink, path, line, None, msg);
        }
    };
    let (works, crossref_items) = match value {
        Value::Array(a) => (a, false),
        Value::Object(mut o) => {
            if let Some(Value::Array(r)) = o.remove("results") {
                (r, false)
            } else if let Some(Value::Object(mut m)) = o.remove("message") {
                match m.remove("items") {
                    Some(Value::Array(items)) => (items, true),
                    _ => (vec![Value::Object(m)], true),
                }
            } else if o.contains_key("id") {
                (vec![Value::Object(o)], false)
            } else {
                let msg = "not an OpenAlex work: no `id` (nor `results` or `message` of a saved API response)";
                return emit_error(stats, sink, path, line, Some("id".into()), msg.into());
            }
        }
        _ => {
            let msg = "expected a JSON object".to_owned();
            return emit_error(stats, sink, path, line, None, msg);
        }
    };
    for (i, v) in works.into_iter().enumerate() {
        let r = if crossref_items {
            crossref::work_from_value(v).map_err(|e| (e.to_string(), Some("DOI".to_owned())))
        } else {
            openalex::work_from_value(v).map_err(|e| (e.to_string(), e.field().map(str::to_owned)))
        };
        match r {
            Ok(w) => {
                stats.works += 1;
                sink(Item::Work(Box::new(w)))?;
            }
            Err((msg, field)) => emit_error(
                stats,
                sink,
                path,
                line,
                field,
                format!("record {} of the document: {msg}", i + 1),
            )?,
        }
    }
    Ok(())
}

fn read_scopus(
    path: &Path,
    reader: Box<dyn BufRead>,
    stats: &mut ReadStats,
    sink: &mut dyn FnMut(Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = match csv.byte_headers() {
        Ok(h) => text_record(h, stats),
        Err(e) => return emit_error(stats, sink, path, 1, None, format!("CSV header: {e}")),
    };
    let Some(cols) = scopus::Columns::from_header(&header) else {
        let msg = "not a Scopus export: no `EID` and `Title` columns".to_owned();
        return emit_error(stats, sink, path, 1, None, msg);
    };
    let no_affiliations = !cols.has_affiliations();
    let mut raw = csv::ByteRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {
                let line = raw.position().map_or(line, |p| p.line());
                let record = text_record(&raw, stats);
                let mut r = scopus::work_from_record(&cols, &record, line);
                if no_affiliations {
                    // Read (title, funding), but its partners cannot be screened.
                    if let Ok(w) = &mut r {
                        let why = no_column(path, line, "Affiliations", NO_SCOPUS_AFFILIATIONS);
                        w.unscreened = Some(why);
                    }
                }
                emit_record(stats, sink, path, r)?;
            }
            Err(e) => {
                let at = e.position().map_or(line, |p| p.line());
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                emit_error(stats, sink, path, at, None, format!("CSV: {e}"))?;
                if fatal {
                    break;
                }
            }
        }
    }
    stats.bytes += csv.position().byte();
    Ok(())
}

const NO_C1: &str = "partners not screened: this tab-delimited export has no `C1` (addresses) column; export again with \"Full Record\"";
const NO_SCOPUS_AFFILIATIONS: &str = "partners not screened: this export has no `Authors with affiliations` or `Affiliations` column; export again with them";

/// The [`Work::unscreened`] note for a record of an export without its address column.
fn no_column(path: &Path, line: u64, field: &str, why: &str) -> String {
    format!("{}:{line}: field `{field}`: {why}", path.display())
}

/// A CSV record as text: UTF-8 when it is, else every field decoded as Windows-1252.
fn text_record(raw: &csv::ByteRecord, stats: &mut ReadStats) -> csv::StringRecord {
    match csv::StringRecord::from_byte_record(raw.clone()) {
        Ok(r) => r,
        Err(_) => {
            stats.legacy_lines += 1;
            let mut r = csv::StringRecord::new();
            for f in raw.iter() {
                r.push_field(&decode(f).0);
            }
            r.set_position(raw.position().cloned());
            r
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_from_content() {
        assert_eq!(detect(b"{\"id\":\"W1\"}\n"), Some(Format::Openalex));
        assert_eq!(detect(b"\xef\xbb\xbfFN Clarivate"), Some(Format::Wos));
        assert_eq!(detect(b"PT\tAU\tTI\n"), Some(Format::Wos));
        assert_eq!(detect(b"Authors,Title,Year,EID\n"), Some(Format::Scopus));
        assert_eq!(detect(b"10.1038/35002501\n10.1/x\n"), Some(Format::Dois));
        assert_eq!(detect(b"hello\n"), None);
    }
}
