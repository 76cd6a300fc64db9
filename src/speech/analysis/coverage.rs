//! STAR coverage: which of the story's sentences (and Action steps) came through in the
//! answer, judged on content words after stemming, not on exact wording.
//!
//! A sentence came through when at least half of its content words (and at least two, or all
//! of a shorter one) are heard close together: within a stretch of the answer about twice the
//! sentence's length. Close together, so that an answer about another story that happens to
//! use the same words here and there does not cover anything. A sentence retold in other
//! words also comes through when a figure only it holds is said beside another of its words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::spoken::{Amount, mentions};
use super::tokens::{Stems, Token, tokenize};
use crate::story::numbers::Unit;
use crate::story::{SectionKind, Story};

/// One sentence or Action step of the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCoverage {
    pub text: String,
    /// Share of its content words heard together, 0..=1.
    pub score: f64,
    pub came_through: bool,
}

/// One section of the story against the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionCoverage {
    /// "Situation", "Task", "Action", "Result" (or "Answer" for a prepared answer).
    pub section: String,
    pub units: Vec<UnitCoverage>,
}

impl SectionCoverage {
    pub fn came_through(&self) -> usize {
        self.units.iter().filter(|u| u.came_through).count()
    }

    /// Share of the section's sentences that came through.
    pub fn share(&self) -> f64 {
        if self.units.is_empty() {
            0.0
        } else {
            self.came_through() as f64 / self.units.len() as f64
        }
    }
}

/// The sections checked: the four STAR sections, or a prepared answer's one.
pub(crate) fn sections_of(story: &Story) -> Vec<SectionKind> {
    let star: Vec<SectionKind> = SectionKind::STAR
        .into_iter()
        .filter(|kind| {
            story
                .section(*kind)
                .is_some_and(|s| !s.text.trim().is_empty())
        })
        .collect();
    if star.is_empty() && story.section(SectionKind::Answer).is_some() {
        vec![SectionKind::Answer]
    } else {
        star
    }
}

/// A section's sentences; Action bullets are one step each.
pub(crate) fn units_of(text: &str) -> Vec<String> {
    let plain = strip_markup(text);
    let mut units = Vec::new();
    let mut prose = String::new();
    for line in plain.lines() {
        let trimmed = line.trim_start();
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("+ "))
            .or_else(|| {
                let digits = trimmed.find(|c: char| !c.is_ascii_digit())?;
                (digits > 0).then(|| trimmed[digits..].strip_prefix(". "))?
            });
        match item {
            Some(item) => {
                units.extend(sentences(&prose));
                prose.clear();
                units.push(item.trim().to_owned());
            }
            None if trimmed.is_empty() => {
                units.extend(sentences(&prose));
                prose.clear();
            }
            // A wrapped line continues the bullet above it, or the paragraph.
            None if prose.is_empty() && !units.is_empty() && line.starts_with("  ") => {
                let last = units.last_mut().expect("checked");
                last.push(' ');
                last.push_str(trimmed);
            }
            None => {
                prose.push(' ');
                prose.push_str(trimmed);
            }
        }
    }
    units.extend(sentences(&prose));
    units.retain(|u| u.chars().any(char::is_alphanumeric));
    units
}

fn strip_markup(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>'))
        .collect()
}

/// Splits prose at ". ", "! ", "? " (not inside "19.5").
fn sentences(prose: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = prose.trim().chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            out.push(current.trim().to_owned());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// Content stems of tokens; each number (with its unit) becomes one key, "#s1800" for "thirty
/// minutes" and "30 min" alike, so a sentence's numbers count like its words.
fn content(stems: &Stems, tokens: &[Token]) -> Vec<(usize, String)> {
    let mut keys: Vec<Option<String>> = vec![None; tokens.len()];
    let mut numeric = vec![false; tokens.len()];
    for mention in mentions(tokens) {
        keys[mention.tokens.start] = Some(number_key(&mention.amount));
        for i in mention.tokens {
            numeric[i] = true;
        }
    }
    tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match &keys[i] {
            Some(key) => Some((i, key.clone())),
            None if numeric[i] || !t.is_word() => None,
            None => stems.content(t).map(|s| (i, s)),
        })
        .collect()
}

