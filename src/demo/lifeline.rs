//! The demo's side of the [`runner`](super::runner): a demo the app started ends when the app
//! does, even when the app is killed with SIGKILL and cannot cancel it, and a run whose output
//! nobody read to the end is not recorded.
//!
//! - The runner names itself in [`PARENT_ENV`]. On Linux the demo asks the kernel for SIGTERM
//!   when its parent dies (`PR_SET_PDEATHSIG`) and checks that the parent is still the one
//!   named, in case it died before the request.
//! - SIGTERM (from the kernel, or anyone) stops the run: its scratch folders are removed and
//!   its process group (the demo and any helper it started, such as Python) is killed, so
//!   nothing is recorded.
//! - A write to a closed pipe means the reader is gone: a run the app started stops the same
//!   way at once (the portable half of this); any other run goes on, and is not recorded.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where the runner puts its own process id for the demo it starts.
pub const PARENT_ENV: &str = "REHEARSE_DEMO_PARENT";

/// A demo run's tie to whoever reads its output.
#[derive(Debug, Clone)]
pub struct Lifeline {
    /// Started by the app's runner: stop as soon as the app is gone.
    started_by_app: bool,
    output_lost: Arc<AtomicBool>,
}

impl Lifeline {
    /// Ties this run to the app that started it, if [`PARENT_ENV`] names one; stops the run
    /// at once if that app is already gone.
    pub fn from_env() -> io::Result<Lifeline> {
        let parent = std::env::var(PARENT_ENV)
            .ok()
            .and_then(|pid| pid.trim().parse::<u32>().ok());
        if let Some(parent) = parent {
            end_with(parent)?;
        }
        Ok(Lifeline {
            started_by_app: parent.is_some(),
            output_lost: Arc::new(AtomicBool::new(false)),
        })
    }

    /// A run nobody started: nothing to watch but its output.
    pub fn none() -> Lifeline {
        Lifeline {
            started_by_app: false,
            output_lost: Arc::new(AtomicBool::new(false)),
        }
    }

    /// `out`, watched: a write to a closed pipe marks the output lost and stops a run the app
    /// started.
    pub fn watch_output<W: Write>(&self, out: W) -> WatchedOutput<W> {
        WatchedOutput {
            out,
            lifeline: self.clone(),
        }
    }

    /// True once a write found the output's reader gone: the run must not be recorded.
    pub fn output_lost(&self) -> bool {
        self.output_lost.load(Ordering::SeqCst)
    }
}

/// A writer that notices its reader going away (see [`Lifeline::watch_output`]).
pub struct WatchedOutput<W> {
    out: W,
    lifeline: Lifeline,
}

impl<W: Write> WatchedOutput<W> {
    fn noticed<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            self.lifeline.output_lost.store(true, Ordering::SeqCst);
            if self.lifeline.started_by_app {
                stop_run();
            }
        }
        result
    }
}

impl<W: Write> Write for WatchedOutput<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.out.write(buf);
        self.noticed(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.out.flush();
        self.noticed(result)
    }
}

/// Asks for SIGTERM when `parent` dies, makes SIGTERM stop the run, and stops it now if
/// `parent` is already gone.
#[cfg(unix)]
fn end_with(parent: u32) -> io::Result<()> {
    let (mut wake, signalled) = std::os::unix::net::UnixStream::pair()?;
    signal_hook::low_level::pipe::register(signal_hook::consts::SIGTERM, signalled)?;
    std::thread::Builder::new()
        .name("demo-lifeline".into())
        .spawn(move || {
            let mut byte = [0u8; 1];
            // One byte per signal; 0 bytes only if the signal side closed, which it never does.
            if matches!(io::Read::read(&mut wake, &mut byte), Ok(1)) {
                stop_run();
            }
        })?;
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::TERM))?;
    // The parent may have died before the request: then this process was handed to another.
    if std::os::unix::process::parent_id() != parent {
        stop_run();
    }
    Ok(())
}

#[cfg(not(unix))]
fn end_with(_parent: u32) -> io::Result<()> {
    Ok(())
}

/// Ends the run without a record: its scratch folders removed, then SIGKILL to its process
/// group when it leads one (as the runner starts it), so helpers it started go too.
fn stop_run() -> ! {
    let pid = std::process::id();
    demo_kit::remove_scratch_of(pid);
    #[cfg(unix)]
    {
        let me = rustix::process::getpid();
        if rustix::process::getpgrp() == me {
            let _ = rustix::process::kill_process_group(me, rustix::process::Signal::KILL);
        }
    }
    // Not the leader of its group (started by hand with PARENT_ENV set): end just this process.
    std::process::exit(143)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose reader is gone.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_marks_the_output_lost_and_other_errors_do_not() {
        let lifeline = Lifeline::none();
        let mut out = lifeline.watch_output(Vec::new());
        out.write_all(b"fine\n").unwrap();
        assert!(!lifeline.output_lost());
        let mut closed = lifeline.watch_output(Closed);
        assert!(closed.write_all(b"lost\n").is_err());
        assert!(lifeline.output_lost());
    }
}
