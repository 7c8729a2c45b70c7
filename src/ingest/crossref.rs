//! Crossref `message` work items -> [`Work`].
//!
//! Crossref has no resolved institutions beyond what publishers deposit: the
//! affiliation names, and a ROR id where one was deposited. Titles and
//! abstracts carry JATS/HTML markup, stripped here to plain text.

use serde::Deserialize;

use super::work::{
    normalize_doi, orcid_short, ror_short, Authorship, Funding, Institution, Source, Work,
};

/// The `select=` fields a screen needs from Crossref.
pub const SELECT: &str = "DOI,title,issued,published,type,abstract,subject,author,funder";

#[derive(Debug, Deserialize)]
struct RawItem {
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    title: Vec<String>,
    issued: Option<DateParts>,
    published: Option<DateParts>,
    #[serde(rename = "type")]
    work_type: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    subject: Vec<String>,
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    author: Vec<RawAuthor>,
    #[serde(default)]
    funder: Option<Vec<RawFunder>>,
}

#[derive(Debug, Deserialize)]
struct RawFunder {
    name: Option<String>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    #[serde(default)]
    award: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct DateParts {
    #[serde(
        rename = "date-parts",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    parts: Vec<Vec<Option<i64>>>,
}

#[derive(Debug, Deserialize)]
struct RawAuthor {
    given: Option<String>,
    family: Option<String>,
    name: Option<String>,
    #[serde(rename = "ORCID")]
    orcid: Option<String>,
    sequence: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    affiliation: Vec<RawAffiliation>,
}

#[derive(Debug, Deserialize)]
struct RawAffiliation {
    name: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::or_default")]
    id: Vec<RawAffId>,
}

#[derive(Debug, Deserialize)]
struct RawAffId {
    id: Option<String>,
    #[serde(rename = "id-type")]
    id_type: Option<String>,
}

/// Why a Crossref item is not usable.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// Not valid JSON or a field of the wrong type.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// The item has no DOI.
    #[error("field `DOI`: missing or not a DOI")]
    MissingDoi,
}

/// Parses one item of `message.items`, or a singleton's `message`.
pub fn work_from_value(value: serde_json::Value) -> Result<Work, ParseError> {
    let raw: RawItem = serde_json::from_value(value)?;
    let doi = raw
        .doi
        .as_deref()
        .and_then(normalize_doi)
        .ok_or(ParseError::MissingDoi)?;
    let year = [raw.issued.as_ref(), raw.published.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|d| d.parts.first()?.first().copied().flatten())
        .and_then(|y| u16::try_from(y).ok())
        .filter(|y| *y > 0);
    let authorships = raw
        .author
        .into_iter()
        .map(|a| {
            let name = match (a.given, a.family, a.name) {
                (_, _, Some(n)) => n,
                (Some(g), Some(f), None) => format!("{f}, {g}"),
                (g, f, None) => f.or(g).unwrap_or_default(),
            };
            let mut raw_affiliations = Vec::new();
            let mut institutions = Vec::new();
            for af in a.affiliation {
                let aff_name = af.name.map(|n| strip_markup(&n)).unwrap_or_default();
                for id in af.id {
                    let is_ror = id
                        .id_type
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case("ror"));
                    if let (true, Some(v)) = (is_ror, id.id.as_deref()) {
                        institutions.push(Institution {
                            ror: Some(ror_short(v).to_owned()),
                            name: aff_name.clone(),
                            ..Institution::default()
                        });
                    }
                }
                if !aff_name.trim().is_empty() {
                    raw_affiliations.push(aff_name);
                }
            }
            Authorship {
                name,
                orcid: a.orcid.as_deref().map(orcid_short),
                author_id: None,
                position: a.sequence,
                raw_affiliations,
                institutions,
            }
        })
        .collect();
    Ok(Work {
        id: format!("doi:{doi}"),
        source: Source::Crossref,
        doi: Some(doi),
        title: raw
            .title
            .first()
            .map(|t| strip_markup(t))
            .unwrap_or_default(),
        year,
        work_type: raw.work_type,
        abstract_text: raw
            .abstract_text
            .map(|a| strip_markup(&a))
            .unwrap_or_default(),
        keywords: raw.subject,
        topics: Vec::new(),
        authorships,
        funding: raw
            .funder
            .unwrap_or_default()
            .into_iter()
            .flat_map(|f| {
                let name = f.name.map(|n| strip_markup(&n)).unwrap_or_default();
                let ids: Vec<String> = f
                    .doi
                    .as_deref()
                    .and_then(normalize_doi)
                    .into_iter()
                    .collect();
                let awards = f.award.unwrap_or_default();
                let awards: Vec<Option<String>> = if awards.is_empty() {
                    vec![None]
                } else {
                    awards.into_iter().map(Some).collect()
                };
                awards.into_iter().map(move |award_id| Funding {
                    funder: name.clone(),
                    funder_ids: ids.clone(),
                    award_id,
                })
            })
            .collect(),
        acknowledgement: String::new(),
        unscreened: None,
    })
}

/// Drops `<…>` tags (JATS, HTML), decodes the common entities and collapses whitespace.
pub fn strip_markup(s: &str) -> String {
    let mut text = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    // Markup split words from their punctuation: "<i>KRAS</i>/" -> "KRAS /"; keep it readable.
    out.replace(" / ", "/")
        .replace(" ,", ",")
        .replace(" .", ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_stripped_and_spaces_collapsed() {
        assert_eq!(
            strip_markup("Detecting\n   <i>KRAS</i>\n  /\n <i>NRAS</i> mutations"),
            "Detecting KRAS/NRAS mutations"
        );
        assert_eq!(
            strip_markup(
                "<jats:sec><jats:title>Aims</jats:title><jats:p>A &amp; B.</jats:p></jats:sec>"
            ),
            "Aims A & B."
        );
    }

    #[test]
    fn authors_affiliations_and_ror_ids() {
        let v = serde_json::json!({
            "DOI": "10.1000/XYZ",
            "title": ["T"],
            "issued": {"date-parts": [[2021, 3]]},
            "author": [{"given": "Jun", "family": "Xu", "ORCID": "http://orcid.org/0000-0001-2345-678x",
                        "sequence": "first",
                        "affiliation": [{"name": "Harbin Institute of Technology",
                                         "id": [{"id": "https://ror.org/01yqg2h08", "id-type": "ROR"}]}]}]
        });
        let w = work_from_value(v).unwrap();
        assert_eq!(w.id, "doi:10.1000/xyz");
        assert_eq!(w.year, Some(2021));
        let a = &w.authorships[0];
        assert_eq!(a.name, "Xu, Jun");
        assert_eq!(a.orcid.as_deref(), Some("0000-0001-2345-678X"));
        assert_eq!(a.institutions[0].ror.as_deref(), Some("01yqg2h08"));
        assert_eq!(a.raw_affiliations, ["Harbin Institute of Technology"]);
        assert!(work_from_value(serde_json::json!({"title": ["no doi"]})).is_err());
    }
}