fn number_key(amount: &Amount) -> String {
    let (kind, value) = match amount {
        Amount::Quantity(q) => (
            match q.unit {
                Unit::Seconds => "s",
                Unit::Bytes => "b",
                Unit::Money(_) => "$",
                Unit::Percent => "p",
                Unit::Rate(_) | Unit::Count(_) => "n",
            },
            q.value,
        ),
        Amount::Percent(p) => ("p", *p),
        Amount::Factor(x) => ("x", *x),
        Amount::Fraction(f) => ("f", *f),
    };
    format!("#{kind}{}", (value * 1000.0).round() / 1000.0)
}

/// Stems that are one slip of the ear apart still match ("refactor"/"refactors" are one stem
/// already; "sync"/"async", "partition"/"partitions" near enough): Whisper's small models
/// mishear a letter now and then.
fn similar(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= 4 && (long.ends_with(short) || long.starts_with(short)) {
        return long.len() - short.len() <= 2;
    }
    short.len() >= 5 && edit_distance_at_most_one(short, long)
}

fn edit_distance_at_most_one(short: &str, long: &str) -> bool {
    let (s, l): (Vec<char>, Vec<char>) = (short.chars().collect(), long.chars().collect());
    if l.len() - s.len() > 1 {
        return false;
    }
    let prefix = s.iter().zip(&l).take_while(|(a, b)| a == b).count();
    if s.len() == l.len() {
        s[prefix + 1..] == l[prefix + 1..]
    } else {
        s[prefix..] == l[prefix + 1..]
    }
}

/// What the coverage check found: per section, and which answer tokens matched which section.
pub(crate) struct Coverage {
    pub sections: Vec<SectionCoverage>,
    /// (token index, section) for each answer token that carried a sentence that came through.
    pub matched: Vec<(usize, SectionKind)>,
}

/// Each sentence is looked for in the answer; the best-found sentence claims the answer's
/// words that matched it, then the next best looks among the words left, and so on. One
/// spoken "daily refresh" covers one sentence, not every sentence that mentions it: an
/// answer that stops after the Action does not cover a Result that repeats the Situation.
pub(crate) fn check(story: &Story, answer: &[Token], stems: &Stems) -> Coverage {
    let heard = content(stems, answer);
    let mut units: Vec<(SectionKind, String, Vec<String>)> = Vec::new();
    for kind in sections_of(story) {
        let text = story.section(kind).map(|s| s.text.as_str()).unwrap_or("");
        for unit in units_of(text) {
            let mut wanted: Vec<String> = content(stems, &tokenize(unit.split_whitespace()))
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            wanted.sort();
            wanted.dedup();
            units.push((kind, unit, wanted));
        }
    }
    let mut claimed = vec![false; answer.len()];
    let mut found: Vec<Option<(f64, Vec<usize>)>> = vec![None; units.len()];
    loop {
        let free: Vec<(usize, String)> = heard
            .iter()
            .filter(|(i, _)| !claimed[*i])
            .cloned()
            .collect();
        let best = (0..units.len())
            .filter(|&u| found[u].is_none())
            .map(|u| (u, best_window(&units[u].2, &free)))
            .max_by(|a, b| {
                (a.1.1.len(), a.1.0)
                    .partial_cmp(&(b.1.1.len(), b.1.0))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.0.cmp(&a.0))
            });
        let Some((unit, (score, hits))) = best else {
            break;
        };
        for &token in &hits {
            claimed[token] = true;
        }
        found[unit] = Some((score, hits));
    }
    let own_numbers = own_numbers(&units);
    let heard_at: HashMap<usize, &str> = heard.iter().map(|(i, s)| (*i, s.as_str())).collect();
    let mut sections: Vec<SectionCoverage> = Vec::new();
    let mut matched = Vec::new();
    for (((kind, text, wanted), result), own) in units.into_iter().zip(found).zip(own_numbers) {
        let (score, hits) = result.unwrap_or_default();
        let most_words = score >= 0.5 && hits.len() >= wanted.len().min(2);
        // A figure only this sentence holds, said beside another of its words, is the sentence
        // retold: "now it completes in thirty minutes" covers "The daily refresh now completes
        // in just 30 minutes instead of around 3 hours", though it says under half its words.
        let own_figure = hits.len() >= 2
            && hits.iter().any(|i| {
                heard_at
                    .get(i)
                    .is_some_and(|key| own.iter().any(|o| o == key))
            });
        let came_through = !wanted.is_empty() && (most_words || own_figure);
        if came_through {
            matched.extend(hits.into_iter().map(|i| (i, kind)));
        }
        let unit = UnitCoverage {
            text,
            score,
            came_through,
        };
        match sections.last_mut() {
            Some(section) if section.section == kind.title() => section.units.push(unit),
            _ => sections.push(SectionCoverage {
                section: kind.title().to_owned(),
                units: vec![unit],
            }),
        }
    }
    Coverage { sections, matched }
}

