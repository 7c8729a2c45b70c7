//! Stage 3 of the pipeline: tag papers with the EU critical-technology areas
//! of Commission Recommendation (EU) 2023/2113.
//!
//! Consumes the bundled taxonomy (`data/critical-tech.toml`: areas, their
//! technologies, a phrase lexicon per technology, exclusions and an OpenAlex
//! topic mapping). This first step loads and validates it; the classifier
//! that scores titles, abstracts, keywords and topics lands next (issue 4).
//! Pure: no files, network or printing.

mod taxonomy;

pub use taxonomy::{Area, Exclusion, Taxonomy, Technology, AREA_SLUGS};
