//! Capture behind a trait: a recorder starts a recording whose 16 kHz mono samples arrive as
//! they are recorded (so the answer can be transcribed a stretch at a time while it goes on),
//! and stops it when asked. The real one drives a tool already on the machine (`arecord`,
//! `parec`, sox's `rec`, or the `[speech] record_command`) writing raw audio to a pipe,
//! stopped with SIGINT; [`WavFileSource`] plays a WAV file in place of a microphone (tests,
//! the benchmark). Nothing is written to disk here: recordings stay in memory on this machine.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use thiserror::Error;

use super::audio::SAMPLE_RATE;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum CaptureError {
    #[error(
        "no recording tool found: install alsa-utils (arecord), pulseaudio-utils (parec) or sox \
         (rec), or set `[speech] record_command`"
    )]
    NoTool,
    #[error(
        "no microphone found ({0}); plug one in, or record elsewhere and use `rehearse listen FILE`"
    )]
    NoMicrophone(String),
    #[error("cannot start {tool}: {message}")]
    Start { tool: String, message: String },
    #[error("{tool} stopped with an error: {message}")]
    Failed { tool: String, message: String },
    #[error("cannot play {path} as the microphone: {message}")]
    Source { path: PathBuf, message: String },
}

/// What a recording delivers, in order: blocks of samples, then its end.
#[derive(Debug, Clone, PartialEq)]
pub enum Captured {
    /// 16 kHz mono 16-bit samples, as recorded.
    Samples(Vec<i16>),
    /// The recording is over: stopped as asked, or the source ended (a file played out), or
    /// it failed (no microphone).
    Ended(Result<(), CaptureError>),
}

/// Where a recording's blocks go (called from the recording's own thread).
pub type Sink = Box<dyn FnMut(Captured) + Send>;

/// Something that can record an answer.
pub trait Recorder: Send {
    /// Starts recording; the samples go to `sink` as they come, then [`Captured::Ended`].
    fn start(&self, sink: Sink) -> Result<Box<dyn Recording>, CaptureError>;
    /// What it records with ("arecord", "the file answer.wav").
    fn name(&self) -> String;
}

/// A recording under way.
pub trait Recording: Send {
    /// Asks it to stop; what was recorded until then still arrives, then the end.
    fn stop(&mut self);
}

/// The recording tools rehearse knows, in the order it looks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Arecord,
    Parec,
    Rec,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Arecord, Tool::Parec, Tool::Rec];

    pub fn program(self) -> &'static str {
        match self {
            Tool::Arecord => "arecord",
            Tool::Parec => "parec",
            Tool::Rec => "rec",
        }
    }

    /// The arguments that record the default microphone as 16 kHz mono 16-bit little-endian
    /// raw samples on stdout.
    pub fn args(self) -> &'static [&'static str] {
        match self {
            Tool::Arecord => &["-q", "-f", "S16_LE", "-r", "16000", "-c", "1", "-t", "raw"],
            Tool::Parec => &["--raw", "--format=s16le", "--rate=16000", "--channels=1"],
            Tool::Rec => &[
                "-q",
                "-t",
                "raw",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                "-L",
                "-",
            ],
        }
    }
}

/// Records through an outside program that writes 16 kHz mono 16-bit little-endian raw audio
/// to stdout until SIGINT.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandRecorder {
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl CommandRecorder {
    /// `[speech] record_command` when set (its first word is the program), else the first of
    /// `arecord`, `parec`, `rec` found on PATH.
    pub fn configured(command: Option<&[String]>) -> Result<CommandRecorder, CaptureError> {
        match command {
            Some([program, args @ ..]) => Ok(CommandRecorder {
                name: Path::new(program)
                    .file_name()
                    .map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned()),
                program: PathBuf::from(program),
                args: args.to_vec(),
            }),
            _ => CommandRecorder::find(),
        }
    }

    /// The first of `arecord`, `parec`, `rec` found on PATH.
    pub fn find() -> Result<CommandRecorder, CaptureError> {
        Tool::ALL
            .into_iter()
            .find_map(|tool| {
                Some(CommandRecorder {
                    name: tool.program().to_owned(),
                    program: on_path(tool.program())?,
                    args: tool.args().iter().map(|a| (*a).to_owned()).collect(),
                })
            })
            .ok_or(CaptureError::NoTool)
    }

    /// Says plainly when there is no capture device (`arecord -l`), for `rehearse speech
    /// status`; the other tools are only checked by recording.
    pub fn check_microphone(&self) -> Result<(), CaptureError> {
        if self.name != Tool::Arecord.program() {
            return Ok(());
        }
        let output = Command::new(&self.program)
            .arg("-l")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| CaptureError::Start {
                tool: self.name.clone(),
                message: e.to_string(),
            })?;
        let listing = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        microphone_in_listing(&listing)
    }
}

