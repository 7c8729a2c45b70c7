//! `data/risk-affiliates.csv`: organisations that are part of or affiliated
//! with a listed entry (hospitals, institutes), validated against the linked
//! list: a ROR record as source, a known entry, never an entry itself.

use std::collections::HashMap;

use serde::Deserialize;

use super::entry::{Affiliate, Relation, AFFILIATE_KINDS};
use super::error::Error;
use super::ids::valid_ror;
use super::parse::{check_country, read_rows, split_list};
use super::RiskList;

#[derive(Debug, Deserialize)]
struct RawAffiliate {
    ror: String,
    name: String,
    aliases: String,
    country: String,
    city: String,
    entry: String,
    relation: String,
    kind: String,
    source: String,
}

/// Parses and validates `risk-affiliates.csv` against the linked `list`.
pub(super) fn parse_affiliates(
    path: &str,
    text: &str,
    list: &RiskList,
) -> Result<Vec<Affiliate>, Error> {
    let mut out: Vec<Affiliate> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let required = [
        "ror", "name", "aliases", "country", "city", "entry", "relation", "kind", "source",
    ];
    for (line, a) in read_rows::<RawAffiliate>(path, text, &required)? {
        let bad = |column, message: String| Error::bad_field(path, line, column, message);
        if !valid_ror(&a.ror) {
            return Err(bad(
                "ror",
                format!("'{}' is not a ROR id (https://ror.org/0xxxxxxdd)", a.ror),
            ));
        }
        if let Some(first) = seen.insert(a.ror.clone(), line) {
            return Err(bad(
                "ror",
                format!(
                    "{} is already on line {first}; one row per organisation",
                    a.ror
                ),
            ));
        }
        if let Some(i) = list.by_ror(&a.ror) {
            return Err(bad(
                "ror",
                format!(
                    "{} is the ROR id of listed entry '{}'; an affiliate is never an entry",
                    a.ror,
                    list.entries()[i].id
                ),
            ));
        }
        if a.name.trim().is_empty() {
            return Err(bad("name", "empty name".into()));
        }
        let entry = list.index_of(&a.entry).ok_or_else(|| {
            bad(
                "entry",
                format!(
                    "unknown entry id '{}'; it must be an id in data/risk-institutions.csv",
                    a.entry
                ),
            )
        })?;
        let relation = match a.relation.as_str() {
            "part" => Relation::Part,
            "affiliate" => Relation::Affiliate,
            other => {
                return Err(bad(
                    "relation",
                    format!("unknown relation '{other}'; use 'part' or 'affiliate'"),
                ))
            }
        };
        if !AFFILIATE_KINDS.contains(&a.kind.as_str()) {
            return Err(bad(
                "kind",
                format!(
                    "unknown kind '{}'; use one of {}",
                    a.kind,
                    AFFILIATE_KINDS.join(", ")
                ),
            ));
        }
        check_country(&a.country).map_err(|m| bad("country", m))?;
        if !a.source.starts_with("https://ror.org/") {
            return Err(bad(
                "source",
                "the source must start with the organisation's ROR record URL".into(),
            ));
        }
        out.push(Affiliate {
            ror: a.ror,
            name: a.name,
            aliases: split_list(&a.aliases).map(str::to_owned).collect(),
            country: a.country,
            city: a.city,
            entry,
            relation,
            kind: a.kind,
            source: a.source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> RiskList {
        RiskList::bundled().expect("the bundled list must load")
    }

    fn affiliates_from(text: &str) -> Result<Vec<Affiliate>, Error> {
        parse_affiliates("affiliates.csv", text, &bundled())
    }

    const HEADER: &str = "ror,name,aliases,country,city,entry,relation,kind,source\n";

    #[test]
    fn bundled_affiliates_load_and_resolve_their_entries() {
        let list = bundled();
        let xiangya = list
            .affiliates()
            .iter()
            .find(|a| a.ror == "https://ror.org/05c1yfj14")
            .expect("Xiangya Hospital is in data/risk-affiliates.csv");
        assert_eq!(list.entries()[xiangya.entry].id, "central-south-university");
        assert_eq!(xiangya.relation, Relation::Affiliate);
        assert_eq!(xiangya.kind, "hospital");
    }

    #[test]
    fn a_bad_affiliate_row_names_its_line_and_column() {
        let good = "https://ror.org/05c1yfj14,Xiangya Hospital,,CN,Changsha,central-south-university,affiliate,hospital,https://ror.org/05c1yfj14 (ROR)\n";
        assert_eq!(
            affiliates_from(&format!("{HEADER}{good}")).unwrap().len(),
            1
        );
        let cases = [
            (
                good.replace("https://ror.org/05c1yfj14,", "05c1yfj14,"),
                "ror",
            ),
            (format!("{good}{good}"), "ror"),
            (good.replace("05c1yfj14,X", "00f1zfq44,X"), "ror"),
            (
                good.replace("central-south-university", "no-such-entry"),
                "entry",
            ),
            (good.replace(",affiliate,", ",sibling,"), "relation"),
            (good.replace(",hospital,", ",clinic,"), "kind"),
            (good.replace(",CN,", ",China,"), "country"),
            (
                good.replace(",https://ror.org/05c1yfj14 (ROR)", ",a blog"),
                "source",
            ),
        ];
        for (rows, want) in cases {
            match affiliates_from(&format!("{HEADER}{rows}")) {
                Err(Error::BadField { column, line, .. }) => {
                    assert_eq!(column, want, "{rows}");
                    assert!(line >= 2, "{rows}");
                }
                other => panic!("{rows}: expected a bad '{want}', got {other:?}"),
            }
        }
    }
}
