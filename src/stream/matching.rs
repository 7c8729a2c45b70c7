//! `match`: input lines in, one JSON line out per input line, in input
//! order, matched in parallel with memory that stays flat however long the
//! input (bounded lines, batches recycled between a reader thread and the
//! pool). A line that cannot be matched (too long, not UTF-8, a NUL byte,
//! empty) becomes an object with an `"error"` field: nothing is dropped.

use std::io::{BufRead, BufReader, Read, Write};

use rayon::prelude::*;

use crate::error::Error;
use crate::matching::{match_line, needs_json_escape, Matcher, Scratch, Wire};

/// Lines longer than this are reported, not matched (memory stays flat).
const MAX_LINE: usize = 1 << 20;
/// Lines read before a parallel batch is matched and written.
const BATCH: usize = 64 * 1024;
/// Lines per parallel work item.
const CHUNK: usize = 1024;

/// Input lines of one batch in one buffer: no allocation per line.
#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    lines: Vec<LineSpan>,
}

/// One line of a batch: its kept bytes `data[start..end]` and full length.
#[derive(Clone, Copy)]
struct LineSpan {
    start: usize,
    end: usize,
    len: usize,
}

/// A batch also ends once its buffer holds this much, so that long lines
/// cannot grow memory with the input.
const BATCH_BYTES: usize = 32 << 20;

/// What a stream saw: lines read, lines with a match, lines not matchable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Input lines.
    pub lines: u64,
    /// Lines with at least one match.
    pub matched: u64,
    /// Lines written as an error object.
    pub errors: u64,
}

/// Matches every line of `reader` (named `input_name` in errors) on `pool`
/// and writes one JSON line each to `out`, in input order. A write error (a
/// closed pipe) stops the reader and is returned as [`Error::Output`].
pub fn match_lines(
    matcher: &Matcher<'_>,
    reader: Box<dyn Read + Send>,
    input_name: &str,
    pool: &rayon::ThreadPool,
    out: &mut impl Write,
) -> Result<Counts, Error> {
    let wire = Wire::new(matcher);
    let (mut lines, mut errors, mut matched) = (0u64, 0u64, 0u64);

    // A reader thread fills batches while the pool matches the previous one;
    // batches (and their line buffers) travel back to be reused, so memory
    // stays flat and no line is allocated twice.
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|scope| -> Result<(), Error> {
        let producer = scope.spawn(move || -> std::io::Result<()> {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                batch.data.clear();
                batch.lines.clear();
                while batch.lines.len() < BATCH && batch.data.len() < BATCH_BYTES {
                    let start = batch.data.len();
                    match read_line(&mut reader, &mut batch.data)? {
                        Some(len) => batch.lines.push(LineSpan {
                            start,
                            end: batch.data.len(),
                            len,
                        }),
                        None => break,
                    }
                }
                if batch.lines.is_empty() || full_tx.send(batch).is_err() {
                    return Ok(());
                }
            }
        });
        // Owned by this closure, so an early return (a closed pipe) drops it
        // and unblocks the reader before the scope joins it.
        let full_rx = full_rx;
        // Per chunk of a batch: working memory and the rendered lines, kept
        // from batch to batch (no allocation, no fresh pages per batch).
        let mut slots: Vec<(Scratch, Vec<u8>)> = Vec::new();
        slots.resize_with(BATCH.div_ceil(CHUNK), Default::default);
        for batch in full_rx.iter() {
            let data = &batch.data;
            // One UTF-8 check for the whole batch; a line is then a slice of
            // it (`get` refuses a cut inside a character, as a truncated long
            // line may make, and that line is checked on its own).
            let whole = std::str::from_utf8(data).ok();
            let counts: Vec<(u64, u64)> = pool.install(|| {
                batch
                    .lines
                    .par_chunks(CHUNK)
                    .zip(slots.par_iter_mut())
                    .map(|(chunk, (s, buf))| {
                        buf.clear();
                        let (mut errs, mut hits) = (0u64, 0u64);
                        for line in chunk {
                            let bytes = &data[line.start..line.end];
                            let text = whole.and_then(|w| w.get(line.start..line.end)).ok_or(bytes);
                            let (had_error, had_hit) =
                                render(matcher, &wire, text, line.len, s, buf);
                            errs += u64::from(had_error);
                            hits += u64::from(had_hit);
                        }
                        (errs, hits)
                    })
                    .collect()
            });
            for ((e, m), (_, buf)) in counts.into_iter().zip(&slots) {
                // On a write error (a closed pipe) dropping `full_rx` stops the reader.
                out.write_all(buf).map_err(Error::Output)?;
                errors += e;
                matched += m;
            }
            lines += batch.lines.len() as u64;
            let _ = empty_tx.send(batch);
        }
        producer
            .join()
            .expect("the reader thread does not panic")
            .map_err(|source| Error::Input {
                path: input_name.into(),
                source,
            })
    })?;
    Ok(Counts {
        lines,
        matched,
        errors,
    })
}

