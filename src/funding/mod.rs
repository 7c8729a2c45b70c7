//! Funding signals (pure, sync): the funder tables of concern and the matcher
//! that reads a work's funders, award ids and acknowledgement text against
//! them, ids first, then whole phrases, with civilian programmes that share
//! words shown as near misses and never flagged.

pub mod list;
pub mod matcher;

pub use list::{CivilianFunder, FunderCategory, FunderEntry, FunderList};
pub use matcher::{FundingHit, FundingMatcher, FundingNearMiss};
