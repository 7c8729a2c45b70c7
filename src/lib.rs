//! coscreen: a research-security screener for academic co-authorships.
//!
//! The pipeline: *ingest* publication metadata into source-neutral
//! works, *match* each co-author affiliation against the bundled, sourced risk
//! list ([`risklist`], [`matching`]), *classify* papers against the EU
//! critical-technology areas, *score* ([`screen`]) and *report* ([`report`]).
//! Each stage is a module with a pure core; [`pipeline`] runs them in order
//! for `screen` and `trend`, and files, network and printing stay at the
//! edges ([`commands`], [`net`], [`output`]).
#![warn(missing_docs)]

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
pub mod pipeline;
pub mod report;
pub mod risklist;
pub mod screen;
pub mod settings;
pub mod stream;
