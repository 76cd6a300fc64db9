//! Recordings in and out: a WAV file read, checked and turned into what the model takes
//! (16 kHz, mono, 16-bit), whatever its rate and channels; bad input named plainly.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// The rate Whisper listens at.
pub const SAMPLE_RATE: u32 = 16_000;
/// Longer than any answer; a longer file is refused before it is read.
pub const MAX_SECONDS: f64 = 10.0 * 60.0;
/// Shorter than any answer.
pub const MIN_SECONDS: f64 = 0.5;
/// Louder than this somewhere (RMS of a 50 ms frame, full scale = 1) or it is silence.
const SILENCE_RMS: f64 = 0.003;

#[derive(Debug, Error)]
pub enum AudioError {
    #[error("{path}: cannot read it: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a WAV recording ({detail}); record or convert to WAV first")]
    NotWav { path: PathBuf, detail: String },
    #[error("{path}: a WAV file of a kind that cannot be read ({detail})")]
    Unsupported { path: PathBuf, detail: String },
    #[error("{path}: the WAV file is cut short or damaged ({detail})")]
    Truncated { path: PathBuf, detail: String },
    #[error("{path}: the recording is empty ({seconds:.1} s of sound)")]
    Empty { path: PathBuf, seconds: f64 },
    #[error(
        "{path}: the recording is silence: nothing louder than background was heard (is the microphone muted?)"
    )]
    Silent { path: PathBuf },
    #[error(
        "{path}: the recording is {minutes:.0} minutes long; an answer is at most {max:.0} minutes"
    )]
    TooLong {
        path: PathBuf,
        minutes: f64,
        max: f64,
    },
    #[error("cannot write the converted recording {path}: {detail}")]
    Write { path: PathBuf, detail: String },
}

/// A recording as the model takes it: 16 kHz mono samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub samples: Vec<i16>,
    /// What the file was: its rate and channels, for the report.
    pub source_rate: u32,
    pub source_channels: u16,
}

impl Audio {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(SAMPLE_RATE)
    }
}

/// Reads a WAV file (any rate, any channels, 8-32-bit integer or 32-bit float PCM), checks it
/// is a usable answer, and converts it to 16 kHz mono.
pub fn read_wav(path: &Path) -> Result<Audio, AudioError> {
    let reader = hound::WavReader::open(path).map_err(|e| classify(path, e))?;
    let spec = reader.spec();
    let frames = f64::from(reader.duration());
    let seconds = frames / f64::from(spec.sample_rate.max(1));
    if seconds > MAX_SECONDS {
        return Err(AudioError::TooLong {
            path: path.to_owned(),
            minutes: seconds / 60.0,
            max: MAX_SECONDS / 60.0,
        });
    }
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| classify(path, e))?,
        hound::SampleFormat::Int => {
            let scale = 2f32.powi(i32::from(spec.bits_per_sample) - 1);
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 / scale))
                .collect::<Result<_, _>>()
                .map_err(|e| classify(path, e))?
        }
    };
    let mono: Vec<f32> = interleaved
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / frame.len() as f32)
        .collect();
    let samples = resample(&mono, spec.sample_rate, SAMPLE_RATE);
    let audio = Audio {
        samples: samples
            .iter()
            .map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .collect(),
        source_rate: spec.sample_rate,
        source_channels: spec.channels,
    };
    if audio.seconds() < MIN_SECONDS {
        return Err(AudioError::Empty {
            path: path.to_owned(),
            seconds: audio.seconds(),
        });
    }
    if is_silent(&audio.samples) {
        return Err(AudioError::Silent {
            path: path.to_owned(),
        });
    }
    Ok(audio)
}

fn classify(path: &Path, error: hound::Error) -> AudioError {
    let path = path.to_owned();
    match error {
        // hound says "Failed to read enough bytes." for a file that ends early.
        hound::Error::IoError(e)
            if e.kind() == std::io::ErrorKind::UnexpectedEof
                || e.to_string().contains("enough bytes") =>
        {
            AudioError::Truncated {
                path,
                detail: "the file ends before its data does".to_owned(),
            }
        }
        hound::Error::IoError(source) => AudioError::Read { path, source },
        hound::Error::FormatError(detail) if detail.contains("RIFF") || detail.contains("WAVE") => {
            AudioError::NotWav {
                path,
                detail: detail.to_owned(),
            }
        }
        hound::Error::FormatError(detail) => AudioError::Truncated {
            path,
            detail: detail.to_owned(),
        },
        other => AudioError::Unsupported {
            path,
            detail: other.to_string(),
        },
    }
}

/// Linear interpolation after a moving-average low-pass when going down in rate: speech keeps
/// its words (Whisper hears up to 8 kHz), without a resampling library in the build.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || samples.is_empty() {
        return samples.to_vec();
    }
    let ratio = f64::from(from) / f64::from(to);
    let smoothed: Vec<f32> = if ratio > 1.0 {
        let width = ratio.ceil() as usize;
        let mut sum = 0.0f32;
        let mut out = Vec::with_capacity(samples.len());
        for (i, &s) in samples.iter().enumerate() {
            sum += s;
            if i >= width {
                sum -= samples[i - width];
            }
            out.push(sum / (i + 1).min(width) as f32);
        }
        out
    } else {
        samples.to_vec()
    };
    let count = (samples.len() as f64 / ratio).floor() as usize;
    (0..count)
        .map(|i| {
            let at = i as f64 * ratio;
            let left = at.floor() as usize;
            let right = (left + 1).min(smoothed.len() - 1);
            let t = (at - left as f64) as f32;
            smoothed[left] * (1.0 - t) + smoothed[right] * t
        })
        .collect()
}

