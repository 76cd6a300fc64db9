//! One spoken answer from a WAV file to feedback: the file checked and converted, the model
//! checked, the helper asked, the transcript analysed. The converted copy is always removed;
//! the caller's file is never touched.

use std::path::Path;
use std::time::{Duration, Instant};

use thiserror::Error;

use super::audio::{self, AudioError};
use super::model::ModelError;
use super::transcriber::{HelperCommand, TranscribeError, Transcriber};
use super::transcript::{SectionMarks, Transcript};
use super::{Feedback, analyse};
use crate::story::Story;

#[derive(Debug, Error)]
pub enum ListenError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Transcribe(#[from] TranscribeError),
    #[error("cannot write the converted recording to the temporary folder: {0}")]
    Scratch(std::io::Error),
}

/// The answer heard, checked, and how long each step took.
#[derive(Debug, Clone)]
pub struct Heard {
    pub transcript: Transcript,
    pub feedback: Feedback,
    /// Length of the recording.
    pub audio_seconds: f64,
    /// The file as it was: rate and channels.
    pub source_rate: u32,
    pub source_channels: u16,
    /// From the request to the feedback, the model already loaded: what a speaker waits for
    /// after the end of an answer.
    pub feedback_seconds: f64,
    /// Starting the helper and loading the model.
    pub load_seconds: f64,
}

/// Longest wait for the helper: generous for a slow machine, still bounded.
fn timeout_for(seconds: f64) -> Duration {
    Duration::from_secs_f64(120.0 + seconds * 3.0)
}

/// Hears the WAV file `file` as an answer from `story`.
pub fn listen_file(
    story: &Story,
    file: &Path,
    marks: &SectionMarks,
    helper: &HelperCommand,
) -> Result<Heard, ListenError> {
    let audio = audio::read_wav(file)?;
    super::model::check(&helper.model)?;
    let scratch = tempfile::Builder::new()
        .prefix("rehearse-answer-")
        .suffix(".wav")
        .tempfile()
        .map_err(ListenError::Scratch)?;
    audio::write_wav(scratch.path(), &audio.samples)?;
    let loading = Instant::now();
    let mut transcriber = Transcriber::start(helper)?;
    wait_ready(&mut transcriber, timeout_for(0.0))?;
    let load_seconds = loading.elapsed().as_secs_f64();
    let asked = Instant::now();
    let id = transcriber.request(scratch.path())?;
    let (mut transcript, _) = transcriber.wait_for(id, timeout_for(audio.seconds()))?;
    transcript.drop_made_up(audio::last_sound(&audio.samples));
    let feedback = analyse(story, &transcript, marks);
    let feedback_seconds = asked.elapsed().as_secs_f64();
    transcriber.finish();
    Ok(Heard {
        transcript,
        feedback,
        audio_seconds: audio.seconds(),
        source_rate: audio.source_rate,
        source_channels: audio.source_channels,
        feedback_seconds,
        load_seconds,
    })
}

/// Waits for the model to load, so the timings separate loading from hearing.
fn wait_ready(transcriber: &mut Transcriber, timeout: Duration) -> Result<(), TranscribeError> {
    use super::transcriber::Event;
    let deadline = Instant::now() + timeout;
    let mut last_stderr = String::new();
    loop {
        match transcriber.next_event(deadline.saturating_duration_since(Instant::now())) {
            Some(Event::Ready { .. }) => return Ok(()),
            Some(Event::Fatal(message)) => return Err(TranscribeError::Helper(message)),
            Some(Event::Stderr(line)) if !line.trim().is_empty() => last_stderr = line,
            Some(Event::Closed) => {
                transcriber.cancel();
                return Err(TranscribeError::Exited(if last_stderr.is_empty() {
                    String::new()
                } else {
                    format!(": {last_stderr}")
                }));
            }
            Some(_) => {}
            None => {
                transcriber.cancel();
                return Err(TranscribeError::Timeout(timeout));
            }
        }
    }
}
