//! Stage 2 of the pipeline: resolve co-author affiliations against the risk list.
//!
//! Consumes a compiled [`crate::risklist::RiskList`] and affiliation strings or
//! identifiers; produces [`Hit`]s, each with method, score and a one-line
//! evidence string. Pure and synchronous: no files, network, clock or printing.

mod candidate;
pub mod country;
mod fuzzy;
pub mod index;
mod lexicon;
mod matcher;
pub mod normalize;
mod output;
pub mod trie;
mod wordlists;
mod words;

pub use matcher::{
    Diagnostics, Hit, InstitutionIds, KnownMention, Matcher, Method, Rejection, Scratch,
    MAX_SCREENED,
};
pub use output::{match_line, needs_json_escape, MatchJson, MatchLine, Wire};
