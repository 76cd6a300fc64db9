//! Speech speed: a 2-minute spoken answer (espeak-ng reading a long telling of the
//! daily-refresh story) heard by the installed model, two ways side by side in one run:
//!
//! - whole: the answer sent whole once it is over (the helper already running): the model's
//!   real-time factor, and the time from the end of speech to the feedback;
//! - streaming, the drill's path: the answer played in real time through the capture path (a
//!   WAV file in place of the microphone) into the live ear, which hears each finished stretch
//!   while the answer goes on; the user stops at the end of speech, and the clock runs until
//!   the feedback exists. The helper starts when recording starts, as in the drill.
//!
//! Also the helper's peak memory. Targets on 2 cores with tiny.en: feedback within 10 s of the
//! end of a 2-minute answer, memory under 500 MB.
//!
//! Needs `rehearse speech setup` (or REHEARSE_SPEECH_DIR naming an installed environment)
//! and espeak-ng; `SPEECH_BENCH_WAV=FILE` uses a recording of your own instead,
//! `SPEECH_BENCH_RUNS=N` sets the runs of each (3; a streaming run takes the answer's length).
//! Run: `cargo bench --bench speech`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rehearse::config::SpeechConfig;
use rehearse::speech::audio;
use rehearse::speech::capture::WavFileSource;
use rehearse::speech::ear::{Ear, Heard};
use rehearse::speech::live::{LiveConfig, LiveEar};
use rehearse::speech::setup::{self, SpeechHome};
use rehearse::speech::transcriber::{Event, HelperCommand, Transcriber};
use rehearse::speech::{SectionMarks, analyse};
use rehearse::story::Story;

/// About 300 words: at espeak-ng's 125 words a minute, a two-minute answer.
const ANSWER: &str = "In my current project, the daily data refresh handles about eighteen million \
records, and each one is either a create or an update. All the daily ETL jobs behind it used to take \
around three hours. Um, every morning the team waited for the refresh before they could trust the \
numbers on their dashboards, and when a job failed late in the run we lost most of the morning. It is \
the project I am proud of. I set out to make that refresh complete faster, without changing what it \
loaded. First, I refactored these scripts. They had grown over the years, and each job opened its own \
connection, read its own configuration and wrote its own logs, so I pulled the shared parts into one \
module and made every job look the same. Then, uh, I looked at which jobs really depended on others. \
Most of them did not: they read from different sources and wrote to different tables. So I used an \
async module to run concurrently the jobs that do not depend on others, and kept the few that do \
depend on each other in their original order. I checked the results table by table against the old \
run for a couple of weeks before switching over. The daily refresh now completes in just thirty \
minutes instead of around three hours. By those numbers that is six times faster, or eighty three \
percent less time. The team gets its dashboards before the working day starts, and a failed job can \
be rerun in minutes instead of hours.";

fn recording(scratch: &Path) -> PathBuf {
    if let Some(file) = std::env::var_os("SPEECH_BENCH_WAV") {
        return PathBuf::from(file);
    }
    let file = scratch.join("answer.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "125", "-w"])
        .arg(&file)
        .arg(ANSWER)
        .status()
        .expect("espeak-ng is needed to make the 2-minute answer (or set SPEECH_BENCH_WAV)");
    assert!(status.success());
    file
}

/// Peak resident memory of a live process, from /proc (Linux).
fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The live ear's helper: this process's child running the transcriber script.
fn helper_pid() -> Option<u32> {
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let status = std::fs::read_to_string(entry.path().join("status")).ok()?;
            let parent = status.lines().find(|l| l.starts_with("PPid:"))?;
            let cmdline = std::fs::read_to_string(entry.path().join("cmdline")).ok()?;
            (parent.split_whitespace().nth(1) == Some(me.as_str())
                && cmdline.contains("transcribe.py"))
            .then_some(pid)
        })
}