/// Reads `arecord -l`: a "card N: ..." line is a capture device.
pub fn microphone_in_listing(listing: &str) -> Result<(), CaptureError> {
    if listing.lines().any(|l| l.trim_start().starts_with("card ")) {
        Ok(())
    } else {
        let said = listing
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("arecord -l lists no capture device");
        Err(CaptureError::NoMicrophone(said.trim().to_owned()))
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

/// Samples per block handed on: a tenth of a second.
const BLOCK: usize = SAMPLE_RATE as usize / 10;

impl Recorder for CommandRecorder {
    fn start(&self, mut sink: Sink) -> Result<Box<dyn Recording>, CaptureError> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| CaptureError::Start {
                tool: self.name.clone(),
                message: e.to_string(),
            })?;
        let stopped = Arc::new(AtomicBool::new(false));
        let pid = child.id();
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        // stderr read on its own thread, so a chatty tool never blocks on a full pipe.
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::BufReader::new(stderr).read_to_string(&mut text);
            text
        });
        let tool = self.name.clone();
        let asked = Arc::clone(&stopped);
        std::thread::spawn(move || {
            let mut bytes = vec![0u8; BLOCK * 2];
            let mut odd: Option<u8> = None;
            loop {
                match stdout.read(&mut bytes) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink(Captured::Samples(samples_of(&bytes[..n], &mut odd))),
                }
            }
            let ended = finish(&mut child, &tool, asked.load(Ordering::SeqCst), errors);
            sink(Captured::Ended(ended));
        });
        Ok(Box::new(CommandRecording { pid, stopped }))
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

/// Little-endian 16-bit samples from `bytes`, carrying an odd last byte to the next read.
fn samples_of(bytes: &[u8], odd: &mut Option<u8>) -> Vec<i16> {
    let mut all: Vec<u8> = odd.take().into_iter().collect();
    all.extend_from_slice(bytes);
    if all.len() % 2 == 1 {
        *odd = all.pop();
    }
    all.chunks_exact(2)
        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
        .collect()
}

/// Reaps the tool once its output ended. It ending by itself with an error means the device
/// failed (no microphone); stopped as asked, or ended cleanly, it is over.
fn finish(
    child: &mut Child,
    tool: &str,
    asked_to_stop: bool,
    errors: std::thread::JoinHandle<String>,
) -> Result<(), CaptureError> {
    let status = child.wait();
    let stderr = errors.join().unwrap_or_default();
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned();
    match status {
        Ok(status) if status.success() || asked_to_stop => Ok(()),
        Ok(_) => Err(
            if [
                "No such file",
                "no soundcards",
                "audio open error",
                "Connection refused",
            ]
            .iter()
            .any(|said| stderr.contains(said))
            {
                CaptureError::NoMicrophone(last)
            } else {
                CaptureError::Failed {
                    tool: tool.to_owned(),
                    message: last,
                }
            },
        ),
        Err(e) => Err(CaptureError::Failed {
            tool: tool.to_owned(),
            message: e.to_string(),
        }),
    }
}

struct CommandRecording {
    pid: u32,
    stopped: Arc<AtomicBool>,
}

/// How long a recorder may take to end after SIGINT before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(3);

