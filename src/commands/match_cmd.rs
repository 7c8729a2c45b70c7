//! `coscreen match`: stdin/file lines -> JSON Lines, in input order.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

use rayon::prelude::*;

use crate::cli::MatchArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::matching::{match_line, Matcher, Scratch};
use crate::output::Printer;
use crate::risklist::RiskList;

/// Lines longer than this are reported, not matched (memory stays flat).
const MAX_LINE: usize = 1 << 20;
/// Lines read before a parallel batch is matched and written.
const BATCH: usize = 64 * 1024;
/// Lines per parallel work item.
const CHUNK: usize = 1024;

/// One input line as read: its bytes (up to `MAX_LINE`) and its full length.
struct Line {
    bytes: Vec<u8>,
    len: usize,
}

pub(crate) fn run(
    args: &MatchArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let matcher = Matcher::new(list);
    log::debug!("compiled {} patterns", matcher.pattern_count());
    let reader: Box<dyn Read + Send> = match &args.input {
        Some(p) => Box::new(File::open(p).map_err(|source| Error::Input {
            path: p.clone(),
            source,
        })?),
        None => Box::new(std::io::stdin()),
    };
    let input_name = args
        .input
        .as_ref()
        .map_or_else(|| "stdin".into(), |p| p.display().to_string());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("--threads: {e}")))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut lines, mut errors, mut matched) = (0u64, 0u64, 0u64);

    // A reader thread fills batches while the pool matches the previous one;
    // batches (and their line buffers) travel back to be reused, so memory
    // stays flat and no line is allocated twice.
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<Line>>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Line>>();
    std::thread::scope(|scope| -> Result<(), Error> {
        let producer = scope.spawn(move || -> std::io::Result<()> {
            let mut reader = BufReader::with_capacity(1 << 16, reader);
            loop {
                let mut batch = empty_rx.try_recv().unwrap_or_default();
                let mut filled = 0;
                while filled < BATCH {
                    if filled == batch.len() {
                        batch.push(Line {
                            bytes: Vec::new(),
                            len: 0,
                        });
                    }
                    if !read_line(&mut reader, &mut batch[filled])? {
                        break;
                    }
                    filled += 1;
                }
                batch.truncate(filled);
                if filled == 0 || full_tx.send(batch).is_err() {
                    return Ok(());
                }
            }
        });
        // Owned by this closure, so an early return (a closed pipe) drops it
        // and unblocks the reader before the scope joins it.
        let full_rx = full_rx;
        for batch in full_rx.iter() {
            let rendered: Vec<(Vec<u8>, u64, u64)> = pool.install(|| {
                batch
                    .par_chunks(CHUNK)
                    .map(|chunk| {
                        let mut s = Scratch::default();
                        let mut buf = Vec::with_capacity(chunk.len() * 128);
                        let (mut errs, mut hits) = (0u64, 0u64);
                        for line in chunk {
                            let (had_error, had_hit) = render(&matcher, line, &mut s, &mut buf);
                            errs += u64::from(had_error);
                            hits += u64::from(had_hit);
                        }
                        (buf, errs, hits)
                    })
                    .collect()
            });
            for (buf, e, m) in rendered {
                // On a write error (a closed pipe) dropping `full_rx` stops the reader.
                out.write_all(&buf).map_err(Error::Output)?;
                errors += e;
                matched += m;
            }
            lines += batch.len() as u64;
            let _ = empty_tx.send(batch);
        }
        producer
            .join()
            .expect("the reader thread does not panic")
            .map_err(|source| Error::Input {
                path: input_name.clone().into(),
                source,
            })
    })?;
    out.flush().map_err(Error::Output)?;
    log::debug!("{lines} lines, {matched} with a match, {errors} not matchable");
    if errors > 0 {
        printer.warn(&format!(
            "{errors} of {lines} input lines could not be matched (see their \"error\" field)"
        ));
    }
    Ok(ExitStatus::Success)
}

/// Writes one JSON line; returns (was an error line, had a match).
fn render(matcher: &Matcher<'_>, line: &Line, s: &mut Scratch, buf: &mut Vec<u8>) -> (bool, bool) {
    let (text, error): (std::borrow::Cow<'_, str>, Option<String>) = if line.len > MAX_LINE {
        let shown = String::from_utf8_lossy(&line.bytes[..line.bytes.len().min(256)]).into_owned();
        (
            format!("{shown}…").into(),
            Some(format!(
                "line is {} bytes, longer than the {} byte limit; not matched",
                line.len, MAX_LINE
            )),
        )
    } else {
        match std::str::from_utf8(&line.bytes) {
            Err(e) => (
                String::from_utf8_lossy(&line.bytes),
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
    let obj = match_line(matcher, &text, &hits, error.as_deref());
    serde_json::to_writer(&mut *buf, &obj).expect("serialising to memory cannot fail");
    buf.push(b'\n');
    (error.is_some(), !hits.is_empty())
}

/// Whether a string needs escaping in JSON: a control character, a quote or
/// a backslash. Written as a branch-free fold so it vectorises.
fn needs_json_escape(b: &[u8]) -> bool {
    b.iter().fold(false, |acc, &c| {
        acc | (c < 0x20) | (c == b'"') | (c == b'\\')
    })
}

/// Reads one line into `line`, keeping at most `MAX_LINE + 1` bytes of it;
/// `false` at end of input.
fn read_line(r: &mut impl BufRead, line: &mut Line) -> std::io::Result<bool> {
    let bytes = &mut line.bytes;
    bytes.clear();
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
        let (part, done) = match memchr(avail) {
            Some(i) => (&avail[..i], i + 1),
            None => (avail, avail.len()),
        };
        let room = (MAX_LINE + 1).saturating_sub(bytes.len());
        bytes.extend_from_slice(&part[..part.len().min(room)]);
        len += part.len();
        let found_newline = done == part.len() + 1;
        r.consume(done);
        if found_newline {
            break;
        }
    }
    if !any {
        return Ok(false);
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
        len -= 1;
    }
    line.len = len;
    Ok(true)
}

fn memchr(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_bounded() {
        let data = b"a\r\nb\n\nlast";
        let mut r = BufReader::with_capacity(2, &data[..]);
        let mut got = Vec::new();
        let mut l = Line {
            bytes: Vec::new(),
            len: 0,
        };
        while read_line(&mut r, &mut l).unwrap() {
            got.push(String::from_utf8(l.bytes.clone()).unwrap());
        }
        assert_eq!(got, ["a", "b", "", "last"]);
    }

    #[test]
    fn long_lines_keep_their_length_but_not_their_bytes() {
        let mut data = vec![b'x'; MAX_LINE + 10];
        data.push(b'\n');
        data.extend_from_slice(b"next\n");
        let mut r = BufReader::new(&data[..]);
        let mut l = Line {
            bytes: Vec::new(),
            len: 0,
        };
        assert!(read_line(&mut r, &mut l).unwrap());
        assert_eq!(l.len, MAX_LINE + 10);
        assert_eq!(l.bytes.len(), MAX_LINE + 1);
        assert!(read_line(&mut r, &mut l).unwrap());
        assert_eq!(l.bytes, b"next");
    }
}
