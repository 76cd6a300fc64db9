//! Capture behind a trait: a recorder starts a recording into a WAV file and stops it. The
//! real one drives a tool that is already on the machine (`arecord`, `pw-record`, or sox's
//! `rec`), stopped with SIGINT so it finishes the file; [`WavFileSource`] stands in for a
//! microphone in tests. Recordings stay on the machine.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum CaptureError {
    #[error(
        "no recording tool found: install alsa-utils (arecord), pipewire (pw-record) or sox (rec)"
    )]
    NoTool,
    #[error(
        "no microphone found ({0}); plug one in, or record elsewhere and use `rehearse listen FILE`"
    )]
    NoMicrophone(String),
    #[error("cannot start {tool}: {source}")]
    Start {
        tool: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{tool} stopped with an error: {message}")]
    Failed { tool: String, message: String },
    #[error("cannot copy the recording {path}: {source}")]
    Copy {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Something that can record an answer into a WAV file.
pub trait Recorder {
    /// Starts recording into `into`.
    fn start(&self, into: &Path) -> Result<Box<dyn Recording>, CaptureError>;
    /// What it records with ("arecord", "a WAV file").
    fn name(&self) -> String;
}

/// A recording under way.
pub trait Recording {
    /// Seconds since it started: the timeline the STAR marks are placed on.
    fn elapsed(&self) -> Duration;
    /// Stops it and returns the finished WAV file.
    fn stop(self: Box<Self>) -> Result<PathBuf, CaptureError>;
}

/// The recording tools rehearse knows, in the order it looks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Arecord,
    PwRecord,
    Rec,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Arecord, Tool::PwRecord, Tool::Rec];

    pub fn program(self) -> &'static str {
        match self {
            Tool::Arecord => "arecord",
            Tool::PwRecord => "pw-record",
            Tool::Rec => "rec",
        }
    }

    /// The command line recording 16 kHz mono 16-bit WAV into `file`.
    pub fn args(self, file: &Path) -> Vec<String> {
        let file = file.display().to_string();
        let args: &[&str] = match self {
            Tool::Arecord => &["-q", "-f", "S16_LE", "-r", "16000", "-c", "1", "-t", "wav"],
            Tool::PwRecord => &["--rate", "16000", "--channels", "1", "--format", "s16"],
            Tool::Rec => &["-q", "-r", "16000", "-c", "1", "-b", "16"],
        };
        args.iter().map(|a| (*a).to_owned()).chain([file]).collect()
    }
}

/// Records through an outside program, stopped with SIGINT.
#[derive(Debug, Clone)]
pub struct CommandRecorder {
    pub name: String,
    pub program: PathBuf,
    /// Arguments; `{file}` is replaced by the output path.
    pub args: Vec<String>,
}

impl CommandRecorder {
    /// The first of `arecord`, `pw-record`, `rec` found on PATH.
    pub fn find() -> Result<CommandRecorder, CaptureError> {
        Tool::ALL
            .into_iter()
            .find_map(|tool| {
                let program = on_path(tool.program())?;
                Some(CommandRecorder {
                    name: tool.program().to_owned(),
                    program,
                    args: tool.args(Path::new("{file}")),
                })
            })
            .ok_or(CaptureError::NoTool)
    }

