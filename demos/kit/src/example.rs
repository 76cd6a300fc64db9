//! The command line of each demo's example binary (`cargo run -p DEMO --example ...`): the same
//! words and output as `rehearse demo run ID [--json] [PARAMS]`, without building the app.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::demo::{Demo, run_demo};
use crate::error::DemoError;
use crate::human::HumanSink;
use crate::reporter::{JsonLinesSink, Reporter};

/// Runs `demo` with the process's arguments; `--json` anywhere asks for JSON lines. Help goes
/// to stdout and a closed stdout (`--help | head`) is not an error.
pub fn run_example(demo: &dyn Demo) -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    args.retain(|a| a != "--json");
    let reporter = if json {
        Reporter::new(JsonLinesSink::new(io::stdout()))
    } else {
        Reporter::new(HumanSink::new())
    };
    match run_demo(demo, &args, &reporter) {
        Ok(_) => ExitCode::SUCCESS,
        Err(DemoError::Help(text)) => {
            write_ignoring_closed(&mut io::stdout(), &text);
            ExitCode::SUCCESS
        }
        Err(DemoError::Usage(text)) => {
            // clap's message carries its own `error:` and usage line.
            write_ignoring_closed(&mut io::stderr(), &text);
            ExitCode::from(2)
        }
        Err(error) => {
            write_ignoring_closed(&mut io::stderr(), &format!("error: {error}\n"));
            ExitCode::FAILURE
        }
    }
}

/// Writes `text` (with a final newline) and flushes; a reader that has gone away (a closed
/// pipe) has seen all it wanted, so the error is dropped rather than panicking as `print!` does.
pub fn write_ignoring_closed(out: &mut impl Write, text: &str) {
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    let _ = write!(out, "{text}{newline}").and_then(|()| out.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that has gone away: every write fails as a closed pipe does.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_not_a_panic_and_text_ends_with_one_newline() {
        write_ignoring_closed(&mut ClosedPipe, "usage: demo\n");
        let mut out = Vec::new();
        write_ignoring_closed(&mut out, "one");
        write_ignoring_closed(&mut out, "two\n");
        assert_eq!(out, b"one\ntwo\n");
    }
}
