//! The bundled, sourced risk list and any `--extra-list` files.
//!
//! Consumes the CSV files in `data/` (compiled into the binary) and user CSVs in
//! the same schema; produces a validated [`RiskList`] of [`RiskEntry`] values
//! with their list memberships, plus the [`KnownInstitution`]s that are *not*
//! listed (used by the matcher as blockers and by `lookup` as near misses).
//! Loading does file I/O only for `--extra-list`; everything else is pure.

mod affiliates;
#[cfg(test)]
mod bundled_tests;
mod entry;
mod error;
pub mod export;
mod ids;
pub mod import;
mod load;
mod parse;

pub use entry::{
    Acronym, Affiliate, KnownInstitution, ListInfo, ListKind, ListedDate, Membership, Relation,
    RiskEntry, RiskLevel, AFFILIATE_KINDS,
};
pub use error::Error;
pub use ids::{canonical_openalex, canonical_ror};
pub use load::RiskList;
