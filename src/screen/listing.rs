//! How a flag's listings read in the reports: one line per list, editions
//! collapsed ("List … FY2022–FY2025, first 2023-06-29, paper before
//! listing"), an assessment as its rating and the date it was seen ("rated
//! very_high as of 2025-04-24"). A rating date says when an analyst's rating
//! was seen, not when anything was listed, so only designations and
//! watchlists carry before/after-listing wording.

use super::score::AsOf;

/// One line per list of `listings`, in the order the lists first appear.
pub fn lines(listings: &[AsOf]) -> Vec<String> {
    let mut order: Vec<&str> = Vec::new();
    for l in listings {
        if !order.contains(&l.list.as_str()) {
            order.push(&l.list);
        }
    }
    order
        .into_iter()
        .map(|id| {
            let group: Vec<&AsOf> = listings.iter().filter(|l| l.list == id).collect();
            line(&group)
        })
        .collect()
}

/// Lines of one kind only (`designation`, `assessment`, `watchlist`).
pub fn lines_of_kind(listings: &[AsOf], kind: &str) -> Vec<String> {
    let of_kind: Vec<AsOf> = listings
        .iter()
        .filter(|l| l.kind == kind)
        .cloned()
        .collect();
    lines(&of_kind)
}

/// Dates sort as text (`2023-06-29` < `2024-07` < `2024-09-09?`); a known
/// date always comes before `unknown`.
fn date_key(raw: &str) -> (bool, &str) {
    (!raw.starts_with(|c: char| c.is_ascii_digit()), raw)
}

fn line(group: &[&AsOf]) -> String {
    let name = &group[0].list_name;
    if group[0].kind == "assessment" {
        let mut ratings: Vec<&&AsOf> = group.iter().collect();
        ratings.sort_by(|a, b| date_key(&b.date).cmp(&date_key(&a.date)));
        let parts: Vec<String> = ratings
            .iter()
            .map(|l| match &l.detail {
                Some(d) => format!("rated {d} as of {}", l.date),
                None => format!("as of {}", l.date),
            })
            .collect();
        return format!("{name}: {}", parts.join("; "));
    }
    let first = group
        .iter()
        .min_by(|a, b| date_key(&a.date).cmp(&date_key(&b.date)))
        .expect("a group has a member");
    let details: Vec<&str> = group.iter().filter_map(|l| l.detail.as_deref()).collect();
    let editions = editions(&details);
    let when = if group.len() > 1 {
        format!("first {}", first.date)
    } else {
        first.date.clone()
    };
    let relation = first.paper_is.replace('_', " ");
    let relation = if relation == "undated" {
        "paper year unknown".to_owned()
    } else {
        format!("paper {relation}")
    };
    if editions.is_empty() {
        format!("{name} {when}, {relation}")
    } else {
        format!("{name} {editions}, {when}, {relation}")
    }
}

/// `FY2022, FY2023, FY2025` -> `FY2022–FY2023, FY2025`: runs of consecutive
/// numbered editions with the same prefix collapse; anything else is listed.
fn editions(details: &[&str]) -> String {
    let split = |d: &str| -> Option<(String, u32)> {
        let digits = d.len() - d.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 6 {
            return None;
        }
        let (p, n) = d.split_at(d.len() - digits);
        Some((p.to_owned(), n.parse().ok()?))
    };
    let mut numbered: Vec<(String, u32)> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for d in details {
        match split(d) {
            Some(x) if !numbered.contains(&x) => numbered.push(x),
            Some(_) => {}
            None if !other.iter().any(|o| o == d) => other.push((*d).to_owned()),
            None => {}
        }
    }
    numbered.sort();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbered.len() {
        let mut j = i;
        while j + 1 < numbered.len()
            && numbered[j + 1].0 == numbered[i].0
            && numbered[j + 1].1 == numbered[j].1 + 1
        {
            j += 1;
        }
        let (p, a) = &numbered[i];
        if j > i {
            parts.push(format!("{p}{a}–{p}{}", numbered[j].1));
        } else {
            parts.push(format!("{p}{a}"));
        }
        i = j + 1;
    }
    parts.extend(other);
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of(list: &str, kind: &'static str, detail: Option<&str>, date: &str) -> AsOf {
        AsOf {
            list: list.into(),
            list_name: format!("{list} name"),
            kind,
            detail: detail.map(str::to_owned),
            date: date.into(),
            paper_is: if &date[..4] > "2024" {
                "before_listing"
            } else {
                "after_listing"
            },
        }
    }

    #[test]
    fn issue_18_editions_of_one_list_collapse_into_one_line() {
        let l = [
            as_of("dod_1286", "designation", Some("FY2025"), "2026-07"),
            as_of("dod_1286", "designation", Some("FY2024"), "2025-06-24"),
            as_of("dod_1286", "designation", Some("FY2023"), "2024-07"),
            as_of("dod_1286", "designation", Some("FY2022"), "2023-06-29"),
            as_of("us_entity_list", "designation", None, "2021-12-17"),
        ];
        assert_eq!(
            lines(&l),
            [
                "dod_1286 name FY2022–FY2025, first 2023-06-29, paper after listing",
                "us_entity_list name 2021-12-17, paper after listing"
            ]
        );
    }

    #[test]
    fn issue_18_assessments_read_as_ratings_not_listings() {
        let l = [as_of(
            "aspi_tracker",
            "assessment",
            Some("very_high"),
            "2025-04-24",
        )];
        let text = lines(&l).join("");
        assert_eq!(text, "aspi_tracker name: rated very_high as of 2025-04-24");
        assert!(!text.contains("listing"));
    }

    #[test]
    fn gaps_between_editions_stay_visible() {
        assert_eq!(
            editions(&["FY2025", "FY2022", "FY2023", "special"]),
            "FY2022–FY2023, FY2025, special"
        );
        assert_eq!(editions(&[]), "");
    }
}
