//! `rehearse listen` and `rehearse speech`: bad recordings and missing or wrong models are
//! named plainly and store nothing (no model needed); and, with the speech environment
//! (`scripts/test` installs espeak-ng and the model), five espeak-ng recordings made from the
//! story's text with known changes are judged as designed, at two voices and speeds each.

mod sandbox;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use predicates::prelude::*;
use sandbox::Sandbox;
use serde_json::Value;

impl Sandbox {
    /// `rehearse` with the speech environment at `speech` (empty: not set up).
    fn speech_cmd(&self, speech: &Path) -> assert_cmd::Command {
        let mut cmd = self.cmd();
        cmd.env("REHEARSE_SPEECH_DIR", speech);
        cmd
    }

    fn spoken_rows(&self) -> i64 {
        let db = self.path().join("test.db");
        if !db.exists() {
            return 0;
        }
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row("SELECT count(*) FROM spoken_answers", [], |r| r.get(0))
            .unwrap_or(0)
    }
}

fn wav(path: &Path, rate: u32, channels: u16, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
}

fn noise(seconds: usize) -> Vec<i16> {
    (0..16_000 * seconds)
        .map(|i| (((i * 7919) % 2000) as i16 - 1000) * 8)
        .collect()
}

/// Each bad input: a message naming the file and what is wrong, exit non-zero, nothing stored.
#[test]
fn bad_recordings_are_named_and_nothing_is_stored() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    std::fs::write(dir.join("notes.wav"), "not sound at all\n".repeat(50)).unwrap();
    wav(&dir.join("empty.wav"), 16_000, 1, &[]);
    wav(
        &dir.join("silence.wav"),
        44_100,
        2,
        &vec![0; 44_100 * 2 * 3],
    );
    wav(&dir.join("whole.wav"), 16_000, 1, &noise(3));
    let whole = std::fs::read(dir.join("whole.wav")).unwrap();
    std::fs::write(dir.join("cut.wav"), &whole[..whole.len() / 3]).unwrap();
    std::fs::write(dir.join("corrupt.wav"), {
        let mut bytes = whole.clone();
        bytes[20..24].copy_from_slice(&[0x55, 0x00, 0x09, 0x00]); // an MP3 format tag
        bytes
    })
    .unwrap();
    // An hour at 8 kHz, 8-bit: refused from the header alone.
    {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8_000,
            bits_per_sample: 8,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(dir.join("hour.wav"), spec).unwrap();
        for _ in 0..8_000 * 3600 {
            writer.write_sample(1i8).unwrap();
        }
        writer.finalize().unwrap();
    }
    let cases = [
        ("notes.wav", "not a WAV recording"),
        ("empty.wav", "the recording is empty"),
        ("silence.wav", "the recording is silence"),
        ("cut.wav", "cut short or damaged"),
        ("corrupt.wav", "cut short or damaged"),
        (
            "hour.wav",
            "60 minutes long; an answer is at most 10 minutes",
        ),
        ("missing.wav", "no such recording"),
    ];
    for (file, message) in cases {
        sandbox
            .speech_cmd(&dir.join("speech"))
            .args(["listen", "--story", "daily-refresh-18m"])
            .arg(dir.join(file))
            .assert()
            .failure()
            .stderr(predicate::str::contains(file).and(predicate::str::contains(message)));
    }
    assert_eq!(sandbox.spoken_rows(), 0);
}

#[test]
fn a_missing_model_and_a_model_of_another_kind_are_named() {
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    wav(&dir.join("answer.wav"), 16_000, 1, &noise(2));
    sandbox
        .speech_cmd(&dir.join("speech"))
        .args(["listen", "--story", "daily-refresh-18m"])
        .arg(dir.join("answer.wav"))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("speech is not set up (no model in")
                .and(predicate::str::contains("run `rehearse speech setup`")),
        );

    // A Python stand-in so the environment looks installed; the model folder is the fault.
    let speech = dir.join("speech");
    std::fs::create_dir_all(speech.join("venv/bin")).unwrap();
    std::fs::write(speech.join("venv/bin/python"), "").unwrap();
    let translator = dir.join("opus-mt-en-de");
    std::fs::create_dir_all(&translator).unwrap();
    let mut bin = 6u32.to_le_bytes().to_vec();
    bin.extend(16u16.to_le_bytes());
    bin.extend(b"TransformerSpec\0");
    bin.extend([0u8; 32]);
    std::fs::write(translator.join("model.bin"), bin).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("[speech]\nmodel = {:?}\n", translator)).unwrap();
    sandbox
        .speech_cmd(&speech)
        .arg("--config")
        .arg(&config)
        .args(["listen", "--story", "daily-refresh-18m"])
        .arg(dir.join("answer.wav"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "opus-mt-en-de holds a CTranslate2 TransformerSpec model, not a Whisper one",
        ));
    sandbox
        .speech_cmd(&speech)
        .arg("--config")
        .arg(&config)
        .args(["speech", "status"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("not a Whisper one").and(predicate::str::contains(
                "Speech is not set up: run `rehearse speech setup`.",
            )),
        );
    assert_eq!(sandbox.spoken_rows(), 0);
}