/// Writes one JSON line; returns (was an error line, had a match). `line`
/// is the line as text when the batch's UTF-8 check covered it, else its
/// bytes, to be checked here.
fn render(
    matcher: &Matcher<'_>,
    wire: &Wire,
    line: Result<&str, &[u8]>,
    len: usize,
    s: &mut Scratch,
    buf: &mut Vec<u8>,
) -> (bool, bool) {
    let checked = line.or_else(|bytes| std::str::from_utf8(bytes).map_err(|e| (bytes, e)));
    let bytes = match checked {
        Ok(t) => t.as_bytes(),
        Err((b, _)) => b,
    };
    let (text, error): (std::borrow::Cow<'_, str>, Option<String>) = if len > MAX_LINE {
        let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
        (
            format!("{shown}…").into(),
            Some(format!(
                "line is {} bytes, longer than the {} byte limit; not matched",
                len, MAX_LINE
            )),
        )
    } else {
        match checked {
            Err((_, e)) => (
                String::from_utf8_lossy(bytes),
                Some(format!(
                    "line is not valid UTF-8 (byte {}); not matched",
                    e.valid_up_to()
                )),
            ),
            Ok(t) if t.contains('\0') => (
                t.into(),
                Some("line contains a NUL byte; not matched".to_owned()),
            ),
            Ok(t) if t.trim().is_empty() => (t.into(), Some("empty line".to_owned())),
            Ok(t) => (t.into(), None),
        }
    };
    let hits = if error.is_none() {
        matcher.match_str(&text, s)
    } else {
        Vec::new()
    };
    if hits.is_empty() && error.is_none() && !needs_json_escape(text.as_bytes()) {
        // The common line: nothing to escape, nothing matched.
        buf.extend_from_slice(b"{\"input\":\"");
        buf.extend_from_slice(text.as_bytes());
        buf.extend_from_slice(b"\",\"matches\":[]}\n");
        return (false, false);
    }
    if log::log_enabled!(log::Level::Debug) {
        for h in &hits {
            let id = &matcher.list().entries()[h.entry].id;
            log::debug!(
                "{id}: {} ({}, {:.2})",
                h.evidence,
                h.method.as_str(),
                h.score
            );
        }
    }
    match &error {
        None => wire.write_line(&text, &hits, buf),
        Some(e) => {
            let obj = match_line(matcher, &text, &hits, Some(e));
            serde_json::to_writer(&mut *buf, &obj).expect("serialising to memory cannot fail");
            buf.push(b'\n');
        }
    }
    (error.is_some(), !hits.is_empty())
}

/// Appends one line (without its newline or CR) to `data`, keeping at most
/// `MAX_LINE + 1` bytes of it; returns its full length, `None` at the end.
fn read_line(r: &mut impl BufRead, data: &mut Vec<u8>) -> std::io::Result<Option<usize>> {
    let start = data.len();
    let mut len = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (part, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], i + 1),
            None => (avail, avail.len()),
        };
        let room = (MAX_LINE + 1).saturating_sub(data.len() - start);
        data.extend_from_slice(&part[..part.len().min(room)]);
        len += part.len();
        let found_newline = done == part.len() + 1;
        r.consume(done);
        if found_newline {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if data.len() > start && data.last() == Some(&b'\r') {
        data.pop();
        len -= 1;
    }
    Ok(Some(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_bounded() {
        let data = b"a\r\nb\n\nlast";
        let mut r = BufReader::with_capacity(2, &data[..]);
        let mut got = Vec::new();
        let mut buf = Vec::new();
        while let Some(len) = read_line(&mut r, &mut buf).unwrap() {
            got.push((String::from_utf8(buf.clone()).unwrap(), len));
            buf.clear();
        }
        let want: Vec<(String, usize)> = vec![
            ("a".into(), 1),
            ("b".into(), 1),
            (String::new(), 0),
            ("last".into(), 4),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn long_lines_keep_their_length_but_not_their_bytes() {
        let mut data = vec![b'x'; MAX_LINE + 10];
        data.push(b'\n');
        data.extend_from_slice(b"next\n");
        let mut r = BufReader::new(&data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf).unwrap(), Some(MAX_LINE + 10));
        assert_eq!(buf.len(), MAX_LINE + 1);
        buf.clear();
        assert_eq!(read_line(&mut r, &mut buf).unwrap(), Some(4));
        assert_eq!(buf, b"next");
    }
}
