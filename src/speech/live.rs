//! The real [`Ear`]: a recorder (a microphone tool, or a WAV file in its place) and the
//! transcriber helper, both driven by one worker thread. The helper starts with the ear, so the
//! model loads while the first answer is spoken. While a take is recorded, each finished
//! stretch ([`super::stretch`]) goes to the helper at once; when the speaker stops, only the
//! last stretch is left to hear. Stretches are written to a private temp folder and deleted
//! once heard; the whole take is kept only with `[speech] keep_audio` (in `recordings/`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::audio::{self, MAX_SECONDS, MIN_SECONDS, SAMPLE_RATE};
use super::capture::{Captured, Recorder, Recording};
use super::ear::{Ear, Heard, Take};
use super::stretch::next_cut;
use super::transcriber::{Event, HelperCommand, Transcriber};
use super::transcript::{Transcript, Word};

/// What the ear records with and hears with.
pub struct LiveConfig {
    pub helper: HelperCommand,
    pub recorder: Box<dyn Recorder>,
    /// Where whole takes are kept (`[speech] keep_audio`); None: nothing is kept.
    pub keep_in: Option<PathBuf>,
}

/// What the worker is told.
enum Job {
    Start { take: Take, label: String },
    Audio { take: Take, captured: Captured },
    Cancel(Take),
    Quit,
}

pub struct LiveEar {
    recorder: Box<dyn Recorder>,
    recording: Option<(Take, Box<dyn Recording>)>,
    jobs: Sender<Job>,
    heard: Receiver<Heard>,
    worker: Option<JoinHandle<()>>,
}

impl LiveEar {
    /// Starts the worker and the helper (the model loads meanwhile).
    pub fn new(config: LiveConfig) -> LiveEar {
        let (jobs, inbox) = channel();
        let (tell, heard) = channel();
        let LiveConfig {
            helper,
            recorder,
            keep_in,
        } = config;
        let worker = std::thread::spawn(move || Worker::new(&helper, keep_in, tell).run(&inbox));
        LiveEar {
            recorder,
            recording: None,
            jobs,
            heard,
            worker: Some(worker),
        }
    }
}

impl Ear for LiveEar {
    fn start(&mut self, take: Take, label: &str) -> Result<(), String> {
        if let Some((_, mut earlier)) = self.recording.take() {
            earlier.stop();
        }
        // The worker hears of the take before its first samples.
        let _ = self.jobs.send(Job::Start {
            take,
            label: label.to_owned(),
        });
        let jobs = self.jobs.clone();
        let sink = Box::new(move |captured| {
            let _ = jobs.send(Job::Audio { take, captured });
        });
        match self.recorder.start(sink) {
            Ok(recording) => {
                self.recording = Some((take, recording));
                Ok(())
            }
            Err(e) => {
                let _ = self.jobs.send(Job::Cancel(take));
                Err(e.to_string())
            }
        }
    }

    fn stop(&mut self, take: Take) {
        if let Some((recorded, mut recording)) = self.recording.take() {
            if recorded == take {
                recording.stop();
            } else {
                self.recording = Some((recorded, recording));
            }
        }
    }

    fn cancel(&mut self, take: Take) {
        self.stop(take);
        let _ = self.jobs.send(Job::Cancel(take));
    }

    fn poll(&mut self) -> Option<Heard> {
        self.heard.try_recv().ok()
    }
}

impl Drop for LiveEar {
    fn drop(&mut self) {
        if let Some((_, mut recording)) = self.recording.take() {
            recording.stop();
        }
        let _ = self.jobs.send(Job::Quit);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// A stretch sent to the helper.
struct Stretch {
    /// Its place in the take, in samples.
    start: usize,
    end: usize,
    /// Seconds of sound in it (words after that were made up from silence).
    last_sound: f64,
    file: Option<PathBuf>,
    asked: Instant,
    /// Its words, on the take's timeline, once heard.
    words: Option<Vec<Word>>,
}

struct TakeState {
    label: String,
    samples: Vec<i16>,
    /// Samples already cut into stretches.
    cut: usize,
    stretches: Vec<Stretch>,
    ended: bool,
}

impl TakeState {
    fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(SAMPLE_RATE)
    }

    fn heard_seconds(&self) -> f64 {
        self.stretches
            .iter()
            .take_while(|s| s.words.is_some())
            .last()
            .map_or(0.0, |s| s.end as f64 / f64::from(SAMPLE_RATE))
    }
}

/// Quiet kept after a stretch's last sound, so its last word is heard whole.
const TRAILING_QUIET: f64 = 0.5;

/// Longest wait for one stretch (generous for a loaded machine, still bounded).
const STRETCH_TIMEOUT: Duration = Duration::from_secs(180);

struct Worker {
    transcriber: Result<Transcriber, String>,
    model: String,
    scratch: Option<tempfile::TempDir>,
    keep_in: Option<PathBuf>,
    takes: BTreeMap<Take, TakeState>,
    /// Helper request id -> (take, stretch index).
    asked: BTreeMap<u64, (Take, usize)>,
    tell: Sender<Heard>,
    /// The helper's last words on stderr, for a failure message.
    last_stderr: String,
}

impl Worker {
    fn new(helper: &HelperCommand, keep_in: Option<PathBuf>, tell: Sender<Heard>) -> Worker {
        Worker {
            transcriber: Transcriber::start(helper).map_err(|e| e.to_string()),
            model: super::model::model_name(&helper.model),
            scratch: tempfile::Builder::new()
                .prefix("rehearse-speech-")
                .tempdir()
                .ok(),
            keep_in,
            takes: BTreeMap::new(),
            asked: BTreeMap::new(),
            tell,
            last_stderr: String::new(),
        }
    }

