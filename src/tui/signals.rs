//! Termination signals while the TUI runs (SIGTERM, SIGHUP from a closed terminal window,
//! SIGINT from `kill -INT`): the handler only records the signal; the event loop sees it and
//! stops, so the TUI shuts down exactly as on `q` (a running demo's process group killed, the
//! drill session closed, the terminal restored). Then [`Signals::finish`] ends the process as
//! the signal would have, so the parent sees the right exit status.
//!
//! The loop may never see the flag: when the terminal goes away (a closed window, a killed
//! tmux), crossterm 0.29's reader spins on the dead tty inside `event::poll` and never returns
//! (crossterm-rs/crossterm#793). So a watchdog thread waits for the flag too; if the process
//! is still alive [`GRACE`] after a signal, it takes the last resort given to
//! [`Signals::install`] (kill the running demo's process group), restores what it can of the
//! terminal and ends the process as the signal would have. Reviews are saved as they are
//! graded, so nothing given is lost.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long the event loop gets to stop by itself after a termination signal.
const GRACE: Duration = Duration::from_secs(3);
/// How often the watchdog looks at the flag (a signal handler cannot wake a thread safely).
const WATCH_EVERY: Duration = Duration::from_millis(250);

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
    /// killing the process on the spot; `last_resort` runs on the watchdog thread if the loop
    /// has not stopped [`GRACE`] after a signal.
    pub fn install(last_resort: impl FnOnce() + Send + 'static) -> std::io::Result<Signals> {
        let mut ids = Vec::with_capacity(HANDLED.len());
        for &signal in HANDLED {
            let value = usize::try_from(signal).expect("signal numbers are positive");
            ids.push(signal_hook::flag::register_usize(
                signal,
                Arc::clone(&RECEIVED),
                value,
            )?);
        }
        std::thread::Builder::new()
            .name("signal-watchdog".into())
            .spawn(move || watch(last_resort))?;
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

/// The watchdog: waits for a signal, gives the event loop [`GRACE`] to stop, then ends the
/// process itself. Never returns once a signal came; when the TUI ends normally, the thread
/// ends with the process.
fn watch(last_resort: impl FnOnce()) {
    let signal = loop {
        std::thread::sleep(WATCH_EVERY);
        if received().is_some() {
            std::thread::sleep(GRACE);
            // Looked at again: only a test takes the flag back.
            if let Some(signal) = received() {
                break signal;
            }
        }
    };
    last_resort();
    // Best effort: on a terminal that is gone these writes fail, which is fine.
    super::restore_terminal();
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    // Not reached for the signals handled here, which all terminate by default.
    std::process::exit(128 + signal);
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
        // The watchdog would end the test process: this test takes the flag back at once.
        let signals = Signals::install(|| {}).unwrap();
        assert_eq!(received(), None);
        signal_hook::low_level::raise(signal_hook::consts::SIGTERM).unwrap();
        assert_eq!(received(), Some(signal_hook::consts::SIGTERM));
        RECEIVED.store(0, Ordering::SeqCst);
        drop(signals);
    }
}
