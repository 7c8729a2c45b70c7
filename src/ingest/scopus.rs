//! Scopus CSV exports -> [`Work`].
//!
//! The `Authors with affiliations` column pairs each author with an address
//! (`Zhang, Y., Harbin Institute of Technology, Harbin, China; …` in current
//! exports, `Zhang Y., Harbin …` in older ones); the `Authors` column names
//! the authors, which is how the two are told apart. A work whose pairing
//! cannot be read still keeps every address from `Affiliations`.

use csv::StringRecord;

use super::work::{normalize_doi, Authorship, Funding, Source, Work};
use super::RecordError;

/// Column positions of the fields read, found from the header row.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    authors: Option<usize>,
    with_affiliations: Option<usize>,
    affiliations: Option<usize>,
    title: Option<usize>,
    year: Option<usize>,
    abstract_text: Option<usize>,
    author_keywords: Option<usize>,
    index_keywords: Option<usize>,
    doi: Option<usize>,
    eid: Option<usize>,
    doc_type: Option<usize>,
    funding_details: Option<usize>,
    funding_texts: Vec<usize>,
}

impl Columns {
    /// Finds the columns; `None` when this is not a Scopus export (no `EID` or no `Title`).
    pub fn from_header(h: &StringRecord) -> Option<Self> {
        let find = |name: &str| {
            h.iter().position(|c| {
                c.trim_start_matches('\u{feff}')
                    .trim()
                    .eq_ignore_ascii_case(name)
            })
        };
        let cols = Self {
            authors: find("Authors"),
            with_affiliations: find("Authors with affiliations"),
            affiliations: find("Affiliations"),
            title: find("Title"),
            year: find("Year"),
            abstract_text: find("Abstract"),
            author_keywords: find("Author Keywords"),
            index_keywords: find("Index Keywords"),
            doi: find("DOI"),
            eid: find("EID"),
            doc_type: find("Document Type"),
            funding_details: find("Funding Details"),
            // Exports number them: "Funding Texts", "Funding Text 1", "Funding Text 2"…
            funding_texts: h
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    let c = c.trim().to_ascii_lowercase();
                    c == "funding texts" || c.starts_with("funding text ")
                })
                .map(|(i, _)| i)
                .collect(),
        };
        (cols.eid.is_some() && cols.title.is_some()).then_some(cols)
    }

    /// Whether the export has a column with addresses (without one, no record can be screened).
    pub fn has_affiliations(&self) -> bool {
        self.with_affiliations.is_some() || self.affiliations.is_some()
    }
}

/// Builds a work from one CSV row; `line` is the row's line in the file.
pub fn work_from_record(c: &Columns, r: &StringRecord, line: u64) -> Result<Work, RecordError> {
    let get = |i: Option<usize>| i.and_then(|i| r.get(i)).unwrap_or("").trim();
    let id = get(c.eid);
    if id.is_empty() {
        return Err(RecordError::new(line, Some("EID"), "missing"));
    }
    let year = match get(c.year) {
        "" => None,
        y => Some(
            y.parse::<u16>()
                .map_err(|_| RecordError::new(line, Some("Year"), format!("not a year: '{y}'")))?,
        ),
    };
    let authors = split_authors(get(c.authors));
    let mut authorships: Vec<Authorship> = authors
        .iter()
        .map(|n| Authorship {
            name: n.clone(),
            ..Authorship::default()
        })
        .collect();
    let mut placed_any = false;
    for part in get(c.with_affiliations).split("; ") {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // The longest author name the part starts with, followed by ", ".
        let hit = authors
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                part.len() > n.len() + 2
                    && part.starts_with(n.as_str())
                    && part[n.len()..].starts_with(", ")
            })
            .max_by_key(|(_, n)| n.len());
        if let Some((i, n)) = hit {
            let address = part[n.len() + 2..].trim();
            if !address.is_empty() && !authorships[i].raw_affiliations.iter().any(|a| a == address)
            {
                authorships[i].raw_affiliations.push(address.to_owned());
                placed_any = true;
            }
        }
    }
    if !placed_any {
        let addresses: Vec<String> = get(c.affiliations)
            .split("; ")
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if !addresses.is_empty() {
            authorships.push(Authorship {
                raw_affiliations: addresses,
                ..Authorship::default()
            });
        }
    }
    let keywords = [c.author_keywords, c.index_keywords]
        .into_iter()
        .flat_map(|i| get(i).split(';'))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    let abstract_text = match get(c.abstract_text) {
        "[No abstract available]" => String::new(),
        a => a.to_owned(),
    };
    Ok(Work {
        id: id.to_owned(),
        source: Source::Scopus,
        doi: normalize_doi(get(c.doi)),
        title: get(c.title).to_owned(),
        year,
        work_type: Some(get(c.doc_type).to_owned()).filter(|t| !t.is_empty()),
        abstract_text,
        keywords,
        topics: Vec::new(),
        authorships,
        funding: funding_details(get(c.funding_details)),
        acknowledgement: c
            .funding_texts
            .iter()
            .map(|&i| get(Some(i)))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        unscreened: None,
    })
}

