//! `coscreen classify`: one paper from flags, or JSON Lines of papers.
//!
//! Output, one line per paper (per input line):
//! `{"areas": [{"area": "quantum", "score": 0.486, "technologies": [...], "evidence": ["title: qubit"]}]}`,
//! with `"error"` instead when the input line is not a JSON object with a
//! string `title` (the line number is in the message). No line is dropped.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

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
        let mut errors = 0usize;
        for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = line.map_err(|source| Error::Input {
                path: path.clone(),
                source,
            })?;
            let parsed = std::str::from_utf8(&line)
                .map_err(|e| format!("not valid UTF-8 at byte {}", e.valid_up_to()))
                .and_then(|t| {
                    serde_json::from_str::<Paper>(t.trim_end_matches('\r'))
                        .map_err(|e| e.to_string())
                });
            match parsed {
                Ok(paper) => write(&classifier.classify(&paper), None)?,
                Err(e) => {
                    errors += 1;
                    write(
                        &[],
                        Some(format!("{}: line {}: {e}", path.display(), i + 1)),
                    )?;
                }
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
