//! What a run asks for, derived once for every command: the home side
//! ([`HomeArgs`] -> [`Home`] and OpenAlex filter clauses) and the years
//! ([`YearArgs`]). `screen`, `fetch` and `trend` all go through here; the
//! flags' own checks sit next to them in [`crate::cli`].

use crate::cli::{HomeArgs, YearArgs};
use crate::error::Error;
use crate::ingest::{openalex_short, ror_short};
use crate::screen::Home;

impl HomeArgs {
    /// The home side as screening compares it (ROR id lower-case, OpenAlex
    /// id and country upper-case); `None` when none is named. A ROR id wins
    /// over an OpenAlex id, which wins over a country.
    pub fn home(&self) -> Option<Home> {
        if let Some(r) = &self.ror {
            Some(Home::Ror(ror_short(r).to_ascii_lowercase()))
        } else if let Some(i) = &self.openalex_institution {
            Some(Home::Openalex(openalex_short(i).to_ascii_uppercase()))
        } else {
            self.country
                .as_ref()
                .map(|c| Home::Country(c.to_ascii_uppercase()))
        }
    }

    /// OpenAlex filter clauses for the home side and partner country (no years).
    pub fn clauses(&self) -> Result<Vec<String>, Error> {
        let mut base = Vec::new();
        if let Some(r) = &self.ror {
            base.push(format!(
                "authorships.institutions.ror:{}",
                ror_short(r).to_ascii_lowercase()
            ));
        }
        if let Some(i) = &self.openalex_institution {
            base.push(format!(
                "authorships.institutions.lineage:{}",
                openalex_short(i).to_ascii_uppercase()
            ));
        }
        for cc in [&self.country, &self.partner_country].into_iter().flatten() {
            if cc.len() != 2 || !cc.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(Error::Usage(format!(
                    "not a two-letter country code: '{cc}'"
                )));
            }
            base.push(format!(
                "authorships.institutions.country_code:{}",
                cc.to_ascii_uppercase()
            ));
        }
        Ok(base)
    }

    /// The flags as a person would retype them: `--ror X --country BE`.
    pub fn describe(&self) -> Vec<String> {
        [
            ("--ror", &self.ror),
            ("--openalex-institution", &self.openalex_institution),
            ("--country", &self.country),
            ("--partner-country", &self.partner_country),
        ]
        .into_iter()
        .filter_map(|(flag, v)| v.as_ref().map(|v| format!("{flag} {v}")))
        .collect()
    }
}

impl YearArgs {
    /// True when `year` is outside the years asked for.
    pub fn excludes(&self, year: u16) -> bool {
        self.from.is_some_and(|f| year < f) || self.to.is_some_and(|t| year > t)
    }

    /// The OpenAlex clause for the years, if any.
    pub fn clause(&self) -> Option<String> {
        match (self.from, self.to) {
            (Some(f), Some(t)) => Some(format!("publication_year:{f}-{t}")),
            (Some(f), None) => Some(format!("from_publication_date:{f}-01-01")),
            (None, Some(t)) => Some(format!("to_publication_date:{t}-12-31")),
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(ror: Option<&str>, oa: Option<&str>, cc: Option<&str>) -> HomeArgs {
        HomeArgs {
            ror: ror.map(str::to_owned),
            openalex_institution: oa.map(str::to_owned),
            country: cc.map(str::to_owned),
            partner_country: None,
        }
    }

    #[test]
    fn issue_19_one_home_side_derivation_for_every_command() {
        let h = home(Some("https://ror.org/01YQG2H08"), Some("i1"), Some("be"));
        assert_eq!(h.home(), Some(Home::Ror("01yqg2h08".into())));
        assert_eq!(
            home(None, Some("https://openalex.org/i19820366"), Some("be")).home(),
            Some(Home::Openalex("I19820366".into()))
        );
        assert_eq!(
            home(None, None, Some("be")).home(),
            Some(Home::Country("BE".into()))
        );
        assert_eq!(home(None, None, None).home(), None);
        let mut bad = home(None, None, Some("BEL"));
        assert!(bad.clauses().is_err());
        bad.country = None;
        bad.partner_country = Some("CN".into());
        assert!(bad.check().is_err(), "a partner country needs a home side");
    }

    #[test]
    fn issue_19_years_are_checked_and_filtered_in_one_place() {
        let y = YearArgs {
            from: Some(2024),
            to: Some(2020),
        };
        assert!(y
            .check()
            .unwrap_err()
            .to_string()
            .contains("--from 2024 is after --to 2020"));
        let y = YearArgs {
            from: Some(2020),
            to: None,
        };
        assert!(y.check().is_ok());
        assert!(y.excludes(2019) && !y.excludes(2030));
        assert_eq!(
            y.clause().as_deref(),
            Some("from_publication_date:2020-01-01")
        );
    }
}
