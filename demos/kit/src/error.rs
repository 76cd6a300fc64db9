//! The demo kit's error: why a demo did not finish, in words for the person running it.

use thiserror::Error;

/// Why a demo did not finish. Messages are written for the person running the demo.
#[derive(Debug, Error)]
pub enum DemoError {
    /// The arguments were wrong; the message is clap's, with usage.
    #[error("{0}")]
    Usage(String),
    /// `--help` was asked for: not a failure; the text is the demo's help.
    #[error("{0}")]
    Help(String),
    /// Something the demo needs is not there (a service not running, a file missing).
    /// The message says what to do about it.
    #[error("{0}")]
    Unavailable(String),
    /// The demo ran and failed.
    #[error("{0}")]
    Failed(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl DemoError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed(message.into())
    }
}