/// Where speech is not set up, the drill says once, at its start, how to turn it on; the
/// record key says it again and the card goes on to be revealed and graded as before.
#[test]
fn a_drill_without_speech_says_once_how_to_turn_it_on_and_goes_on() {
    let sandbox = Sandbox::new();
    let output = sandbox
        .speech_cmd(&sandbox.path().join("speech"))
        .args(["drill", "--plain", "--limit", "1"])
        .write_stdin("r\n\n3\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let hint = "spoken answers are off: `rehearse speech setup` installs what they need";
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[1].starts_with("Spoken answers are off: `rehearse speech setup`"),
        "the note follows the header:\n{stdout}"
    );
    assert_eq!(
        stdout.to_lowercase().matches(hint).count(),
        2,
        "once at the start, once for r:\n{stdout}"
    );
    assert!(
        stdout.contains("Answer aloud (r + Enter records it), then press Enter to reveal> r"),
        "{stdout}"
    );
    assert!(stdout.contains("saved: Good"), "{stdout}");
    assert_eq!(sandbox.spoken_rows(), 0);
}

// ---- With the model: espeak-ng recordings judged as designed ----

/// The installed speech environment (`scripts/test` sets it up and names it).
fn speech_dir() -> PathBuf {
    let dir = std::env::var_os("REHEARSE_SPEECH_DIR").expect(
        "REHEARSE_SPEECH_DIR must name an installed speech environment (scripts/test sets it up)",
    );
    PathBuf::from(dir)
}

fn star_text(file: &str) -> Vec<(String, String)> {
    let path = Path::new("stories").join(file);
    let story = rehearse::story::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    rehearse::story::SectionKind::STAR
        .iter()
        .filter_map(|kind| story.section(*kind))
        .map(|section| {
            let spoken = section
                .text
                .replace("- ", "")
                .replace("6x", "six times")
                .replace('\n', " ");
            (section.kind.title().to_owned(), spoken)
        })
        .collect()
}

/// The five designed answers: (name, text).
fn designed_answers() -> Vec<(&'static str, String)> {
    let story = star_text("daily-refresh-18m.md");
    let join = |sections: &[(String, String)]| {
        sections
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let right = join(&story);
    let wrong = right.replace("in just 30 minutes", "in just 45 minutes");
    assert_ne!(
        right, wrong,
        "the story's Result changed: update the designed answers"
    );
    let no_result = join(&story[..3]);
    let fillers = right
        .replace(". ", ". Um, ")
        .replace(", and", ", uh, and")
        .replace("I used", "So, like, I, you know, I basically used")
        .replace("I refactored", "Uh, I, um, refactored");
    let other = join(&star_text("silent-permission-stop.md"));
    vec![
        ("right", right),
        ("one number wrong", wrong),
        ("no result", no_result),
        ("many fillers", fillers),
        ("a different story", other),
    ]
}

fn speak(text: &str, voice: &str, speed: u32, into: &Path) {
    let status = Process::new("espeak-ng")
        .args(["-v", voice, "-s", &speed.to_string(), "-w"])
        .arg(into)
        .arg(text)
        .status()
        .expect("espeak-ng must be installed (scripts/test installs it)");
    assert!(status.success());
}

fn listen(sandbox: &Sandbox, file: &Path) -> Value {
    let output = sandbox
        .speech_cmd(&speech_dir())
        .args([
            "listen",
            "--no-save",
            "--json",
            "--story",
            "daily-refresh-18m",
        ])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn metric<'a>(feedback: &'a Value, name: &str) -> &'a Value {
    feedback["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"].as_str().unwrap().starts_with(name))
        .unwrap()
}

fn grade(feedback: &Value) -> &str {
    feedback["suggested_grade"].as_str().unwrap()
}

