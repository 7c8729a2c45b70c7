//! `risklist --format table`: the effective list for people, one entry a
//! line, then the counts by level and the list's version and hash.

use std::io::{self, Write};

use crate::risklist::{RiskLevel, RiskList};

/// Writes the table: level, country, the name cut to 46 characters, the lists.
pub(crate) fn write_table(list: &RiskList, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{:<11} {:<3} {:<46} LISTS", "LEVEL", "CC", "NAME")?;
    for e in list.entries() {
        let mut tags = e.list_tags();
        tags.dedup();
        let name: String = e.name.chars().take(46).collect();
        writeln!(
            out,
            "{:<11} {:<3} {:<46} {}",
            e.risk_level.as_str(),
            e.country,
            name,
            tags.join(", ")
        )?;
    }
    let by_level = |l: RiskLevel| list.entries().iter().filter(|e| e.risk_level == l).count();
    writeln!(
        out,
        "{} entries: {} very_high, {} high, {} medium, {} low (risk list {}, hash {})",
        list.entries().len(),
        by_level(RiskLevel::VeryHigh),
        by_level(RiskLevel::High),
        by_level(RiskLevel::Medium),
        by_level(RiskLevel::Low),
        list.version(),
        list.hash()
    )
}
