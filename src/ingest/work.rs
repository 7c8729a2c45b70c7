//! The source-neutral work: what every later stage reads, whichever
//! API or export it came from.

use serde::{Deserialize, Serialize};

/// Where a work's metadata came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// OpenAlex API or snapshot.
    OpenAlex,
    /// Crossref REST API.
    Crossref,
    /// A Web of Science export.
    Wos,
    /// A Scopus CSV export.
    Scopus,
}

impl Source {
    /// The short name used in the cache and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenAlex => "openalex",
            Self::Crossref => "crossref",
            Self::Wos => "wos",
            Self::Scopus => "scopus",
        }
    }
}

/// One paper, from any source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// The source's own id: `W…` (OpenAlex), `doi:…` (Crossref), `WOS:…`, `2-s2.0-…` (Scopus EID).
    pub id: String,
    /// The source.
    pub source: Source,
    /// Bare lower-case DOI (`10.1038/35002501`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Title as plain text (may be empty: paratext has none).
    pub title: String,
    /// Publication year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Source type (`article`, `review`, `journal-article`, `J`…).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub work_type: Option<String>,
    /// Abstract as plain text (rebuilt from OpenAlex's inverted index; JATS stripped).
    #[serde(
        rename = "abstract",
        skip_serializing_if = "String::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub abstract_text: String,
    /// Author and indexer keywords.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub keywords: Vec<String>,
    /// OpenAlex topics.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub topics: Vec<Topic>,
    /// Authors in byline order.
    pub authorships: Vec<Authorship>,
    /// Funders and awards as the source lists them (OpenAlex `grants`,
    /// Crossref `funder`, WoS `FU`, Scopus "Funding Details").
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub funding: Vec<Funding>,
    /// The acknowledgement text as printed (WoS `FX`, Scopus "Funding Texts").
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub acknowledgement: String,
    /// Why part of the record could not be read, so its partners were not
    /// screened (an export without its affiliation column), with file and
    /// line; `None` for a whole record. Counted as not screened in coverage.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unscreened: Option<String>,
}

/// One funder (and award) a work names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Funding {
    /// Funder name as the source gives it (may be empty when only an id is given).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub funder: String,
    /// Funder ids: OpenAlex (`F4320321001`) and Crossref Funder Registry (`10.13039/501100001809`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub funder_ids: Vec<String>,
    /// Award or grant number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award_id: Option<String>,
}

/// An OpenAlex topic with its hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// `T10091`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Subfield name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subfield: Option<String>,
    /// Field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Domain name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// One author on one work.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Authorship {
    /// Name as the source gives it.
    pub name: String,
    /// Bare ORCID (`0000-0002-1825-0097`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    /// OpenAlex author id (`A5109070857`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// `first`, `middle`, `last` where the source says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Affiliation strings exactly as printed on the paper.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub raw_affiliations: Vec<String>,
    /// Institutions the source resolved the author to.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub institutions: Vec<Institution>,
}

/// An institution as a source resolved it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Institution {
    /// OpenAlex id (`I204983213`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Bare ROR id (`01yqg2h08`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ror: Option<String>,
    /// Display name.
    pub name: String,
    /// ISO country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// OpenAlex ids of this institution and its parents.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "crate::nullable::or_default"
    )]
    pub lineage: Vec<String>,
}

/// `https://openalex.org/W123` -> `W123`; bare ids pass through.
pub fn openalex_short(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// `https://ror.org/01yqg2h08` -> `01yqg2h08`.
pub fn ror_short(id: &str) -> &str {
    id.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(id)
}

/// `https://orcid.org/0000-…` -> `0000-…` (upper-case check digit `X`).
pub fn orcid_short(id: &str) -> String {
    id.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(id)
        .to_ascii_uppercase()
}

/// Any DOI spelling (`https://doi.org/…`, `doi:…`, `DOI 10.…`) -> bare lower-case `10.…`,
/// or `None` when there is no `10.` prefix to find.
pub fn normalize_doi(raw: &str) -> Option<String> {
    let s = raw.trim();
    let start = s.find("10.")?;
    let doi = s[start..].trim_end_matches(['.', ',', ';']);
    if !doi.contains('/') {
        return None;
    }
    Some(doi.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_shortened() {
        assert_eq!(
            openalex_short("https://openalex.org/W2162348455"),
            "W2162348455"
        );
        assert_eq!(openalex_short("I27837315"), "I27837315");
        assert_eq!(ror_short("https://ror.org/01yqg2h08/"), "01yqg2h08");
        assert_eq!(
            orcid_short("https://orcid.org/0000-0002-1694-233x"),
            "0000-0002-1694-233X"
        );
    }

    #[test]
    fn dois_are_normalised() {
        for raw in [
            "https://doi.org/10.1038/35002501",
            "doi:10.1038/35002501",
            "DOI 10.1038/35002501.",
            " 10.1038/35002501 ",
        ] {
            assert_eq!(
                normalize_doi(raw).as_deref(),
                Some("10.1038/35002501"),
                "{raw}"
            );
        }
        assert_eq!(
            normalize_doi("https://doi.org/10.1111/J.1936-704X.2009.00057.X").as_deref(),
            Some("10.1111/j.1936-704x.2009.00057.x")
        );
        assert_eq!(normalize_doi("not a doi"), None);
        assert_eq!(normalize_doi("10.1038"), None);
    }
}