    fn run(mut self, inbox: &Receiver<Job>) {
        loop {
            match inbox.recv_timeout(Duration::from_millis(20)) {
                Ok(Job::Quit) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(job) => self.job(job),
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.helper_events();
            self.check_timeouts();
        }
    }

    fn job(&mut self, job: Job) {
        match job {
            Job::Start { take, label } => {
                self.takes.insert(
                    take,
                    TakeState {
                        label,
                        samples: Vec::new(),
                        cut: 0,
                        stretches: Vec::new(),
                        ended: false,
                    },
                );
            }
            Job::Audio { take, captured } => self.audio(take, captured),
            Job::Cancel(take) => {
                if let Some(state) = self.takes.remove(&take) {
                    remove_files(&state);
                }
            }
            Job::Quit => {}
        }
    }

    fn audio(&mut self, take: Take, captured: Captured) {
        let Some(state) = self.takes.get_mut(&take) else {
            return;
        };
        match captured {
            Captured::Samples(block) => {
                // Past the longest answer, the rest is not kept (the session stops it).
                let room = (MAX_SECONDS * f64::from(SAMPLE_RATE)) as usize;
                let keep = room.saturating_sub(state.samples.len()).min(block.len());
                state.samples.extend_from_slice(&block[..keep]);
            }
            Captured::Ended(Err(error)) if state.samples.is_empty() => {
                return self.fail(take, &error.to_string());
            }
            // Ended as asked, played out, or the tool failed part way: what was recorded is
            // heard.
            Captured::Ended(_) => {
                state.ended = true;
                if let Some(problem) = unusable(&state.samples) {
                    return self.fail(take, &problem);
                }
            }
        }
        self.send_stretches(take);
        self.finish_if_heard(take);
    }

    /// Cuts and sends every stretch that is ready.
    fn send_stretches(&mut self, take: Take) {
        loop {
            let Some(state) = self.takes.get_mut(&take) else {
                return;
            };
            let Some(cut) = next_cut(&state.samples[state.cut..], state.ended) else {
                return;
            };
            let (start, end) = (state.cut, state.cut + cut);
            state.cut = end;
            let samples = &state.samples[start..end];
            let mut stretch = Stretch {
                start,
                end,
                last_sound: audio::last_sound(samples),
                file: None,
                asked: Instant::now(),
                words: None,
            };
            // Silence is not sent: Whisper makes words up from it.
            if stretch.last_sound == 0.0 {
                stretch.words = Some(Vec::new());
                state.stretches.push(stretch);
                continue;
            }
            let index = state.stretches.len();
            let file = self
                .scratch
                .as_ref()
                .map(|dir| dir.path().join(format!("take-{take}-{index}.wav")));
            // Silence after the last sound is not sent: less to hear, nothing to make up.
            let sounding =
                ((stretch.last_sound + TRAILING_QUIET) * f64::from(SAMPLE_RATE)) as usize;
            let samples = &samples[..sounding.min(samples.len())];
            let asked = match (&file, &mut self.transcriber) {
                (Some(file), Ok(transcriber)) => audio::write_wav(file, samples)
                    .map_err(|e| e.to_string())
                    .and_then(|()| transcriber.request(file).map_err(|e| e.to_string())),
                (None, _) => Err("cannot make a temporary folder for the recording".to_owned()),
                (_, Err(e)) => Err(e.clone()),
            };
            stretch.file = file;
            state.stretches.push(stretch);
            match asked {
                Ok(id) => {
                    self.asked.insert(id, (take, index));
                }
                Err(message) => return self.fail(take, &message),
            }
        }
    }

    fn helper_events(&mut self) {
        loop {
            let event = match &self.transcriber {
                Ok(transcriber) => transcriber.try_event(),
                Err(_) => None,
            };
            let Some(event) = event else {
                return;
            };
            match event {
                Event::Transcript { id, transcript, .. } => self.stretch_heard(id, transcript),
                Event::Progress { id, at } => self.progress(id, at),
                Event::Failed { id, message } => match id.and_then(|id| self.asked.remove(&id)) {
                    Some((take, _)) => self.fail(take, &message),
                    None => self.fail_all(&message),
                },
                Event::Fatal(message) => {
                    self.fail_all(&message);
                    self.transcriber = Err(message);
                }
                Event::Closed => {
                    let message = format!(
                        "the speech helper stopped{}",
                        if self.last_stderr.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", self.last_stderr)
                        }
                    );
                    self.fail_all(&message);
                    self.transcriber = Err(message);
                }
                Event::Stderr(line) if !line.trim().is_empty() => self.last_stderr = line,
                Event::Stderr(_) | Event::Ready { .. } => {}
            }
        }
    }

