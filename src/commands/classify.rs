//! `coscreen classify`: one paper from flags, or JSON Lines of papers.
//!
//! Output, one line per paper (per input line):
//! `{"areas": [{"area": "quantum", "score": 0.486, "technologies": [...], "evidence": ["title: qubit"]}]}`,
//! with `"error"` instead when the input line is not a JSON object with a
//! string `title` (the line number is in the message). No line is dropped.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

use crate::classify::{Classifier, Paper, Taxonomy};
use crate::cli::ClassifyArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::output::Printer;
use crate::stream::{classify_lines, ClassifiedLine};

pub(crate) fn run(args: &ClassifyArgs, printer: &Printer) -> Result<ExitStatus, Error> {
    let taxonomy = Taxonomy::bundled()?;
    let classifier = Classifier::new(&taxonomy);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if let Some(title) = &args.title {
        let paper = Paper {
            title: title.clone(),
            abstract_text: args.abstract_text.clone().unwrap_or_default(),
            ..Paper::default()
        };
        let line = ClassifiedLine {
            areas: &classifier.classify(&paper),
            error: None,
        };
        serde_json::to_writer(&mut out, &line).map_err(|e| Error::Output(e.into()))?;
        out.write_all(b"\n").map_err(Error::Output)?;
    } else if let Some(path) = &args.input {
        let file = File::open(path).map_err(|source| Error::Input {
            path: path.clone(),
            source,
        })?;
        let errors = classify_lines(&classifier, BufReader::new(file), path, &mut out)?;
        if errors > 0 {
            printer.warn(&format!(
                "{errors} input lines could not be classified (see their \"error\" field)"
            ));
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}
