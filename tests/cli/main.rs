//! Integration tests of the `coscreen` binary: one module per command.
//! New command tests go in a module named after the command.

mod classify;
mod common;
mod faults;
mod fetch;
mod lookup;
mod match_cmd;
mod office;
mod risklist;
mod robust;
mod screen;
mod snapshots;
mod trend;
