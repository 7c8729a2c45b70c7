//! Stage 3 of the pipeline: tag papers with the EU critical-technology areas
//! of Commission Recommendation (EU) 2023/2113.
//!
//! Consumes the bundled taxonomy (`data/critical-tech.toml`: areas, their
//! technologies, a phrase lexicon per technology, exclusions and an OpenAlex
//! topic mapping) and papers (title, abstract, keywords, topics); produces
//! [`AreaTag`]s with the phrases and topics behind each.
//! Pure: no files, network or printing.

mod classifier;
mod lexicon;
mod paper;
mod taxonomy;
mod text;

pub use classifier::Classifier;
pub use paper::{AreaTag, Field, Paper, TopicRef};
pub use taxonomy::{
    Area, Context, Defer, Error as TaxonomyError, Exclusion, Strength, Taxonomy, Technology,
    AREA_SLUGS,
};
