//! The bulk line streams behind `match` and `classify`: a file or stdin in,
//! one JSON line out per input line, in input order, worked in parallel in
//! batches so that memory stays flat however long the input. A line that
//! cannot be read as input becomes an object with an `"error"` field, counted
//! for the command's warning: nothing is dropped.

mod classify;
mod matching;

pub use classify::classify_lines;
pub(crate) use classify::Line as ClassifiedLine;
pub use matching::{match_lines, Counts};
