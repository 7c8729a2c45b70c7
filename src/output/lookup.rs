//! `lookup` answers rendered for a person at a desk: coloured when the
//! terminal allows, untrusted text sanitised. The answers themselves are
//! built in [`crate::lookup`].

use std::fmt::Write as _;

use crate::lookup::person::PersonJson;
use crate::lookup::{memberships, Explained, Funders};
use crate::output::sanitize::for_terminal;
use crate::output::{Printer, Style};
use crate::risklist::{ListKind, Relation, RiskLevel, RiskList};

/// The colour of a risk level.
pub(crate) fn level_style(l: RiskLevel) -> Style {
    match l {
        RiskLevel::VeryHigh | RiskLevel::High => Style::Danger,
        RiskLevel::Medium => Style::Warn,
        RiskLevel::Low => Style::Dim,
    }
}

/// An institution lookup for a person at a desk: each match with its lists,
/// dates and sources, then what was rejected, recognised or nearly matched.
pub(crate) fn render_text(list: &RiskList, p: &Printer, explained: &Explained) -> String {
    let Explained {
        query,
        hits,
        diag,
        near,
    } = explained;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}",
        p.paint(Style::Bold, "Query:"),
        for_terminal(query)
    );
    if hits.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            p.paint(Style::Good, "No entry of the risk list matches.")
        );
        let _ = writeln!(
            s,
            "  (No match is not a clearance: check the spelling and the near misses below.)"
        );
    }
    for h in hits {
        let e = &list.entries()[h.entry];
        let _ = writeln!(s);
        let orig = if e.name_original.is_empty() {
            String::new()
        } else {
            format!(" ({})", e.name_original)
        };
        let _ = writeln!(s, "{}{}  [{}]", p.paint(Style::Bold, &e.name), orig, e.id);
        let mut level = p.paint(level_style(e.risk_level), e.risk_level.as_str());
        if e.own_level != Some(e.risk_level) {
            level.push_str(" (inherited from a parent entry)");
        }
        let _ = writeln!(s, "  risk level:  {level}");
        let place = if e.city.is_empty() {
            e.country.clone()
        } else {
            format!("{}, {}", e.city, e.country)
        };
        let _ = writeln!(s, "  country:     {place}");
        let chain: Vec<&str> = list
            .ancestors(h.entry)
            .into_iter()
            .map(|a| list.entries()[a].name.as_str())
            .collect();
        if !chain.is_empty() {
            let _ = writeln!(s, "  part of:     {}", chain.join(" -> "));
        }
        if let Some(r) = &e.ror {
            let _ = writeln!(s, "  ROR:         {r}");
        }
        if let Some(o) = &e.openalex {
            let _ = writeln!(s, "  OpenAlex:    {o}");
        }
        let _ = writeln!(
            s,
            "  matched:     {} ({}, score {:.2})",
            for_terminal(&h.evidence),
            h.method.as_str(),
            h.score
        );
        let relation = match h.relation {
            Relation::Entry => "self (the entry itself)",
            Relation::Part => "part (a unit of the entry)",
            Relation::Affiliate => "affiliate (affiliated with the entry, not part of it)",
        };
        let _ = writeln!(s, "  relation:    {relation}");
        for (title, kind) in [
            ("designations (legal lists)", ListKind::Designation),
            ("assessments (analysts' ratings)", ListKind::Assessment),
            ("office watchlists", ListKind::Watchlist),
        ] {
            let ms = memberships(list, e, kind);
            if ms.is_empty() {
                continue;
            }
            let _ = writeln!(s, "  {title}:");
            for m in ms {
                let detail = m.detail.map(|d| format!(" [{d}]")).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "    - {}{} — {} ({})",
                    m.name, detail, m.date, m.date_meaning
                );
                if let Some(newest) = &m.not_in_newest_edition {
                    let _ = writeln!(
                        s,
                        "      {}",
                        p.paint(
                            Style::Warn,
                            &format!(
                                "removed: not in the newest edition ({newest}); dropped or renamed since"
                            )
                        )
                    );
                }
                if let Some(policy) = &m.level_policy {
                    let _ = writeln!(s, "      {policy}");
                }
                if !m.url.is_empty() {
                    let _ = writeln!(s, "      {}", m.url);
                }
            }
        }
        if !e.categories.is_empty() {
            let _ = writeln!(s, "  facts:       {}", e.categories.join("; "));
        }
        if !e.note.is_empty() {
            let _ = writeln!(s, "  note:        {}", p.paint(Style::Warn, &e.note));
        }
        let _ = writeln!(s, "  sources:");
        for src in &e.sources {
            let _ = writeln!(s, "    {src}");
        }
    }
    if !diag.rejected.is_empty() {
        let _ = writeln!(s, "\n{}", p.paint(Style::Bold, "Considered and rejected:"));
        for r in &diag.rejected {
            let _ = writeln!(
                s,
                "  - {} [{}] via '{}': {}",
                r.name,
                r.id,
                for_terminal(&r.matched),
                r.reason
            );
        }
    }
    if !diag.known.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            p.paint(
                Style::Bold,
                "Recognised institutions that are not on the list:"
            )
        );
        for k in &diag.known {
            let _ = writeln!(s, "  - {} ({}, {})", k.name, k.country, k.ror);
        }
    }
    if !near.is_empty() {
        // With a match, the others are different institutions to keep apart;
        // without one, they are candidates the advisor may have meant.
        let (heading, sign) = if hits.is_empty() {
            (
                "Listed institutions with similar names (is one of these meant?):",
                "~",
            )
        } else {
            ("Near misses (listed, but NOT what the query names):", "≠")
        };
        let _ = writeln!(s, "\n{}", p.paint(Style::Bold, heading));
        for (i, sim, n) in near {
            let e = &list.entries()[*i];
            let _ = writeln!(
                s,
                "  - {} {sign} {} [{}] — {} (similarity {:.2})",
                for_terminal(query),
                e.name,
                e.id,
                p.paint(level_style(e.risk_level), e.risk_level.as_str()),
                sim
            );
            if n != &e.name {
                let _ = writeln!(s, "      closest name: {n}");
            }
        }
    }
    s
}

