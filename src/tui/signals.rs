//! Termination signals while the TUI runs (SIGTERM, SIGHUP from a closed terminal window,
//! SIGINT from `kill -INT`): the handler only records the signal; the event loop sees it and
//! stops, so the TUI shuts down exactly as on `q` (a running demo's process group killed, the
//! drill session closed, the terminal restored). Then [`Signals::finish`] ends the process as
//! the signal would have, so the parent sees the right exit status.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(unix)]
const HANDLED: &[i32] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];
#[cfg(not(unix))]
const HANDLED: &[i32] = &[signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];

/// The last signal received, 0 for none. One per process: the TUI runs once.
static RECEIVED: std::sync::LazyLock<Arc<AtomicUsize>> =
    std::sync::LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

/// The handlers, installed while it lives.
pub struct Signals {
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    /// Installs the handlers: from now on these signals stop the event loop instead of
    /// killing the process on the spot.
    pub fn install() -> std::io::Result<Signals> {
        let mut ids = Vec::with_capacity(HANDLED.len());
        for &signal in HANDLED {
            let value = usize::try_from(signal).expect("signal numbers are positive");
            ids.push(signal_hook::flag::register_usize(
                signal,
                Arc::clone(&RECEIVED),
                value,
            )?);
        }
        Ok(Signals { ids })
    }

    /// Removes the handlers; if a signal arrived, ends the process as that signal does by
    /// default. Call it once everything is cleaned up.
    pub fn finish(self) {
        let signal = received();
        drop(self);
        if let Some(signal) = signal {
            let _ = signal_hook::low_level::emulate_default_handler(signal);
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// The termination signal received since [`Signals::install`], if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => i32::try_from(signal).ok(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_term_signal_is_recorded_instead_of_ending_the_process() {
        let signals = Signals::install().unwrap();
        assert_eq!(received(), None);
        signal_hook::low_level::raise(signal_hook::consts::SIGTERM).unwrap();
        assert_eq!(received(), Some(signal_hook::consts::SIGTERM));
        RECEIVED.store(0, Ordering::SeqCst);
        drop(signals);
    }
}