fn runs() -> usize {
    std::env::var("SPEECH_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

struct Bench {
    helper: HelperCommand,
    story: Story,
    source: PathBuf,
    audio: audio::Audio,
    converted: PathBuf,
}

fn main() {
    let data_dir = rehearse::config::project_dirs().map(|d| d.data_dir().to_owned());
    let home = SpeechHome::locate(data_dir.as_deref()).expect("a data dir");
    let helper = match setup::helper_command(&home, &SpeechConfig::default()) {
        Ok(helper) => helper,
        Err(error) => {
            eprintln!("speech bench not run: {error}");
            std::process::exit(2);
        }
    };
    let scratch = tempfile::tempdir().unwrap();
    let source = recording(scratch.path());
    let audio = audio::read_wav(&source).unwrap();
    let converted = scratch.path().join("answer-16k.wav");
    audio::write_wav(&converted, &audio.samples).unwrap();
    let story_text = rehearse::story::bundled::STORIES
        .iter()
        .find(|(name, _)| *name == "daily-refresh-18m.md")
        .unwrap()
        .1;
    let story = rehearse::story::parse(Path::new("daily-refresh-18m.md"), story_text).unwrap();
    let bench = Bench {
        helper,
        story,
        source,
        audio,
        converted,
    };
    println!(
        "speech: model {}; answer {:.1} s long ({} Hz, {} ch); {} run(s) each",
        rehearse::speech::model::model_name(&bench.helper.model),
        bench.audio.seconds(),
        bench.audio.source_rate,
        bench.audio.source_channels,
        runs()
    );
    let (whole, whole_memory) = whole(&bench);
    let (streamed, streamed_memory) = streaming(&bench);
    println!(
        "speech: end of speech to feedback, median: streaming {:.2} s, whole {:.2} s (target 10 s)",
        median(streamed),
        median(whole)
    );
    println!(
        "speech: helper peak memory: streaming {}, whole {} (target 500 MB)",
        streamed_memory.map_or("?".to_owned(), |mb| format!("{mb:.0} MB")),
        whole_memory.map_or("?".to_owned(), |mb| format!("{mb:.0} MB"))
    );
}

/// The answer sent whole at its end: the real-time factor and the wait after speech.
fn whole(bench: &Bench) -> (Vec<f64>, Option<f64>) {
    let started = Instant::now();
    let mut transcriber = Transcriber::start(&bench.helper).unwrap();
    loop {
        match transcriber.next_event(Duration::from_secs(300)) {
            Some(Event::Ready { .. }) => break,
            Some(Event::Fatal(message)) => panic!("{message}"),
            None | Some(Event::Closed) => panic!("the helper did not start"),
            _ => {}
        }
    }
    println!(
        "speech whole: model loaded in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let seconds = bench.audio.seconds();
    let mut times = Vec::new();
    for run in 1..=runs() {
        // End of speech: the recording is complete; the clock runs until the feedback exists.
        let end_of_speech = Instant::now();
        let id = transcriber.request(&bench.converted).unwrap();
        let (mut transcript, helper_seconds) =
            transcriber.wait_for(id, Duration::from_secs(600)).unwrap();
        transcript.drop_words_after(audio::last_sound(&bench.audio.samples));
        transcript.drop_sound_labels();
        let feedback = analyse(&bench.story, &transcript, &SectionMarks::default());
        let to_feedback = end_of_speech.elapsed().as_secs_f64();
        times.push(to_feedback);
        println!(
            "speech whole run {run}: real-time factor {:.3} ({:.2} s of model time for {seconds:.1} s of audio); end of speech to feedback {to_feedback:.2} s; {} words, coverage {:.0}%, grade {}",
            helper_seconds / seconds,
            helper_seconds,
            transcript.words.len(),
            feedback.coverage * 100.0,
            feedback.suggested_grade
        );
    }
    let memory = peak_rss_mb(transcriber.pid());
    transcriber.finish();
    (times, memory)
}

/// The drill's path: the answer played in real time into the live ear, stopped at the end of
/// speech.
fn streaming(bench: &Bench) -> (Vec<f64>, Option<f64>) {
    let mut times = Vec::new();
    let mut memory: Option<f64> = None;
    for run in 1..=runs() {
        let mut ear = LiveEar::new(LiveConfig {
            helper: bench.helper.clone(),
            recorder: Box::new(WavFileSource {
                file: bench.source.clone(),
                real_time: true,
            }),
            keep_in: None,
        });
        let recording = Instant::now();
        ear.start(1, "bench").unwrap();
        std::thread::sleep(Duration::from_secs_f64(bench.audio.seconds()));
        let end_of_speech = Instant::now();
        ear.stop(1);
        let transcript = loop {
            match ear.poll() {
                Some(Heard::Transcript { transcript, .. }) => break transcript,
                Some(Heard::Failed { message, .. }) => panic!("not heard: {message}"),
                Some(Heard::Progress { .. }) => {}
                None => {
                    assert!(
                        end_of_speech.elapsed() < Duration::from_secs(600),
                        "no transcript in 10 minutes"
                    );
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        };
        let feedback = analyse(&bench.story, &transcript, &SectionMarks::default());
        let to_feedback = end_of_speech.elapsed().as_secs_f64();
        times.push(to_feedback);
        // The helper's high-water mark, read while it still runs (the ear keeps it).
        if let Some(mb) = helper_pid().and_then(peak_rss_mb) {
            memory = Some(memory.map_or(mb, |m| m.max(mb)));
        }
        println!(
            "speech streaming run {run}: {:.1} s of answer played in real time; end of speech to feedback {to_feedback:.2} s; {} words, coverage {:.0}%, grade {}",
            end_of_speech.duration_since(recording).as_secs_f64(),
            transcript.words.len(),
            feedback.coverage * 100.0,
            feedback.suggested_grade
        );
    }
    (times, memory)
}