/// The funders a lookup text names, after its institutions.
pub(crate) fn render_funders(p: &Printer, funders: &Funders) -> String {
    let mut s = String::new();
    for f in &funders.of_concern {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}  [{}]  {}",
            p.paint(Style::Bold, &f.name),
            f.id,
            p.paint(
                Style::Danger,
                &format!("funder of concern ({})", f.category)
            )
        );
        if !f.name_original.is_empty() {
            let _ = writeln!(s, "  original:    {}", f.name_original.join("; "));
        }
        let _ = writeln!(
            s,
            "  risk level:  {}",
            p.paint(level_style(f.risk_level), f.risk_level.as_str())
        );
        let _ = writeln!(s, "  country:     {}", f.country);
        let _ = writeln!(
            s,
            "  matched:     \"{}\" as {} ({})",
            for_terminal(&f.matched),
            for_terminal(&f.listed_as),
            f.method
        );
        let _ = writeln!(
            s,
            "  sources:     {} (as of {})",
            f.sources.join(" "),
            f.as_of
        );
    }
    for c in &funders.civilian {
        let _ = writeln!(
            s,
            "{} \"{}\" is {} [{}]: civilian, not a concern",
            p.paint(Style::Good, "Funder:"),
            for_terminal(&c.matched),
            c.name,
            c.civilian_id
        );
    }
    s
}

/// A person's affiliations over time, the listed ones with their lists.
pub(crate) fn render_person(j: &PersonJson, list: &RiskList, p: &Printer) -> String {
    let mut s = String::new();
    let Some(a) = &j.author else {
        let _ = writeln!(s, "{}: OpenAlex has no such author.", j.query);
        return s;
    };
    let _ = writeln!(
        s,
        "{}  (OpenAlex {}{}{})",
        p.paint(Style::Bold, &for_terminal(&a.name)),
        a.openalex.as_deref().unwrap_or("?"),
        a.orcid
            .as_deref()
            .map(|o| format!(", ORCID {o}"))
            .unwrap_or_default(),
        a.works_count
            .map(|n| format!(", {n} works"))
            .unwrap_or_default(),
    );
    let _ = writeln!(
        s,
        "Affiliations over time (the years OpenAlex saw each on the person's papers):"
    );
    for aff in &j.affiliations {
        let years = if aff.years.is_empty() {
            "(no years)".to_owned()
        } else {
            span(&aff.years)
        };
        let last = if aff.last_known { "  [last known]" } else { "" };
        let _ = writeln!(
            s,
            "  {years:<12} {}{}{last}",
            for_terminal(&aff.institution),
            aff.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        );
        if aff.matches.is_empty() {
            let _ = writeln!(s, "               not on the risk list");
        }
        for m in &aff.matches {
            let level = list.get(m.id).map(|e| e.risk_level).unwrap_or(m.risk_level);
            let _ = writeln!(
                s,
                "               {} {} ({}): {}",
                p.paint(level_style(level), "LISTED"),
                for_terminal(m.name),
                level.as_str(),
                m.evidence,
            );
            // One line per list, its dates together.
            let mut lists: Vec<(&str, Vec<&str>)> = Vec::new();
            for l in m
                .designations
                .iter()
                .chain(&m.assessments)
                .chain(&m.watchlists)
            {
                match lists.iter_mut().find(|(n, _)| *n == l.name) {
                    Some((_, dates)) => dates.push(&l.date),
                    None => lists.push((&l.name, vec![&l.date])),
                }
            }
            for (name, dates) in lists {
                let _ = writeln!(s, "                 {name}: {}", dates.join(", "));
            }
        }
    }
    if j.listed_years.is_empty() {
        let _ = writeln!(s, "No affiliation on the risk list.");
    } else {
        let _ = writeln!(
            s,
            "{} {}",
            p.paint(Style::Danger, "At a listed institution in:"),
            span(&j.listed_years)
        );
    }
    for c in &j.concurrent_listed_affiliations {
        let _ = writeln!(
            s,
            "{} {}: {} beside {}",
            p.paint(Style::Danger, "Listed affiliation held with another in"),
            c.year,
            for_terminal(&c.listed.join("; ")),
            for_terminal(&c.alongside.join("; "))
        );
    }
    s
}

/// Years as runs: 2011, 2012, 2013, 2015 -> "2011–2013, 2015".
fn span(years: &[u16]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_spans() {
        assert_eq!(span(&[2011, 2012, 2013, 2015]), "2011–2013, 2015");
        assert_eq!(span(&[2020]), "2020");
    }
}