#[test]
#[ignore = "needs espeak-ng and the speech model: scripts/test installs them and runs ignored tests"]
fn five_espeak_recordings_are_judged_as_designed_at_two_voices_and_speeds() {
    let sandbox = Sandbox::new();
    // Two voices and speeds: the margins must hold for tiny.en's errors on each.
    for (voice, speed) in [("en-us", 150), ("en", 135)] {
        let mut fillers_right = 0.0;
        for (name, text) in designed_answers() {
            let file = sandbox.path().join(format!("{voice}-{speed}-{name}.wav"));
            speak(&text, voice, speed, &file);
            let heard = listen(&sandbox, &file);
            let feedback = &heard["feedback"];
            let context = format!(
                "{name} ({voice}, {speed} wpm): {}\n{}",
                serde_json::to_string_pretty(feedback).unwrap(),
                heard["transcript"]["words"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w["text"].as_str().unwrap())
                    .collect::<String>()
            );
            let coverage = feedback["coverage"].as_f64().unwrap();
            let wrong_numbers = feedback["numbers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["verdict"] == "wrong")
                .count();
            let fillers = feedback["delivery"]["fillers_per_minute"].as_f64().unwrap();
            eprintln!(
                "{voice} {speed} wpm, {name}: coverage {:.0}%, result said {}, wrong numbers {wrong_numbers}, fillers {fillers:.1}/min, grade {}, feedback {:.1} s after the request",
                coverage * 100.0,
                feedback["result_said"],
                grade(feedback),
                heard["feedback_seconds"].as_f64().unwrap()
            );
            match name {
                "right" => {
                    assert!(coverage >= 0.7, "{context}");
                    assert_eq!(feedback["result_said"], true, "{context}");
                    assert_eq!(wrong_numbers, 0, "{context}");
                    assert_ne!(
                        metric(feedback, "daily refresh wall time")["verdict"],
                        "not_said",
                        "{context}"
                    );
                    assert_eq!(
                        metric(feedback, "records in the daily")["verdict"],
                        "said",
                        "{context}"
                    );
                    assert!(matches!(grade(feedback), "good" | "easy"), "{context}");
                    assert!(fillers < 3.0, "{context}");
                    fillers_right = fillers;
                }
                "one number wrong" => {
                    let wall = metric(feedback, "daily refresh wall time");
                    assert_eq!(wall["verdict"], "wrong", "{context}");
                    let after = wall["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|v| v["part"] == "after")
                        .unwrap();
                    assert_eq!(after["heard"], "45 min", "{context}");
                    assert_eq!(grade(feedback), "hard", "{context}");
                }
                "no result" => {
                    assert_eq!(feedback["result_said"], false, "{context}");
                    assert!(coverage >= 0.4, "{context}");
                    assert!(matches!(grade(feedback), "hard" | "again"), "{context}");
                }
                "many fillers" => {
                    assert!(fillers >= 8.0 && fillers > fillers_right + 6.0, "{context}");
                    assert!(coverage >= 0.6, "{context}");
                    assert_ne!(grade(feedback), "easy", "{context}");
                }
                "a different story" => {
                    assert!(coverage < 0.3, "{context}");
                    assert_eq!(
                        metric(feedback, "records in the daily")["verdict"],
                        "not_said",
                        "{context}"
                    );
                    assert_eq!(grade(feedback), "again", "{context}");
                }
                _ => unreachable!(),
            }
        }
    }
}

#[test]
#[ignore = "needs espeak-ng and the speech model: scripts/test installs them and runs ignored tests"]
fn a_stereo_44k_answer_is_heard_kept_and_read_back() {
    let sandbox = Sandbox::new();
    let mono = sandbox.path().join("mono.wav");
    let (_, right) = designed_answers().remove(0);
    speak(&right, "en-us", 150, &mono);
    let stereo = sandbox.path().join("stereo-44k.wav");
    let status = Process::new("sox")
        .arg(&mono)
        .args(["-r", "44100", "-c", "2"])
        .arg(&stereo)
        .status()
        .expect("sox must be installed (scripts/test installs it)");
    assert!(status.success());
    sandbox
        .speech_cmd(&speech_dir())
        .args([
            "listen",
            "--story",
            "daily",
            "--question",
            "Tell me about a system you made faster.",
            "--marks",
            "0,14,20,34",
        ])
        .arg(&stereo)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("(44100 Hz, 2 channels)")
                .and(predicate::str::contains(
                    "Question: Tell me about a system you made faster.",
                ))
                .and(predicate::str::contains("Situation 2/2"))
                .and(predicate::str::contains("            Action    "))
                .and(predicate::str::contains(
                    "Kept with the story's spoken attempts",
                )),
        );
    assert_eq!(sandbox.spoken_rows(), 1);
}
