//! A tiny stderr logger for the `log` facade: warn by default, `-v` debug,
//! `-vv` trace, nothing with `-q`.
#![allow(clippy::print_stderr)]

use log::{LevelFilter, Log, Metadata, Record};

struct StderrLogger;

impl Log for StderrLogger {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }

    fn log(&self, r: &Record<'_>) {
        if self.enabled(r.metadata()) {
            let msg = r.args().to_string();
            eprintln!(
                "coscreen: {}: {}",
                r.level().as_str().to_ascii_lowercase(),
                super::sanitize::strip_credentials(&msg)
            );
        }
    }

    fn flush(&self) {}
}

static LOGGER: StderrLogger = StderrLogger;

/// Installs the logger once; later calls only change the level.
pub fn init(verbosity: i8) {
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(match verbosity {
        i8::MIN..=-1 => LevelFilter::Off,
        0 => LevelFilter::Warn,
        1 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    });
}
