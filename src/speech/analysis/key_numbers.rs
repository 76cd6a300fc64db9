//! Key numbers: for each metric of the story, was it said, said with a different number
//! (wrong), or not said? A number counts as said only when its value and kind match; a number
//! of the same kind that the story never mentions, spoken near the metric's own words, is
//! wrong, and never said.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::spoken::{Amount, Mention, amounts_in, describe, written};
use super::tokens::{Stems, Token, tokenize};
use crate::story::numbers::claim_parts;
use crate::story::{MetricClaim, Story};

/// What became of one number of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Heard {
    Said,
    /// Said, but not all of the metric's numbers (metrics only).
    Partly,
    /// A different number was said in its place.
    Wrong,
    NotSaid,
}

/// One number of a metric (its before, its after, or a part of its claim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCheck {
    /// "before", "after" or "claim".
    pub part: String,
    /// As the story writes it: "3 h", "6x faster".
    pub expected: String,
    /// What was said for it, when something was: "30 min", "45 min".
    pub heard: Option<String>,
    pub verdict: Heard,
}

/// One metric of the story, checked against the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberCheck {
    pub metric: String,
    pub values: Vec<ValueCheck>,
    pub verdict: Heard,
}

/// Words that name a unit, not what a metric is about ("time" in "six times").
const UNIT_STEMS: &[&str] = &[
    "time", "second", "minut", "hour", "day", "week", "month", "year", "percent", "faster",
    "slower", "less", "fewer", "x",
];
/// Tokens either side of a number that say what it is about.
const CONTEXT: usize = 8;

struct Expected {
    part: &'static str,
    text: String,
    amount: Amount,
}

fn expected_numbers(metric: &MetricClaim) -> Vec<Expected> {
    let mut out = Vec::new();
    for (part, text) in [("before", &metric.before), ("after", &metric.after)] {
        if let Some(text) = text
            && let Some(amount) = written(text)
        {
            out.push(Expected {
                part,
                text: text.trim().to_owned(),
                amount,
            });
        }
    }
    if let Some(claim) = &metric.claim {
        for piece in claim_parts(claim) {
            if let Some(amount) = written(piece) {
                out.push(Expected {
                    part: "claim",
                    text: piece.trim().to_owned(),
                    amount,
                });
            }
        }
    }
    out
}

/// A positive size for comparing amounts of one kind on a log scale.
fn magnitude(amount: &Amount) -> f64 {
    let value = match amount {
        Amount::Quantity(q) => q.value,
        Amount::Percent(p) => *p,
        Amount::Factor(x) => *x,
        Amount::Fraction(f) => *f,
    };
    value.abs().max(1e-9)
}

fn about(stems: &Stems, text: &str) -> BTreeSet<String> {
    tokenize(text.split_whitespace())
        .iter()
        .filter(|t| t.is_word())
        .filter_map(|t| stems.content(t))
        .filter(|s| !UNIT_STEMS.contains(&s.as_str()))
        .collect()
}

fn context(stems: &Stems, tokens: &[Token], mention: &Mention) -> BTreeSet<String> {
    let from = mention.tokens.start.saturating_sub(CONTEXT);
    let to = (mention.tokens.end + CONTEXT).min(tokens.len());
    tokens[from..to]
        .iter()
        .enumerate()
        .filter(|(i, _)| !mention.tokens.contains(&(from + i)))
        .filter(|(_, t)| t.is_word())
        .filter_map(|(_, t)| stems.content(t))
        .filter(|s| !UNIT_STEMS.contains(&s.as_str()))
        .collect()
}

