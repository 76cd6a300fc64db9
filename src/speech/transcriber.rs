//! The transcriber: rehearse's Python helper (`speech/transcribe.py`, faster-whisper on
//! CTranslate2) as a child process speaking JSON lines, started, cancelled and reaped like a
//! demo. Requests go in on stdin; one reader thread turns stdout into [`Event`]s on a channel,
//! so a UI loop only drains messages and never blocks on the model.
//!
//! The decoder is primed with [`FILLER_PROMPT`] only: fillers are kept ("um", "uh"), and no
//! word of the story is ever put in front of the model, so it cannot hear what it was told.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Deserialize;
use thiserror::Error;

use super::transcript::{Transcript, Word};

/// Whisper drops "um" and "uh" unless its context already has them: the decoder starts from
/// this, written as the transcript of a hesitant exchange. Fillers and function words only,
/// nothing a story could be about. (A list of fillers instead made tiny.en skip or loop.)
pub const FILLER_PROMPT: &str = "- Um, so, uh...\n- Uh, yeah, like, um, you know.";

#[derive(Debug, Error)]
pub enum TranscribeError {
    #[error("cannot start the speech helper {program}: {source}")]
    Start {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the speech helper failed: {0}")]
    Helper(String),
    #[error("the speech helper stopped before answering{0}")]
    Exited(String),
    #[error("the speech helper gave no answer within {0:?}; it was stopped")]
    Timeout(Duration),
    #[error("cannot send the recording to the speech helper: {0}")]
    Send(std::io::Error),
}

/// How to start the helper.
#[derive(Debug, Clone)]
pub struct HelperCommand {
    pub python: PathBuf,
    pub script: PathBuf,
    pub model: PathBuf,
    /// CPU threads for the model (0: all).
    pub threads: usize,
}

/// What the helper said.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The model is loaded.
    Ready { load_seconds: f64 },
    /// Request `id` has been transcribed up to `at` seconds of its recording.
    Progress { id: u64, at: f64 },
    Transcript {
        id: u64,
        transcript: Transcript,
        /// The helper's own time for it.
        seconds: f64,
    },
    /// Request `id` failed; the helper goes on.
    Failed { id: Option<u64>, message: String },
    /// The helper cannot go on (no faster-whisper, a model it cannot load).
    Fatal(String),
    /// A line of stderr (Python warnings, a traceback), kept for the error message.
    Stderr(String),
    /// stdout closed: the helper exited.
    Closed,
}

#[derive(Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Ready {
        load_seconds: f64,
    },
    Progress {
        id: u64,
        at: f64,
    },
    Transcript {
        id: u64,
        duration: f64,
        seconds: f64,
        words: Vec<HelperWord>,
    },
    Error {
        id: Option<u64>,
        message: String,
    },
    Fatal {
        message: String,
    },
}

#[derive(Deserialize)]
struct HelperWord {
    text: String,
    start: f64,
    end: f64,
}

fn parse(line: &str) -> Event {
    match serde_json::from_str::<Line>(line) {
        Ok(Line::Ready { load_seconds }) => Event::Ready { load_seconds },
        Ok(Line::Progress { id, at }) => Event::Progress { id, at },
        Ok(Line::Transcript {
            id,
            duration,
            seconds,
            words,
        }) => Event::Transcript {
            id,
            seconds,
            transcript: Transcript {
                duration,
                words: words
                    .into_iter()
                    .map(|w| Word {
                        text: w.text,
                        start: w.start,
                        end: w.end,
                    })
                    .collect(),
            },
        },
        Ok(Line::Error { id, message }) => Event::Failed { id, message },
        Ok(Line::Fatal { message }) => Event::Fatal(message),
        Err(_) => Event::Stderr(line.to_owned()),
    }
}

/// A running helper. Dropping it kills and reaps the child.
pub struct Transcriber {
    child: Child,
    stdin: Option<ChildStdin>,
    events: Receiver<Event>,
    readers: Vec<JoinHandle<()>>,
    next_id: u64,
}

