//! The runs behind `screen` and `trend`: a command parses its flags into a
//! plan, calls the pipeline, and prints what it returns. The pipeline owns
//! the stages in order (ingest -> match -> classify -> score -> report) and
//! everything between them: the query ([`query`]), resume keys, parallel
//! files and the cache.

pub mod query;
pub mod screener;
pub mod trend;
