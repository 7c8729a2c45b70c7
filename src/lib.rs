//! coscreen: a research-security screener for academic co-authorships.
//!
//! The pipeline: *ingest* publication metadata into source-neutral
//! works, *match* each co-author affiliation against the bundled, sourced risk
//! list ([`risklist`], [`matching`]), *classify* papers against the EU
//! critical-technology areas, *score* and *report*. Each stage is a module with
//! a pure core; files, network and printing stay at the edges ([`commands`],
//! [`output`]).
#![warn(missing_docs)]

pub mod cache;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod exit;
pub mod funding;
pub mod ingest;
pub mod lookup;
pub mod matching;
pub mod net;
pub mod nullable;
pub mod output;
pub mod risklist;
pub mod screen;
pub mod settings;
pub mod sources;
pub mod stream;
pub mod trend;