/// Seconds from the start to the end of the last sound louder than background: words the
/// model writes after it were made up from the silence ("MUSIC PLAYING", "So, uh,").
pub fn last_sound(samples: &[i16]) -> f64 {
    let frame = (SAMPLE_RATE / 20) as usize;
    let loud = samples
        .chunks(frame)
        .rposition(|chunk| rms(chunk) > SILENCE_RMS)
        .map_or(0, |i| (i + 1) * frame);
    loud.min(samples.len()) as f64 / f64::from(SAMPLE_RATE)
}

fn rms(chunk: &[i16]) -> f64 {
    let energy: f64 = chunk
        .iter()
        .map(|&s| (f64::from(s) / 32768.0).powi(2))
        .sum::<f64>()
        / chunk.len().max(1) as f64;
    energy.sqrt()
}

fn is_silent(samples: &[i16]) -> bool {
    let frame = (SAMPLE_RATE / 20) as usize;
    !samples.chunks(frame).any(|chunk| rms(chunk) > SILENCE_RMS)
}

/// Writes 16 kHz mono 16-bit samples as WAV.
pub fn write_wav(path: &Path, samples: &[i16]) -> Result<(), AudioError> {
    let error = |e: hound::Error| AudioError::Write {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).map_err(error)?;
    for &s in samples {
        writer.write_sample(s).map_err(error)?;
    }
    writer.finalize().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, channels: u16, seconds: f64, amplitude: f32) -> Vec<i16> {
        let frames = (f64::from(rate) * seconds) as usize;
        (0..frames)
            .flat_map(|i| {
                let v = (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * amplitude;
                std::iter::repeat_n((v * 32767.0) as i16, usize::from(channels))
            })
            .collect()
    }

    fn write(path: &Path, rate: u32, channels: u16, samples: &[i16]) {
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

    #[test]
    fn stereo_at_44k_becomes_16k_mono_of_the_same_length_and_loudness() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stereo.wav");
        write(&path, 44_100, 2, &tone(44_100, 2, 2.0, 0.5));
        let audio = read_wav(&path).unwrap();
        assert_eq!((audio.source_rate, audio.source_channels), (44_100, 2));
        assert!((audio.seconds() - 2.0).abs() < 0.01, "{}", audio.seconds());
        let peak = audio
            .samples
            .iter()
            .map(|s| s.unsigned_abs())
            .max()
            .unwrap();
        assert!((14_000..=16_500).contains(&peak), "{peak}");
    }

    #[test]
    fn the_last_sound_ends_where_the_tone_does_not_where_the_file_does() {
        let mut samples = tone(16_000, 1, 2.0, 0.5);
        samples.extend(vec![0; 16_000]);
        assert!(
            (last_sound(&samples) - 2.0).abs() <= 0.05,
            "{}",
            last_sound(&samples)
        );
    }

    #[test]
    fn bad_recordings_are_named_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        std::fs::write(at("notes.wav"), "these are notes, not sound\n".repeat(20)).unwrap();
        let error = read_wav(&at("notes.wav")).unwrap_err();
        assert!(matches!(error, AudioError::NotWav { .. }), "{error}");
        assert!(error.to_string().contains("notes.wav"));

        write(&at("empty.wav"), 16_000, 1, &[]);
        assert!(matches!(
            read_wav(&at("empty.wav")),
            Err(AudioError::Empty { .. })
        ));

        write(&at("silence.wav"), 16_000, 1, &vec![0; 16_000 * 3]);
        let error = read_wav(&at("silence.wav")).unwrap_err();
        assert!(matches!(error, AudioError::Silent { .. }), "{error}");

        write(&at("whole.wav"), 16_000, 1, &tone(16_000, 1, 3.0, 0.5));
        let bytes = std::fs::read(at("whole.wav")).unwrap();
        std::fs::write(at("cut.wav"), &bytes[..bytes.len() / 2]).unwrap();
        let error = read_wav(&at("cut.wav")).unwrap_err();
        assert!(matches!(error, AudioError::Truncated { .. }), "{error}");
        std::fs::write(at("header-only.wav"), &bytes[..20]).unwrap();
        assert!(read_wav(&at("header-only.wav")).is_err());
    }

    #[test]
    fn an_hour_long_file_is_refused_from_its_header_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hour.wav");
        // 8 kHz 8-bit mono: an hour is 28.8 MB; written sparse-free but quick.
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8_000,
            bits_per_sample: 8,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(&path, spec).unwrap();
        for _ in 0..(8_000 * 3600) {
            writer.write_sample(0i8).unwrap();
        }
        writer.finalize().unwrap();
        let error = read_wav(&path).unwrap_err();
        assert!(matches!(error, AudioError::TooLong { .. }), "{error}");
        assert!(error.to_string().contains("60 minutes"), "{error}");
    }
}
