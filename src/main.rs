//! The `rehearse` binary: parses the command line and hands it to `commands`; the edge where
//! errors become one line for the user (causes joined, none repeated) and an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;

fn main() -> ExitCode {
    let cli = cli::Cli::parse().hoist_app_options();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error_chain(&error));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause whose text is already said
/// (a library error often puts its source in its own message, and SQLite repeats its own).
fn error_chain(error: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// Output piped into `head` and closed early is not an error (ripgrep does the same).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot create the folder {path}: {source}")]
    struct Embeds {
        path: String,
        #[source]
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::from_raw_os_error(17);
        let error = anyhow::Error::new(Embeds {
            path: "/x".into(),
            source: io,
        })
        .context("opening the database");
        let text = error_chain(&error);
        assert_eq!(text.matches("File exists").count(), 1, "{text}");
        assert!(text.starts_with("opening the database: cannot create the folder /x"));
    }

    #[test]
    fn distinct_causes_are_all_kept_in_order() {
        let error = anyhow::anyhow!("disk full")
            .context("writing out.md")
            .context("exporting");
        assert_eq!(error_chain(&error), "exporting: writing out.md: disk full");
    }
}
