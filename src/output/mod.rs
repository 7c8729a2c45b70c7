//! Everything printed for people: the [`Printer`] (stderr messages by
//! verbosity), the stderr logger, colour and terminal sanitising. Results go to
//! stdout only through the commands' writers.

pub mod log;
mod printer;
pub mod sanitize;

pub use printer::{Printer, Style};