impl Recording for CommandRecording {
    fn stop(&mut self) {
        if self.stopped.swap(true, Ordering::SeqCst) {
            return;
        }
        // SIGINT: the tools flush what they recorded and exit. The child is reaped only by
        // the reader thread, so its pid stays its own until then (a zombie at worst).
        signal(self.pid, "-INT");
        let pid = self.pid;
        std::thread::spawn(move || {
            std::thread::sleep(STOP_GRACE);
            signal(pid, "-KILL");
        });
    }
}

impl Drop for CommandRecording {
    fn drop(&mut self) {
        self.stop();
    }
}

fn signal(pid: u32, which: &str) {
    // std has no kill(2) with a signal; `kill` is POSIX and keeps this crate free of unsafe.
    let _ = Command::new("kill")
        .args([which, &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// No way to record here (no tool found): starting says why.
#[derive(Debug, Clone)]
pub struct Unavailable(pub CaptureError);

impl Recorder for Unavailable {
    fn start(&self, _sink: Sink) -> Result<Box<dyn Recording>, CaptureError> {
        Err(self.0.clone())
    }

    fn name(&self) -> String {
        "nothing".to_owned()
    }
}

/// A WAV file played in place of a microphone: its samples (converted to 16 kHz mono) arrive
/// at the pace they were spoken, or all at once.
#[derive(Debug, Clone)]
pub struct WavFileSource {
    pub file: PathBuf,
    /// True: a second of sound every second, as a microphone delivers it.
    pub real_time: bool,
}

impl Recorder for WavFileSource {
    fn start(&self, mut sink: Sink) -> Result<Box<dyn Recording>, CaptureError> {
        let audio = super::audio::read_wav(&self.file).map_err(|e| CaptureError::Source {
            path: self.file.clone(),
            message: e.to_string(),
        })?;
        let stopped = Arc::new(AtomicBool::new(false));
        let asked = Arc::clone(&stopped);
        let real_time = self.real_time;
        std::thread::spawn(move || {
            let started = Instant::now();
            for (i, block) in audio.samples.chunks(BLOCK).enumerate() {
                if real_time {
                    let due = Duration::from_secs_f64((i + 1) as f64 * 0.1);
                    while started.elapsed() < due && !asked.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
                if asked.load(Ordering::SeqCst) {
                    break;
                }
                sink(Captured::Samples(block.to_vec()));
            }
            sink(Captured::Ended(Ok(())));
        });
        Ok(Box::new(FileRecording { stopped }))
    }

    fn name(&self) -> String {
        format!("the file {}", self.file.display())
    }
}

struct FileRecording {
    stopped: Arc<AtomicBool>,
}

impl Recording for FileRecording {
    fn stop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{Receiver, channel};

    use super::*;

    #[test]
    fn no_sound_card_is_said_plainly() {
        let error = microphone_in_listing("arecord: device_list:279: no soundcards found...\n")
            .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "no microphone found (arecord: device_list:279: no soundcards found...)"
            ),
            "{error}"
        );
        let listing = "**** List of CAPTURE Hardware Devices ****\ncard 0: PCH [HDA Intel PCH], device 0: ALC257 Analog\n";
        assert!(microphone_in_listing(listing).is_ok());
    }

    #[test]
    fn each_tool_records_16k_mono_raw_to_stdout_and_a_configured_command_wins() {
        for tool in Tool::ALL {
            let args = tool.args().join(" ");
            assert!(args.contains("16000"), "{args}");
            assert!(args.contains("raw"), "{args}");
        }
        let command = ["/opt/bin/mic".to_owned(), "--raw".to_owned()];
        let recorder = CommandRecorder::configured(Some(&command)).unwrap();
        assert_eq!(recorder.name, "mic");
        assert_eq!(recorder.program, Path::new("/opt/bin/mic"));
        assert_eq!(recorder.args, ["--raw"]);
    }

    #[test]
    fn an_odd_byte_waits_for_its_pair() {
        let mut odd = None;
        assert_eq!(samples_of(&[1, 0, 2], &mut odd), [1]);
        assert_eq!(odd, Some(2));
        assert_eq!(samples_of(&[1, 0xff, 0xff], &mut odd), [0x0102, -1]);
        assert_eq!(odd, None);
    }

    fn collect(receiver: &Receiver<Captured>) -> (Vec<i16>, Result<(), CaptureError>) {
        let mut samples = Vec::new();
        loop {
            match receiver.recv_timeout(Duration::from_secs(60)).unwrap() {
                Captured::Samples(block) => samples.extend(block),
                Captured::Ended(end) => return (samples, end),
            }
        }
    }

    fn sink() -> (Sink, Receiver<Captured>) {
        let (tx, rx) = channel();
        (
            Box::new(move |c| {
                let _ = tx.send(c);
            }),
            rx,
        )
    }

    #[test]
    fn a_wav_file_stands_in_for_the_microphone() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("answer.wav");
        super::super::audio::write_wav(&source, &[1000; 16_000]).unwrap();
        let recorder = WavFileSource {
            file: source,
            real_time: false,
        };
        let (sink, blocks) = sink();
        let _recording = recorder.start(sink).unwrap();
        let (samples, end) = collect(&blocks);
        assert_eq!(samples.len(), 16_000);
        assert_eq!(end, Ok(()));
    }

    /// Played in real time and stopped part way: what was played until then arrives, then the
    /// end (waits on the samples arriving, never on a fixed sleep).
    #[test]
    fn a_file_played_in_real_time_stops_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("answer.wav");
        super::super::audio::write_wav(&source, &[1000; 16_000 * 60]).unwrap();
        let recorder = WavFileSource {
            file: source,
            real_time: true,
        };
        let (sink, blocks) = sink();
        let mut recording = recorder.start(sink).unwrap();
        let Captured::Samples(first) = blocks.recv_timeout(Duration::from_secs(30)).unwrap() else {
            panic!("samples first");
        };
        recording.stop();
        let (rest, end) = collect(&blocks);
        assert_eq!(end, Ok(()));
        assert!(first.len() + rest.len() < 16_000 * 50);
    }

    /// A real recording process (sox making a tone in place of a microphone) streams raw
    /// samples, is stopped with SIGINT, and ends cleanly.
    #[test]
    fn a_command_recorder_streams_and_stops_on_sigint() {
        let Some(sox) = on_path("sox") else {
            eprintln!("sox is not installed; scripts/test installs it");
            return;
        };
        let recorder = CommandRecorder {
            name: "sox".to_owned(),
            program: sox,
            args:
                "-q -n -t raw -r 16000 -c 1 -b 16 -e signed-integer -L - synth 600 sine 300 vol 0.5"
                    .split(' ')
                    .map(str::to_owned)
                    .collect(),
        };
        let (sink, blocks) = sink();
        let mut recording = recorder.start(sink).unwrap();
        // sox makes sound much faster than real time: wait for a second's worth, then stop.
        let mut samples = Vec::new();
        while samples.len() < 16_000 {
            match blocks.recv_timeout(Duration::from_secs(30)).unwrap() {
                Captured::Samples(block) => samples.extend(block),
                Captured::Ended(end) => panic!("ended early: {end:?}"),
            }
        }
        recording.stop();
        let (rest, end) = collect(&blocks);
        assert_eq!(end, Ok(()));
        samples.extend(rest);
        assert!(
            samples.iter().any(|s| s.abs() > 10_000),
            "a tone at half volume"
        );
    }

    /// A tool that fails at once (as arecord does with no sound card) is named as no
    /// microphone, with its own words.
    #[test]
    fn a_tool_that_fails_at_once_means_no_microphone() {
        let recorder = CommandRecorder {
            name: "arecord".to_owned(),
            program: "sh".into(),
            args: vec![
                "-c".to_owned(),
                "echo 'arecord: main:831: audio open error: No such file or directory' >&2; exit 1"
                    .to_owned(),
            ],
        };
        let (sink, blocks) = sink();
        let _recording = recorder.start(sink).unwrap();
        let (samples, end) = collect(&blocks);
        assert!(samples.is_empty());
        let error = end.unwrap_err();
        assert_eq!(
            error.to_string(),
            "no microphone found (arecord: main:831: audio open error: No such file or directory); \
             plug one in, or record elsewhere and use `rehearse listen FILE`"
        );
    }
}