/// `Zhang, Y.; Li, X.` (current) or `Zhang Y., Li X.` (older exports).
/// "Funding Details": `;`-separated funders, each "Name, ACRONYM, (award)" or
/// "Name: award"; the whole item is kept as the funder name when no award
/// can be told apart, so nothing is dropped.
fn funding_details(s: &str) -> Vec<Funding> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, award) = if let Some(open) = p.rfind(", (").filter(|_| p.ends_with(')')) {
                (&p[..open], Some(&p[open + 3..p.len() - 1]))
            } else if let Some((n, a)) = p.rsplit_once(": ") {
                (n, Some(a))
            } else {
                (p, None)
            };
            Funding {
                funder: name.trim().to_owned(),
                funder_ids: Vec::new(),
                award_id: award
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
            }
        })
        .collect()
}

fn split_authors(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() || s == "[No author name available]" {
        return Vec::new();
    }
    let sep = if s.contains(';') { ";" } else { "," };
    s.split(sep)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(header: &[&str], values: &[&str]) -> (Columns, StringRecord) {
        (
            Columns::from_header(&StringRecord::from(header.to_vec())).unwrap(),
            StringRecord::from(values.to_vec()),
        )
    }

    const HEADER: &[&str] = &[
        "\u{feff}Authors",
        "Title",
        "Year",
        "DOI",
        "Affiliations",
        "Authors with affiliations",
        "Abstract",
        "Author Keywords",
        "EID",
    ];

    #[test]
    fn current_export_pairs_authors_with_addresses() {
        let (c, r) = row(
            HEADER,
            &[
                "Zhang, Y.; Smith, J.A.",
                "Quantum dots",
                "2021",
                "10.1000/ABC",
                "Harbin Institute of Technology, Harbin, China; University of Oxford, Oxford, United Kingdom",
                "Zhang, Y., Harbin Institute of Technology, Harbin, China; Smith, J.A., University of Oxford, Oxford, United Kingdom",
                "[No abstract available]",
                "quantum; dots",
                "2-s2.0-85100000000",
            ],
        );
        let w = work_from_record(&c, &r, 2).unwrap();
        assert_eq!(w.id, "2-s2.0-85100000000");
        assert_eq!(w.doi.as_deref(), Some("10.1000/abc"));
        assert_eq!(w.abstract_text, "");
        assert_eq!(w.authorships.len(), 2);
        assert_eq!(w.authorships[0].name, "Zhang, Y.");
        assert_eq!(
            w.authorships[0].raw_affiliations,
            ["Harbin Institute of Technology, Harbin, China"]
        );
        assert_eq!(
            w.authorships[1].raw_affiliations,
            ["University of Oxford, Oxford, United Kingdom"]
        );
    }

    #[test]
    fn older_export_and_unpaired_addresses_are_kept() {
        let (c, r) = row(
            HEADER,
            &[
                "Zhang Y., Smith J.",
                "T",
                "",
                "",
                "Harbin Institute of Technology, Harbin, China",
                "",
                "",
                "",
                "2-s2.0-1",
            ],
        );
        let w = work_from_record(&c, &r, 2).unwrap();
        assert_eq!(w.authorships.len(), 3);
        assert_eq!(w.authorships[2].name, "");
        assert_eq!(
            w.authorships[2].raw_affiliations,
            ["Harbin Institute of Technology, Harbin, China"]
        );
    }

    #[test]
    fn errors_name_the_column() {
        let (c, r) = row(HEADER, &["A", "T", "MMXX", "", "", "", "", "", "2-s2.0-1"]);
        assert_eq!(
            work_from_record(&c, &r, 7).unwrap_err().field.as_deref(),
            Some("Year")
        );
        let (c, r) = row(HEADER, &["A", "T", "2020", "", "", "", "", "", ""]);
        assert_eq!(
            work_from_record(&c, &r, 7).unwrap_err().field.as_deref(),
            Some("EID")
        );
        assert!(Columns::from_header(&StringRecord::from(vec!["a", "b"])).is_none());
    }
}