/// The verdict on each metric, and for each mention whether it was a said (true) or wrong
/// (false) key number; mentions that are neither are left out.
pub(crate) fn check(
    story: &Story,
    tokens: &[Token],
    mentions: &[Mention],
    stems: &Stems,
) -> (Vec<NumberCheck>, Vec<(usize, bool)>) {
    let story_text: String = story
        .sections
        .iter()
        .map(|s| s.text.as_str())
        .chain(story.answered_probes().map(|p| p.answer.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    let metrics: Vec<(&MetricClaim, Vec<Expected>)> = story
        .meta
        .metrics
        .iter()
        .map(|m| (m, expected_numbers(m)))
        .filter(|(_, expected)| !expected.is_empty())
        .collect();
    // A number the story says somewhere is never "wrong", even when no metric names it.
    let mut known: Vec<Amount> = amounts_in(&tokenize(story_text.split_whitespace()));
    known.extend(
        metrics
            .iter()
            .flat_map(|(_, e)| e.iter().map(|x| x.amount.clone())),
    );
    let unexplained: Vec<usize> = (0..mentions.len())
        .filter(|&i| !known.iter().any(|k| k.is_said_by(&mentions[i].amount)))
        .collect();
    let said: Vec<Vec<Option<usize>>> = metrics
        .iter()
        .map(|(_, expected)| {
            expected
                .iter()
                .map(|number| {
                    mentions
                        .iter()
                        .position(|m| number.amount.is_said_by(&m.amount))
                })
                .collect()
        })
        .collect();
    let wrong = stand_ins(stems, tokens, mentions, &unexplained, &metrics, &said);
    let mut marks: Vec<(usize, bool)> = Vec::new();
    let mut checks = Vec::new();
    for (m, (metric, expected)) in metrics.iter().enumerate() {
        let (said, wrong) = (&said[m], &wrong[m]);
        let mut values = Vec::new();
        for (e, number) in expected.iter().enumerate() {
            let (heard, verdict) = match (said[e], wrong[e]) {
                (Some(i), _) => {
                    marks.push((i, true));
                    (Some(describe(&mentions[i].amount)), Heard::Said)
                }
                (None, Some(i)) => {
                    marks.push((i, false));
                    (Some(describe(&mentions[i].amount)), Heard::Wrong)
                }
                (None, None) => (None, Heard::NotSaid),
            };
            values.push(ValueCheck {
                part: number.part.to_owned(),
                expected: number.text.clone(),
                heard,
                verdict,
            });
        }
        let count = |v: Heard| values.iter().filter(|c| c.verdict == v).count();
        let verdict = if count(Heard::Wrong) > 0 {
            Heard::Wrong
        } else if count(Heard::Said) == values.len() {
            Heard::Said
        } else if count(Heard::Said) > 0 {
            Heard::Partly
        } else {
            Heard::NotSaid
        };
        checks.push(NumberCheck {
            metric: metric.name.clone(),
            values,
            verdict,
        });
    }
    (checks, marks)
}

/// Which unsaid value each new number stands in for, per metric: a number of the same kind and
/// order near a metric's words stands in for the unsaid value closest to it in size (45 min
/// for the 30 min after, not for the 3 h before). Each number stands in once, for the closest
/// value of any metric, so one wrong number is one wrong value, not one per metric near it.
fn stand_ins(
    stems: &Stems,
    tokens: &[Token],
    mentions: &[Mention],
    unexplained: &[usize],
    metrics: &[(&MetricClaim, Vec<Expected>)],
    said: &[Vec<Option<usize>>],
) -> Vec<Vec<Option<usize>>> {
    let mut candidates: Vec<(f64, usize, usize, usize)> = Vec::new();
    for (m, (metric, expected)) in metrics.iter().enumerate() {
        let words = about(
            stems,
            &format!("{} {}", metric.name, metric.claim.as_deref().unwrap_or("")),
        );
        for &i in unexplained {
            if context(stems, tokens, &mentions[i]).is_disjoint(&words) {
                continue;
            }
            for (e, number) in expected.iter().enumerate() {
                let distance = (magnitude(&number.amount) / magnitude(&mentions[i].amount))
                    .ln()
                    .abs();
                // A stand-in is of the same order: "8 million" for 18 million, not "S3".
                if said[m][e].is_none()
                    && number.amount.same_kind(&mentions[i].amount)
                    && distance <= 10f64.ln()
                {
                    candidates.push((distance, i, m, e));
                }
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut wrong: Vec<Vec<Option<usize>>> =
        metrics.iter().map(|(_, e)| vec![None; e.len()]).collect();
    let mut used = vec![false; mentions.len()];
    for (_, i, m, e) in candidates {
        if !used[i] && wrong[m][e].is_none() {
            wrong[m][e] = Some(i);
            used[i] = true;
        }
    }
    wrong
}