impl Transcriber {
    /// Starts the helper; it loads the model while the caller goes on (a recording can start
    /// at once and the model is ready when it ends).
    pub fn start(command: &HelperCommand) -> Result<Transcriber, TranscribeError> {
        let mut process = Command::new(&command.python);
        process
            .arg(&command.script)
            .arg("--model")
            .arg(&command.model)
            .arg("--threads")
            .arg(command.threads.to_string())
            // Offline: the model is a local folder; nothing may be fetched from a hub.
            .env("HF_HUB_OFFLINE", "1")
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            process.process_group(0);
        }
        let mut child = process.spawn().map_err(|source| TranscribeError::Start {
            program: command.python.clone(),
            source,
        })?;
        let (tx, events) = channel();
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            let tx = tx.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if tx.send(parse(&line)).is_err() {
                        return;
                    }
                }
                let _ = tx.send(Event::Closed);
            }));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if tx.send(Event::Stderr(line)).is_err() {
                        return;
                    }
                }
            }));
        }
        Ok(Transcriber {
            stdin: child.stdin.take(),
            child,
            events,
            readers,
            next_id: 1,
        })
    }

    /// Asks for `audio` (16 kHz mono 16-bit WAV) to be transcribed; the answer comes as an
    /// [`Event::Transcript`] with the id returned.
    pub fn request(&mut self, audio: &Path) -> Result<u64, TranscribeError> {
        let id = self.next_id;
        self.next_id += 1;
        let line = serde_json::json!({
            "id": id,
            "audio": audio,
            "initial_prompt": FILLER_PROMPT,
        });
        let stdin = self.stdin.as_mut().ok_or_else(|| {
            TranscribeError::Send(std::io::Error::other("the helper's input is closed"))
        })?;
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .map_err(TranscribeError::Send)?;
        Ok(id)
    }

    /// The next event, if one has arrived: for a loop that must not block.
    pub fn try_event(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// The next event, waiting up to `timeout`; `None` when none came in time.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// The helper's process id (for tests and diagnostics).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for request `id`'s transcript, up to `timeout`; for the command line, which has
    /// nothing else to do meanwhile. On a timeout the helper is killed.
    pub fn wait_for(
        &mut self,
        id: u64,
        timeout: Duration,
    ) -> Result<(Transcript, f64), TranscribeError> {
        let deadline = Instant::now() + timeout;
        let mut stderr: Vec<String> = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::Transcript {
                    id: got,
                    transcript,
                    seconds,
                }) if got == id => return Ok((transcript, seconds)),
                Ok(Event::Failed { id: got, message }) if got.is_none_or(|g| g == id) => {
                    return Err(TranscribeError::Helper(message));
                }
                Ok(Event::Fatal(message)) => return Err(TranscribeError::Helper(message)),
                Ok(Event::Stderr(line)) => stderr.push(line),
                Ok(Event::Closed) | Err(RecvTimeoutError::Disconnected) => {
                    self.cancel();
                    let last = stderr.iter().rev().find(|l| !l.trim().is_empty());
                    return Err(TranscribeError::Exited(
                        last.map(|l| format!(": {l}")).unwrap_or_default(),
                    ));
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    self.cancel();
                    return Err(TranscribeError::Timeout(timeout));
                }
            }
        }
    }

    /// Kills the helper's whole process group and reaps it; later calls do nothing.
    pub fn cancel(&mut self) {
        self.stdin = None;
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        crate::demo::runner::kill_group_of(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The readers end when the pipes close.
        self.readers.clear();
    }

    /// Closes stdin (the helper exits at its end) and reaps it.
    pub fn finish(mut self) {
        self.stdin = None;
        let _ = self.child.wait();
        for reader in std::mem::take(&mut self.readers) {
            let _ = reader.join();
        }
    }
}

impl Drop for Transcriber {
    fn drop(&mut self) {
        self.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::analysis::tests_support::content_words;

    #[test]
    fn helper_lines_become_events() {
        assert_eq!(
            parse(r#"{"event": "ready", "protocol": 1, "load_seconds": 1.5}"#),
            Event::Ready { load_seconds: 1.5 }
        );
        let event = parse(
            r#"{"event": "transcript", "id": 3, "duration": 2.0, "seconds": 0.4, "words": [{"text": " Um,", "start": 0.1, "end": 0.3, "probability": 0.9}]}"#,
        );
        let Event::Transcript { id, transcript, .. } = event else {
            panic!("{event:?}");
        };
        assert_eq!(id, 3);
        assert_eq!(transcript.text(), "Um,");
        assert_eq!(
            parse("Traceback (most recent call last):"),
            Event::Stderr("Traceback (most recent call last):".to_owned())
        );
    }

    #[test]
    fn the_prompt_has_fillers_and_no_content_word_at_all() {
        assert!(FILLER_PROMPT.contains("Um") && FILLER_PROMPT.contains("uh"));
        // Fillers and function words only: no content word that a story could share.
        assert!(
            content_words(FILLER_PROMPT).is_empty(),
            "{:?}",
            content_words(FILLER_PROMPT)
        );
    }

    /// A stand-in helper (a shell script speaking the protocol) is started, asked, answered,
    /// and a hung one is killed and reaped on cancel.
    #[cfg(unix)]
    #[test]
    fn a_helper_is_asked_answered_and_a_hung_one_killed() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("fake.sh");
        std::fs::write(
            &script,
            "echo '{\"event\": \"ready\", \"load_seconds\": 0.1}'\n\
             while read line; do\n\
               echo '{\"event\": \"transcript\", \"id\": 1, \"duration\": 1.0, \"seconds\": 0.1, \"words\": [{\"text\": \" hello\", \"start\": 0.0, \"end\": 0.5}]}'\n\
             done\n",
        )
        .unwrap();
        let command = HelperCommand {
            python: "sh".into(),
            script: script.clone(),
            model: dir.path().to_owned(),
            threads: 1,
        };
        let mut helper = Transcriber::start(&command).unwrap();
        let id = helper.request(Path::new("/nowhere.wav")).unwrap();
        let (transcript, _) = helper.wait_for(id, Duration::from_secs(30)).unwrap();
        assert_eq!(transcript.text(), "hello");
        helper.finish();

        std::fs::write(&script, "sleep 600\n").unwrap();
        let mut hung = Transcriber::start(&command).unwrap();
        let pid = hung.pid();
        let id = hung.request(Path::new("/nowhere.wav")).unwrap();
        let error = hung.wait_for(id, Duration::from_millis(300)).unwrap_err();
        assert!(matches!(error, TranscribeError::Timeout(_)), "{error}");
        // Reaped: the pid no longer names a process (not even a zombie).
        let alive = Command::new("kill")
            .args(["-0", &pid.to_string()])
            .status()
            .unwrap()
            .success();
        assert!(!alive);
    }
}
