//! The bundled, sourced risk list and any `--extra-list` files.
//!
//! Consumes the CSV files in `data/` (compiled into the binary) and user CSVs in
//! the same schema; produces a validated [`RiskList`] of [`RiskEntry`] values
//! with their list memberships, plus the [`KnownInstitution`]s that are *not*
//! listed (used by the matcher as blockers and by `lookup` as near misses).
//! Loading does file I/O only for `--extra-list`; everything else is pure.

mod entry;
pub mod export;
pub mod import;
mod load;

pub use entry::{
    Acronym, Affiliate, KnownInstitution, ListInfo, ListKind, ListedDate, Membership, Relation,
    RiskEntry, RiskLevel, AFFILIATE_KINDS,
};
pub use load::{canonical_openalex, canonical_ror, Error, RiskList};
