//! Every progress bar is made here: drawn on stderr only when it is a
//! terminal and neither `-q` nor `-v` is given ([`crate::settings::Settings::progress`]),
//! so cron mail and logs never see one. Bars show what is counted, the rate
//! and an ETA when the total is known.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Works fetched or screened (rate and ETA from the bar itself).
    Works,
    /// Input files finished; the message carries works and works/s.
    Files,
    /// Years of a trend; the message names the year and its works.
    Years,
}

/// A bar for `unit` with `total` steps (None: a spinner with a count), hidden
/// unless `enabled`.
pub fn bar(enabled: bool, unit: Unit, total: Option<u64>) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let b = match total {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    b.set_style(style(unit, total.is_some()));
    b.enable_steady_tick(std::time::Duration::from_millis(200));
    b
}

fn template(unit: Unit, known: bool) -> &'static str {
    match (unit, known) {
        (Unit::Works, true) => {
            "{spinner} {human_pos}/{human_len} works {wide_bar} {per_sec} · ETA {eta}"
        }
        (Unit::Works, false) => "{spinner} {human_pos} works · {per_sec}",
        (Unit::Files, _) => "{spinner} files {pos}/{len} {wide_bar} {msg} · ETA {eta}",
        (Unit::Years, _) => "{spinner} years {pos}/{len} {wide_bar} {msg} · ETA {eta}",
    }
}

fn style(unit: Unit, known: bool) -> ProgressStyle {
    ProgressStyle::with_template(template(unit, known))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Works counted across threads, shown with their rate in a files bar's message.
#[derive(Debug)]
pub struct WorkRate {
    bar: ProgressBar,
    works: AtomicU64,
    start: Instant,
}

impl WorkRate {
    /// Counts into `bar`'s message.
    pub fn new(bar: ProgressBar) -> Self {
        Self {
            bar,
            works: AtomicU64::new(0),
            start: Instant::now(),
        }
    }

    /// Adds `n` screened works.
    pub fn add(&self, n: u64) {
        let total = self.works.fetch_add(n, Ordering::Relaxed) + n;
        if !self.bar.is_hidden() {
            self.bar
                .set_message(message(total, self.start.elapsed().as_secs_f64()));
        }
    }

    /// One more file finished.
    pub fn file_done(&self) {
        self.bar.inc(1);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn message(works: u64, secs: f64) -> String {
    format!(
        "{works} works, {:.0} works/s",
        works as f64 / secs.max(0.001)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_hidden_unless_enabled() {
        assert!(bar(false, Unit::Works, Some(10)).is_hidden());
        assert!(bar(false, Unit::Files, None).is_hidden());
        let r = WorkRate::new(bar(false, Unit::Files, Some(3)));
        r.add(5);
        r.file_done();
        assert_eq!(r.works.load(Ordering::Relaxed), 5);
    }

    #[test]
    fn every_template_parses() {
        for unit in [Unit::Works, Unit::Files, Unit::Years] {
            for known in [true, false] {
                let t = template(unit, known);
                assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
            }
        }
        assert_eq!(message(100, 2.0), "100 works, 50 works/s");
    }
}
