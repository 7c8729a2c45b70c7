//! Report stage: screened works -> a [`Report`] ([`builder`], [`model`]) ->
//! files, one [`Exporter`] per output format. Exporters render to bytes in
//! memory (each can be tested without a disk); [`write_all`] puts them in a
//! folder. Adding a format is one type implementing [`Exporter`] plus one
//! line in [`SCREEN_EXPORTERS`] (or [`trend::TREND_EXPORTERS`]); the run
//! summary lists what was written from that list.

pub mod builder;
pub mod html;
pub mod model;
pub mod table;
pub mod trend;
pub mod xlsx;

use std::path::Path;

pub use builder::{Builder, Saved};
pub use model::{Coverage, Manifest, Report};
pub use table::Table;

use crate::error::Error;

/// One output format of a report of type `R`.
pub trait Exporter<R: ?Sized>: Sync {
    /// The file's name in the report folder (`papers.csv`); for outputs whose
    /// path the user names (`trend --out`), the name of the format.
    fn file_name(&self) -> &'static str;
    /// The file's bytes.
    fn render(&self, report: &R) -> Result<Vec<u8>, Error>;
}

/// A CSV table of the report set. CSVs carry no run header: it is in
/// report.json, the workbook's Run sheet and the HTML page.
pub struct Csv {
    name: &'static str,
    table: fn(&Report) -> Table,
}

impl Exporter<Report> for Csv {
    fn file_name(&self) -> &'static str {
        self.name
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, Error> {
        (self.table)(report).to_csv()
    }
}

/// `report.json`: the whole [`Report`], pretty-printed, with a final newline.
pub struct Json;

impl Exporter<Report> for Json {
    fn file_name(&self) -> &'static str {
        "report.json"
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, Error> {
        let mut json = serde_json::to_vec_pretty(report).map_err(|e| Error::Output(e.into()))?;
        json.push(b'\n');
        Ok(json)
    }
}

/// `report.xlsx`: see [`xlsx`].
pub struct Xlsx;

impl Exporter<Report> for Xlsx {
    fn file_name(&self) -> &'static str {
        "report.xlsx"
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, Error> {
        xlsx::render(report)
    }
}

/// `report.html`: see [`html`].
pub struct Html;

impl Exporter<Report> for Html {
    fn file_name(&self) -> &'static str {
        "report.html"
    }
    fn render(&self, report: &Report) -> Result<Vec<u8>, Error> {
        Ok(html::render(report).into_bytes())
    }
}

/// The files of `screen --out`, in the order the summary names them.
pub const SCREEN_EXPORTERS: &[&dyn Exporter<Report>] = &[
    &Csv {
        name: "papers.csv",
        table: Report::papers_table,
    },
    &Csv {
        name: "institutions.csv",
        table: Report::institutions_table,
    },
    &Csv {
        name: "universities.csv",
        table: Report::universities_table,
    },
    &Json,
    &Xlsx,
    &Html,
];

/// Renders every exporter into `dir` (each file atomically) and returns the
/// names written, in list order.
pub fn write_all<R: ?Sized>(
    report: &R,
    exporters: &[&dyn Exporter<R>],
    dir: &Path,
) -> Result<Vec<&'static str>, Error> {
    std::fs::create_dir_all(dir).map_err(Error::Output)?;
    let mut written = Vec::with_capacity(exporters.len());
    for e in exporters {
        let bytes = e.render(report)?;
        crate::output::write_atomic(&dir.join(e.file_name()), &bytes).map_err(Error::Output)?;
        written.push(e.file_name());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_19_every_screen_file_has_one_exporter_with_a_distinct_name() {
        let mut names: Vec<&str> = SCREEN_EXPORTERS.iter().map(|e| e.file_name()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "two exporters write the same file");
        for f in ["papers.csv", "report.json", "report.html", "report.xlsx"] {
            assert!(names.contains(&f), "{f} has no exporter");
        }
    }

    #[test]
    fn issue_19_screen_out_help_names_every_exported_file() {
        use clap::CommandFactory;
        let cli = crate::cli::Cli::command();
        let screen = cli.find_subcommand("screen").expect("screen");
        let out = screen
            .get_arguments()
            .find(|a| a.get_id() == "out")
            .expect("--out");
        let help = out.get_help().expect("--out help").to_string();
        for e in SCREEN_EXPORTERS {
            assert!(
                help.contains(e.file_name()),
                "--out help lacks {}: {help}",
                e.file_name()
            );
        }
    }

    fn empty_report() -> Report {
        let manifest = Manifest {
            tool: "coscreen test".into(),
            risk_list: "h".into(),
            risk_list_version: "v".into(),
            taxonomy: "t".into(),
            query: "--input x".into(),
            source: "offline files".into(),
            home: crate::screen::Home::Any,
            generated: "2026-01-01T00:00:00Z".into(),
            requests: Default::default(),
            retries: 0,
            complete: true,
        };
        Builder::new("(all works)").finish(manifest, None, "2026-01-01", "")
    }

    #[test]
    fn issue_19_every_exporter_renders_in_memory_and_write_all_names_what_it_wrote() {
        let r = empty_report();
        for e in SCREEN_EXPORTERS {
            let bytes = e.render(&r).unwrap();
            assert!(!bytes.is_empty(), "{} is empty", e.file_name());
        }
        let papers = SCREEN_EXPORTERS[0].render(&r).unwrap();
        assert_eq!(
            String::from_utf8(papers).unwrap().trim_end(),
            table::PAPER_COLUMNS.join(","),
            "an empty report is the column header alone"
        );
        let json: serde_json::Value = serde_json::from_slice(&Json.render(&r).unwrap()).unwrap();
        assert_eq!(json["manifest"]["query"], "--input x");
        let dir = tempfile::tempdir().unwrap();
        let written = write_all(&r, &SCREEN_EXPORTERS[..2], dir.path()).unwrap();
        assert_eq!(written, ["papers.csv", "institutions.csv"]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