    fn progress(&mut self, id: u64, at: f64) {
        let Some(&(take, index)) = self.asked.get(&id) else {
            return;
        };
        if let Some(state) = self.takes.get(&take) {
            let start = state.stretches[index].start as f64 / f64::from(SAMPLE_RATE);
            let _ = self.tell.send(Heard::Progress {
                take,
                heard: state.heard_seconds().max(start + at),
                recorded: state.seconds(),
            });
        }
    }

    fn stretch_heard(&mut self, id: u64, transcript: Transcript) {
        let Some((take, index)) = self.asked.remove(&id) else {
            return;
        };
        let Some(state) = self.takes.get_mut(&take) else {
            return;
        };
        let stretch = &mut state.stretches[index];
        if let Some(file) = stretch.file.take() {
            let _ = std::fs::remove_file(file);
        }
        let offset = stretch.start as f64 / f64::from(SAMPLE_RATE);
        let mut words = transcript;
        words.drop_made_up(stretch.last_sound);
        stretch.words = Some(
            words
                .words
                .into_iter()
                .map(|w| Word {
                    text: w.text,
                    start: w.start + offset,
                    end: w.end + offset,
                })
                .collect(),
        );
        let _ = self.tell.send(Heard::Progress {
            take,
            heard: state.heard_seconds(),
            recorded: state.seconds(),
        });
        self.finish_if_heard(take);
    }

    /// Once the take has ended and every stretch is heard: the whole transcript.
    fn finish_if_heard(&mut self, take: Take) {
        let done = self.takes.get(&take).is_some_and(|s| {
            s.ended && s.cut == s.samples.len() && s.stretches.iter().all(|s| s.words.is_some())
        });
        if !done {
            return;
        }
        let Some(state) = self.takes.remove(&take) else {
            return;
        };
        let transcript = Transcript {
            duration: state.seconds(),
            words: state
                .stretches
                .into_iter()
                .flat_map(|s| s.words.unwrap_or_default())
                .collect(),
        };
        if let Some(dir) = &self.keep_in {
            let name = format!(
                "{}-{}.wav",
                state.label.replace(['/', '#', ' '], "-"),
                jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S")
            );
            let _ = std::fs::create_dir_all(dir)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    audio::write_wav(&dir.join(name), &state.samples).map_err(|e| e.to_string())
                });
        }
        let _ = self.tell.send(Heard::Transcript {
            take,
            transcript,
            model: self.model.clone(),
        });
    }

    fn check_timeouts(&mut self) {
        let late: Vec<Take> = self
            .takes
            .iter()
            .filter(|(_, s)| {
                s.stretches
                    .iter()
                    .any(|st| st.words.is_none() && st.asked.elapsed() > STRETCH_TIMEOUT)
            })
            .map(|(take, _)| *take)
            .collect();
        for take in late {
            self.fail(
                take,
                &format!(
                    "the speech helper gave no answer within {} s",
                    STRETCH_TIMEOUT.as_secs()
                ),
            );
        }
    }

    fn fail(&mut self, take: Take, message: &str) {
        if let Some(state) = self.takes.remove(&take) {
            remove_files(&state);
        }
        self.asked.retain(|_, (t, _)| *t != take);
        let _ = self.tell.send(Heard::Failed {
            take,
            message: message.to_owned(),
        });
    }

    fn fail_all(&mut self, message: &str) {
        let takes: Vec<Take> = self.takes.keys().copied().collect();
        for take in takes {
            self.fail(take, message);
        }
    }
}

/// Why a finished take cannot be heard: too short, or nothing but silence.
fn unusable(samples: &[i16]) -> Option<String> {
    let seconds = samples.len() as f64 / f64::from(SAMPLE_RATE);
    if seconds < MIN_SECONDS {
        Some(format!(
            "the recording is empty ({seconds:.1} s of sound); nothing was heard"
        ))
    } else if audio::last_sound(samples) == 0.0 {
        Some(
            "the recording is silence: nothing louder than background was heard (is the \
             microphone muted?)"
                .to_owned(),
        )
    } else {
        None
    }
}

fn remove_files(state: &TakeState) {
    for stretch in &state.stretches {
        if let Some(file) = &stretch.file {
            let _ = std::fs::remove_file(file);
        }
    }
}

#[cfg(test)]
mod tests;
