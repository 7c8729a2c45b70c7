//! `classify`: JSON Lines of papers in, one line of area tags out per input
//! line, in input order, classified in parallel batch by batch (memory stays
//! flat). A line that is not a JSON object with a string `title` becomes an
//! object with an `"error"` naming the file and line: nothing is dropped.

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::classify::{AreaTag, Classifier, Paper};
use crate::error::Error;

/// One output line: the tags, or the error that stopped the line.
#[derive(Serialize)]
pub(crate) struct Line<'a> {
    pub(crate) areas: &'a [AreaTag],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
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

/// Classifies every line of `reader` (named `path` in errors) and writes one
/// JSON line each to `out`, in input order; returns the number of error lines.
pub fn classify_lines(
    classifier: &Classifier<'_>,
    reader: impl BufRead,
    path: &std::path::Path,
    out: &mut impl Write,
) -> Result<usize, Error> {
    let mut lines = reader.split(b'\n');
    let name = path.display().to_string();
    let (mut errors, mut line_no) = (0usize, 0usize);
    // Batches keep memory flat; rayon's indexed collect keeps input order.
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for line in lines.by_ref().take(BATCH) {
            batch.push(line.map_err(|source| Error::Input {
                path: path.to_owned(),
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
            .map(|(i, line)| classify_line(classifier, line, &name, first + i))
            .collect();
        for (bytes, failed) in rendered {
            out.write_all(&bytes).map_err(Error::Output)?;
            errors += usize::from(failed);
        }
    }
    Ok(errors)
}