    /// Says plainly when there is no capture device, before a recording is attempted.
    pub fn check_microphone(&self) -> Result<(), CaptureError> {
        if self.name != Tool::Arecord.program() {
            return Ok(());
        }
        let output = Command::new(&self.program)
            .arg("-l")
            .stdin(Stdio::null())
            .output()
            .map_err(|source| CaptureError::Start {
                tool: self.name.clone(),
                source,
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

impl Recorder for CommandRecorder {
    fn start(&self, into: &Path) -> Result<Box<dyn Recording>, CaptureError> {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.replace("{file}", &into.display().to_string()))
            .collect();
        let child = Command::new(&self.program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| CaptureError::Start {
                tool: self.name.clone(),
                source,
            })?;
        Ok(Box::new(CommandRecording {
            tool: self.name.clone(),
            child,
            file: into.to_owned(),
            started: Instant::now(),
        }))
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

struct CommandRecording {
    tool: String,
    child: Child,
    file: PathBuf,
    started: Instant,
}

/// How long a recorder may take to finish its file after SIGINT.
const STOP_GRACE: Duration = Duration::from_secs(5);

impl Recording for CommandRecording {
    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn stop(mut self: Box<Self>) -> Result<PathBuf, CaptureError> {
        let failed = |tool: &str, message: String| CaptureError::Failed {
            tool: tool.to_owned(),
            message,
        };
        let already = self.child.try_wait().ok().flatten();
        if already.is_none() {
            // SIGINT: the tools write the WAV header's lengths and exit.
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
        }
        let deadline = Instant::now() + STOP_GRACE;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => break None,
            }
        };
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            use std::io::Read;
            let _ = pipe.read_to_string(&mut stderr);
        }
        let Some(status) = status else {
            let _ = self.child.kill();
            let _ = self.child.wait();
            return Err(failed(&self.tool, "it did not stop when asked".to_owned()));
        };
        // Exited on its own before we stopped it: the device failed.
        if already.is_some() && !status.success() {
            let message = stderr.lines().last().unwrap_or("no message").to_owned();
            return Err(
                if stderr.contains("No such file") || stderr.contains("no soundcards") {
                    CaptureError::NoMicrophone(message)
                } else {
                    failed(&self.tool, message)
                },
            );
        }
        if !self.file.is_file() {
            return Err(failed(&self.tool, "it wrote no file".to_owned()));
        }
        Ok(self.file.clone())
    }
}

/// After transcription: the recording is deleted, or, with `[speech] keep_audio`, moved into
/// `keep_in` as `name` (e.g. the story id and the time). Returns where it was kept.
pub fn dispose_recording(
    file: &Path,
    keep_in: Option<&Path>,
    name: &str,
) -> std::io::Result<Option<PathBuf>> {
    match keep_in {
        None => {
            std::fs::remove_file(file)?;
            Ok(None)
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let kept = dir.join(name);
            // A rename fails across file systems (a temp dir on tmpfs): copy, then delete.
            if std::fs::rename(file, &kept).is_err() {
                std::fs::copy(file, &kept)?;
                std::fs::remove_file(file)?;
            }
            Ok(Some(kept))
        }
    }
}

/// A prepared WAV file standing in for a microphone (tests, and answers recorded elsewhere).
#[derive(Debug, Clone)]
pub struct WavFileSource {
    pub file: PathBuf,
}

impl Recorder for WavFileSource {
    fn start(&self, into: &Path) -> Result<Box<dyn Recording>, CaptureError> {
        std::fs::copy(&self.file, into).map_err(|source| CaptureError::Copy {
            path: self.file.clone(),
            source,
        })?;
        Ok(Box::new(FileRecording {
            file: into.to_owned(),
            started: Instant::now(),
        }))
    }

    fn name(&self) -> String {
        format!("the file {}", self.file.display())
    }
}

struct FileRecording {
    file: PathBuf,
    started: Instant,
}

impl Recording for FileRecording {
    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn stop(self: Box<Self>) -> Result<PathBuf, CaptureError> {
        Ok(self.file)
    }
}

#[cfg(test)]
mod tests {
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
    fn each_tool_records_16k_mono_into_the_file() {
        let args = Tool::Arecord.args(Path::new("/tmp/a.wav"));
        assert_eq!(args.last().unwrap(), "/tmp/a.wav");
        assert!(args.windows(2).any(|w| w == ["-r", "16000"]));
        assert!(
            Tool::PwRecord
                .args(Path::new("x.wav"))
                .contains(&"--rate".to_owned())
        );
    }

    #[test]
    fn a_wav_file_stands_in_for_the_microphone() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("answer.wav");
        super::super::audio::write_wav(&source, &[1000; 16_000]).unwrap();
        let recorder = WavFileSource { file: source };
        let recording = recorder.start(&dir.path().join("take.wav")).unwrap();
        let file = recording.stop().unwrap();
        assert_eq!(
            super::super::audio::read_wav(&file).unwrap().samples.len(),
            16_000
        );
    }

    #[test]
    fn a_recording_is_deleted_after_transcription_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let take = dir.path().join("take.wav");
        std::fs::write(&take, b"RIFF").unwrap();
        assert_eq!(dispose_recording(&take, None, "x.wav").unwrap(), None);
        assert!(!take.exists());

        std::fs::write(&take, b"RIFF").unwrap();
        let keep = dir.path().join("recordings");
        let kept = dispose_recording(&take, Some(&keep), "story-2026.wav").unwrap();
        assert_eq!(kept.as_deref(), Some(keep.join("story-2026.wav").as_path()));
        assert!(!take.exists());
        assert_eq!(std::fs::read(keep.join("story-2026.wav")).unwrap(), b"RIFF");
    }

    /// A real recording process (sox making a tone in place of a microphone) is started,
    /// stopped with SIGINT, and leaves a whole WAV file.
    #[test]
    fn a_command_recorder_is_stopped_and_leaves_a_whole_wav() {
        let Some(sox) = on_path("sox") else {
            eprintln!("sox is not installed; scripts/test installs it");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let recorder = CommandRecorder {
            name: "sox".to_owned(),
            program: sox,
            args: "-q -n -r 16000 -c 1 -b 16 {file} synth 60 sine 300 vol 0.5"
                .split(' ')
                .map(str::to_owned)
                .collect(),
        };
        let file = dir.path().join("take.wav");
        let recording = recorder.start(&file).unwrap();
        // Wait until sound has been written (a condition, not a fixed sleep).
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) < 64_000 {
            assert!(Instant::now() < deadline, "sox wrote nothing");
            std::thread::sleep(Duration::from_millis(10));
        }
        let file = recording.stop().unwrap();
        let audio = super::super::audio::read_wav(&file).unwrap();
        assert!(audio.seconds() >= 1.0, "{}", audio.seconds());
    }
}