/// Per sentence, its numbers that no other sentence of the story holds.
fn own_numbers(units: &[(SectionKind, String, Vec<String>)]) -> Vec<Vec<String>> {
    let mut holders: HashMap<&str, usize> = HashMap::new();
    for (_, _, wanted) in units {
        for key in wanted.iter().filter(|w| w.starts_with('#')) {
            *holders.entry(key).or_default() += 1;
        }
    }
    units
        .iter()
        .map(|(_, _, wanted)| {
            wanted
                .iter()
                .filter(|w| holders.get(w.as_str()) == Some(&1))
                .cloned()
                .collect()
        })
        .collect()
}

/// The stretch of the answer holding most of `wanted`: its share of `wanted` and the answer
/// tokens that matched there.
fn best_window(wanted: &[String], heard: &[(usize, String)]) -> (f64, Vec<usize>) {
    if wanted.is_empty() || heard.is_empty() {
        return (0.0, Vec::new());
    }
    let width = (wanted.len() * 2).max(wanted.len() + 6);
    let mut best = (0usize, Vec::new());
    for start in 0..heard.len() {
        let window = &heard[start..(start + width).min(heard.len())];
        let mut found = vec![false; wanted.len()];
        let mut tokens = Vec::new();
        for (token, stem) in window {
            if let Some(w) = wanted
                .iter()
                .enumerate()
                .position(|(i, w)| !found[i] && similar(w, stem))
            {
                found[w] = true;
                tokens.push(*token);
            }
        }
        if tokens.len() > best.0 {
            best = (tokens.len(), tokens);
        }
        if best.0 == wanted.len() {
            break;
        }
    }
    (best.0 as f64 / wanted.len() as f64, best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_bullets_are_steps_and_prose_is_split_into_sentences() {
        let units = units_of(
            "- I refactored these scripts.\n- I used an async module to run\n  the jobs concurrently.\n",
        );
        assert_eq!(
            units,
            [
                "I refactored these scripts.",
                "I used an async module to run the jobs concurrently."
            ]
        );
        let units = units_of("It took 19.5 s. Then **5 s**! Done");
        assert_eq!(units, ["It took 19.5 s.", "Then 5 s!", "Done"]);
    }

    #[test]
    fn near_misses_of_the_ear_match_but_other_words_do_not() {
        assert!(similar("sync", "async"));
        assert!(similar("partit", "partiti"));
        assert!(similar("concurr", "concur"));
        assert!(!similar("data", "date"));
        assert!(!similar("job", "jog"));
    }
}
