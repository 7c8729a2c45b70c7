//! `coscreen classify`: one paper from flags, or JSON Lines of papers.
//!
//! Output, one line per paper (per input line):
//! `{"areas": [{"area": "quantum", "score": 0.486, "technologies": [...], "evidence": ["title: qubit"]}]}`,
//! with `"error"` instead when the input line is not a JSON object with a
//! string `title` (the line number is in the message). No line is dropped.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::classify::{AreaTag, Classifier, Paper, Taxonomy};
use crate::cli::ClassifyArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;

#[derive(Serialize)]
struct Line<'a> {
    areas: &'a [AreaTag],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Papers per parallel batch.
const BATCH: usize = 16 * 1024;

/// One output line for one input line; `true` when it is an error line.
fn classify_line(
    classifier: &Classifier<'_>,
    line: &[u8],
    path: &str,
    line_no: usize,
) -> (Vec<u8>, bool) {
    let parsed = std::str::from_utf8(line)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.valid_up_to()))
        .and_then(|t| {
            serde_json::from_str::<Paper>(t.trim_end_matches('\r')).map_err(|e| e.to_string())
        });
    let (tags, error) = match parsed {
        Ok(paper) => (classifier.classify(&paper), None),
        Err(e) => (Vec::new(), Some(format!("{path}: line {line_no}: {e}"))),
    };
    let failed = error.is_some();
    let mut bytes = serde_json::to_vec(&Line {
        areas: &tags,
        error,
    })
    .expect("serialising to memory cannot fail");
    bytes.push(b'\n');
    (bytes, failed)
}

pub(crate) fn run(args: &ClassifyArgs, printer: &Printer) -> Result<ExitStatus, Error> {
    let taxonomy = Taxonomy::bundled()?;
    let classifier = Classifier::new(&taxonomy);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut write = |tags: &[AreaTag], error: Option<String>| -> Result<(), Error> {
        serde_json::to_writer(&mut out, &Line { areas: tags, error })
            .map_err(|e| Error::Output(e.into()))?;
        out.write_all(b"\n").map_err(Error::Output)
    };
    if let Some(title) = &args.title {
        let paper = Paper {
            title: title.clone(),
            abstract_text: args.abstract_text.clone().unwrap_or_default(),
            ..Paper::default()
        };
        write(&classifier.classify(&paper), None)?;
    } else if let Some(path) = &args.input {
        let file = File::open(path).map_err(|source| Error::Input {
            path: path.clone(),
            source,
        })?;
        let mut lines = BufReader::new(file).split(b'\n');
        let (mut errors, mut line_no) = (0usize, 0usize);
        // Batches keep memory flat; rayon's indexed collect keeps input order.
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            for line in lines.by_ref().take(BATCH) {
                batch.push(line.map_err(|source| Error::Input {
                    path: path.clone(),
                    source,
                })?);
            }
            if batch.is_empty() {
                break;
            }
            let first = line_no + 1;
            line_no += batch.len();
            let rendered: Vec<(Vec<u8>, bool)> = batch
                .par_iter()
                .enumerate()
                .map(|(i, line)| {
                    classify_line(&classifier, line, &path.display().to_string(), first + i)
                })
                .collect();
            for (bytes, failed) in rendered {
                out.write_all(&bytes).map_err(Error::Output)?;
                errors += usize::from(failed);
            }
        }
        if errors > 0 {
            printer.warn(&format!(
                "{errors} input lines could not be classified (see their \"error\" field)"
            ));
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
