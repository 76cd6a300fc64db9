//! Where to cut a recording while it goes on, so each finished stretch is transcribed while the
//! speaker is still talking and only the last one is left when they stop. Whisper hears 30 s
//! at a time, so a stretch is cut once about 24 s are waiting, at a pause (never inside a
//! word), and at most 29 s long. Pure: samples in, a cut out.

use super::audio::SAMPLE_RATE;

/// A stretch is cut once this much is waiting.
pub const WAITING_SECONDS: f64 = 24.0;
/// No stretch is longer (Whisper's window is 30 s).
pub const LONGEST_SECONDS: f64 = 29.0;
/// Nor shorter, unless it is the last one.
pub const SHORTEST_SECONDS: f64 = 10.0;
/// A pause is this long, at least.
const PAUSE_SECONDS: f64 = 0.2;
/// Frames the loudness is measured in.
const FRAME: usize = SAMPLE_RATE as usize / 50;

fn samples(seconds: f64) -> usize {
    (seconds * f64::from(SAMPLE_RATE)) as usize
}

fn rms(frame: &[i16]) -> f64 {
    let energy: f64 = frame
        .iter()
        .map(|&s| (f64::from(s) / 32768.0).powi(2))
        .sum::<f64>()
        / frame.len().max(1) as f64;
    energy.sqrt()
}

/// Where to end the next stretch of `waiting` (the samples not yet sent), in samples from its
/// start; `None` to wait for more. Once the recording has `ended`, what is left goes whole
/// (cut again only if it is longer than a stretch may be).
pub fn next_cut(waiting: &[i16], ended: bool) -> Option<usize> {
    if waiting.is_empty() {
        return None;
    }
    let longest = samples(LONGEST_SECONDS);
    if ended && waiting.len() <= longest {
        return Some(waiting.len());
    }
    if !ended && waiting.len() < samples(WAITING_SECONDS) {
        return None;
    }
    let loudness: Vec<f64> = waiting.chunks(FRAME).map(rms).collect();
    let from = samples(SHORTEST_SECONDS) / FRAME;
    let until = (waiting.len().min(longest) / FRAME).min(loudness.len());
    let pause = (samples(PAUSE_SECONDS) / FRAME).max(1);
    let quiet = quiet_level(&loudness);
    // The latest pause in reach: the longest stretch that ends between words.
    let latest_pause = (from..until.saturating_sub(pause))
        .rev()
        .find(|&i| loudness[i..i + pause].iter().all(|&l| l <= quiet));
    match latest_pause {
        Some(i) => Some((i + pause / 2) * FRAME),
        // No pause yet: wait, unless the stretch would be too long; then the quietest frame.
        None if waiting.len() >= longest => {
            let quietest = (from..until)
                .min_by(|&a, &b| loudness[a].total_cmp(&loudness[b]))
                .unwrap_or(until);
            Some(quietest * FRAME)
        }
        None => None,
    }
}

/// What counts as quiet here: well under the speech's loud frames, above a floor that is
/// silence on any microphone.
fn quiet_level(loudness: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = loudness.to_vec();
    sorted.sort_by(f64::total_cmp);
    let loud = sorted
        .get(sorted.len() * 9 / 10)
        .copied()
        .unwrap_or_default();
    (loud * 0.1).max(0.003)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Speech-like sound: a tone, with silent gaps at the given seconds (each 0.4 s long).
    fn speech(seconds: f64, gaps: &[f64]) -> Vec<i16> {
        (0..samples(seconds))
            .map(|i| {
                let t = i as f64 / f64::from(SAMPLE_RATE);
                if gaps.iter().any(|g| t >= *g && t < g + 0.4) {
                    0
                } else {
                    ((t * 220.0 * std::f64::consts::TAU).sin() * 8000.0) as i16
                }
            })
            .collect()
    }

    fn seconds(cut: usize) -> f64 {
        cut as f64 / f64::from(SAMPLE_RATE)
    }

    #[test]
    fn nothing_is_cut_before_a_stretch_is_waiting() {
        assert_eq!(next_cut(&speech(20.0, &[5.0, 12.0]), false), None);
        assert_eq!(next_cut(&[], true), None);
    }

    #[test]
    fn a_stretch_ends_in_the_latest_pause_in_reach() {
        let cut = next_cut(&speech(25.0, &[5.0, 12.0, 21.0]), false).unwrap();
        assert!((21.0..21.4).contains(&seconds(cut)), "{}", seconds(cut));
        // A pause before the shortest stretch is no place to cut.
        assert_eq!(next_cut(&speech(25.0, &[5.0]), false), None);
    }

    #[test]
    fn without_a_pause_a_stretch_is_cut_before_it_outgrows_the_window() {
        let cut = next_cut(&speech(29.5, &[]), false).unwrap();
        assert!(seconds(cut) <= LONGEST_SECONDS, "{}", seconds(cut));
        assert!(seconds(cut) >= SHORTEST_SECONDS, "{}", seconds(cut));
    }

    #[test]
    fn once_ended_the_rest_goes_whole_unless_it_is_too_long() {
        let tail = speech(17.0, &[3.0]);
        assert_eq!(next_cut(&tail, true), Some(tail.len()));
        let long = speech(40.0, &[8.0, 22.0, 33.0]);
        let cut = next_cut(&long, true).unwrap();
        assert!((22.0..22.4).contains(&seconds(cut)), "{}", seconds(cut));
    }
}
