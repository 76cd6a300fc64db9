//! The numbers check: does a metric's claim follow from its before and after?
//!
//! "19.5 s -> 5 s" is 3.9x faster, or 74% less time, or 290% faster; "around 400%" is none of
//! those. "$10,000 -> $2,000" is 80% less; "5x more expensive" does not follow. Interviewers do
//! this arithmetic in their heads; we do it first.
//!
//! Whether a claim says "went down" or "went up" comes from its own words (cheaper, fewer,
//! more, ...) and, for a bare "4x", from the metric's unit and name (a duration, a cost, an
//! error count is better smaller; a throughput, users or hits better larger). Where nothing
//! says, only the claim's size is checked, and the verdict says so.

use std::fmt;

use super::MetricClaim;

mod quantity;

pub(crate) use quantity::leading_number;
pub use quantity::{Quantity, Unit};

/// Which way a number moved, or which way a claim says it moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Down,
    Up,
}

/// Words in a metric's name or unit that say smaller is better.
const SMALLER_IS_BETTER: &[&str] = &[
    "cost",
    "bill",
    "spend",
    "price",
    "expense",
    "fee",
    "memory",
    "ram",
    "heap",
    "footprint",
    "error",
    "fail",
    "incident",
    "page",
    "paging",
    "alert",
    "bug",
    "defect",
    "outage",
    "latency",
    "churn",
    "complaint",
    "retr",
    "crash",
    "downtime",
    "backlog",
    "wait",
    "ticket",
    "cpu",
    "usage",
    "duration",
    "delay",
    "lag",
];
/// Words in a metric's name or unit that say larger is better.
const LARGER_IS_BETTER: &[&str] = &[
    "revenue",
    "sales",
    "income",
    "profit",
    "saving",
    "user",
    "hit",
    "customer",
    "visitor",
    "signup",
    "throughput",
    "retention",
    "coverage",
    "uptime",
    "availability",
    "conversion",
    "success",
];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn mentions(words: &[String], stems: &[&str]) -> bool {
    words
        .iter()
        .any(|w| stems.iter().any(|stem| w.starts_with(stem)))
}

/// Which way is better for this metric, from its unit and name; `None` when neither says.
pub fn better_direction(unit: &Unit, name: &str) -> Option<Direction> {
    let words = words(&format!("{name} {}", unit.text()));
    let smaller = mentions(&words, SMALLER_IS_BETTER);
    let larger = mentions(&words, LARGER_IS_BETTER);
    match (smaller, larger) {
        (true, false) => Some(Direction::Down),
        (false, true) => Some(Direction::Up),
        (true, true) => None,
        // A duration is better shorter; work per unit of time is a throughput, better higher.
        (false, false) => match unit {
            Unit::Seconds => Some(Direction::Down),
            Unit::Rate(text) if is_per_time(text) => Some(Direction::Up),
            _ => None,
        },
    }
}

fn is_per_time(unit: &str) -> bool {
    let per = unit
        .rsplit_once('/')
        .map(|(_, p)| p)
        .or_else(|| unit.rsplit_once(" per ").map(|(_, p)| p))
        .unwrap_or("")
        .trim();
    matches!(
        per,
        "s" | "sec"
            | "second"
            | "min"
            | "minute"
            | "h"
            | "hr"
            | "hour"
            | "d"
            | "day"
            | "week"
            | "month"
    )
}

/// Words of a claim that say the number went down; matched whole.
const DOWN_WORDS: &[&str] = &[
    "cheaper",
    "less",
    "fewer",
    "lower",
    "smaller",
    "reduced",
    "reduction",
    "reduces",
    "cut",
    "cuts",
    "shorter",
    "drop",
    "dropped",
    "drops",
    "down",
    "saved",
    "saving",
    "savings",
    "decrease",
    "decreased",
    "fell",
    "shrank",
    "shrunk",
    "lighter",
    "slashed",
];
/// Words of a claim that say the number went up; matched whole.
const UP_WORDS: &[&str] = &[
    "more",
    "higher",
    "up",
    "increase",
    "increased",
    "grew",
    "rose",
    "bigger",
    "larger",
    "greater",
    "gain",
    "boost",
    "boosted",
    "expensive",
    "costlier",
];

/// The direction a claim's own words give: "80% cheaper" is down; "faster" is down for a
/// duration and up for a throughput; `None` when the words do not say.
fn claim_direction(claim: &str, unit: &Unit) -> Option<Direction> {
    let words = words(claim);
    let says = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let down = says(DOWN_WORDS);
    let up = says(UP_WORDS);
    let faster = says(&["faster", "quicker", "speedup", "sped"]);
    let slower = says(&["slower"]);
    let speed = match (unit, faster, slower) {
        (Unit::Seconds, true, false) => Some(Direction::Down),
        (Unit::Seconds, false, true) => Some(Direction::Up),
        (Unit::Rate(_), true, false) => Some(Direction::Up),
        (Unit::Rate(_), false, true) => Some(Direction::Down),
        _ => None,
    };
    match (down, up, speed) {
        (true, false, None | Some(Direction::Down)) => Some(Direction::Down),
        (false, true, None | Some(Direction::Up)) => Some(Direction::Up),
        (false, false, speed) => speed,
        _ => None,
    }
}

/// A before -> after change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: Quantity,
    pub after: Quantity,
}

impl Change {
    pub fn direction(&self) -> Option<Direction> {
        if self.after.value < self.before.value {
            Some(Direction::Down)
        } else if self.after.value > self.before.value {
            Some(Direction::Up)
        } else {
            None
        }
    }

    /// after / before.
    pub fn ratio(&self) -> f64 {
        self.after.value / self.before.value
    }

    /// The change in plain words: "80% less, a fifth of the cost", "3.9x faster: 74% less
    /// time, or 290% faster", "4x as much (300% more)", "99% lower, or down 14.9 points".
    /// `name` is the metric's name: a cost's fifth is "a fifth of the cost".
    pub fn describe(&self, name: &str) -> String {
        let ratio = self.ratio();
        let unit = &self.before.unit;
        match self.direction() {
            None => "no change".to_owned(),
            Some(Direction::Down) => {
                let less = (1.0 - ratio) * 100.0;
                let factor = 1.0 / ratio;
                match unit {
                    Unit::Seconds => format!(
                        "{}x faster: {} less time, or {} faster",
                        round1(factor),
                        percent(less),
                        percent(factor * 100.0 - 100.0)
                    ),
                    Unit::Percent => format!(
                        "{} lower, or down {} points",
                        percent(less),
                        round1(self.before.value - self.after.value)
                    ),
                    _ => format!(
                        "{} {}, {} of the {}",
                        percent(less),
                        unit.less_word(),
                        fraction(factor),
                        noun(unit, name)
                    ),
                }
            }
            Some(Direction::Up) => {
                let more = (ratio - 1.0) * 100.0;
                match unit {
                    Unit::Seconds => format!(
                        "{}x the time ({} more time, {}x slower)",
                        round1(ratio),
                        percent(more),
                        round1(ratio)
                    ),
                    Unit::Percent => format!(
                        "{} higher, or up {} points",
                        percent(more),
                        round1(self.after.value - self.before.value)
                    ),
                    _ => format!("{}x as much ({} more)", round1(ratio), percent(more)),
                }
            }
        }
    }
}

fn noun(unit: &Unit, name: &str) -> &'static str {
    let is_cost = mentions(
        &words(name),
        &["cost", "bill", "spend", "price", "expense", "fee"],
    );
    match unit {
        Unit::Money(_) if is_cost => "cost",
        _ => unit.noun(),
    }
}

/// How a factor reads for a unit: "4x faster" for time, "4x fewer" for counts.
fn factor_word(unit: &Unit, direction: Direction) -> &'static str {
    match (unit, direction) {
        (Unit::Seconds, Direction::Down) => "faster",
        (Unit::Seconds, Direction::Up) => "slower",
        (Unit::Count(_), Direction::Down) => "fewer",
        (_, Direction::Down) => "less",
        (_, Direction::Up) => "as much",
    }
}

/// "a fifth" for 5, "a third" for 3; "1/3.9" when not close to a whole number.
fn fraction(factor: f64) -> String {
    let whole = factor.round();
    let names = [
        "",
        "",
        "half",
        "a third",
        "a quarter",
        "a fifth",
        "a sixth",
        "a seventh",
        "an eighth",
        "a ninth",
        "a tenth",
    ];
    if (factor - whole).abs() <= 0.02 * factor && (2.0..=10.0).contains(&whole) {
        names[whole as usize].to_owned()
    } else {
        format!("1/{}", round1(factor))
    }
}

fn round1(value: f64) -> String {
    let rounded = format!("{value:.1}");
    rounded.strip_suffix(".0").unwrap_or(&rounded).to_owned()
}

fn percent(value: f64) -> String {
    if value.abs() >= 10.0 {
        format!("{value:.0}%")
    } else {
        format!("{}%", round1(value))
    }
}

/// The outcome of checking one metric.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The claim matches one reading of the numbers; `reading` says which (and whether the
    /// direction was checked).
    Supported { supported: String, reading: String },
    /// The claim matches no reading of the numbers; `why` says what is wrong in plain words.
    Contradicted {
        claim: String,
        supported: String,
        why: String,
    },
    /// Nothing to check, and why.
    Unchecked { reason: String },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Supported { supported, reading } => write!(f, "ok: {supported} ({reading})"),
            Verdict::Contradicted { why, .. } => f.write_str(why),
            Verdict::Unchecked { reason } => write!(f, "not checked: {reason}"),
        }
    }
}

/// One way of reading the numbers that a claim may match.
struct Reading {
    value: f64,
    label: String,
}

/// Checks a metric's claim against its before and after. A claim with several parts
/// ("6x faster (83% less time)") is checked part by part; every part must follow.
pub fn check(metric: &MetricClaim) -> Verdict {
    let unchecked = |reason: &str| Verdict::Unchecked {
        reason: reason.to_owned(),
    };
    let (Some(before_text), Some(after_text)) = (metric.before.as_deref(), metric.after.as_deref())
    else {
        return unchecked("no before and after");
    };
    let (Some(before), Some(after)) = (Quantity::parse(before_text), Quantity::parse(after_text))
    else {
        return unchecked("before or after is not a number with a unit");
    };
    if before.unit != after.unit {
        return unchecked("before and after are in different units");
    }
    if before.value <= 0.0 || after.value <= 0.0 {
        return unchecked("a ratio needs positive numbers");
    }
    let change = Change { before, after };
    let supported = change.describe(&metric.name);
    let Some(claim) = metric.claim.as_deref() else {
        return Verdict::Supported {
            supported,
            reading: "no claim to check".to_owned(),
        };
    };
    let mut readings_matched = Vec::new();
    let mut first_reason = None;
    for part in claim_parts(claim) {
        match check_part(&change, &metric.name, part) {
            PartVerdict::Matches(label) => readings_matched.push(label),
            PartVerdict::Unchecked(reason) => {
                first_reason.get_or_insert(reason);
            }
            PartVerdict::Wrong(problem) => {
                return Verdict::Contradicted {
                    claim: claim.to_owned(),
                    why: format!(
                        "{before_text} -> {after_text} is {supported}; \"{}\" does not follow{problem}",
                        part.trim()
                    ),
                    supported,
                };
            }
        }
    }
    if readings_matched.is_empty() {
        return unchecked(&first_reason.unwrap_or_else(|| "the claim has no number".to_owned()));
    }
    Verdict::Supported {
        supported,
        reading: readings_matched.join("; "),
    }
}

/// "6x faster (83% less time)" -> ["6x faster", "83% less time"]; "1,667" stays whole.
pub(crate) fn claim_parts(claim: &str) -> Vec<&str> {
    let mut parts = vec![claim];
    for separator in ["(", ")", ";", ", ", " or ", " and "] {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(separator))
            .filter(|p| !p.trim().is_empty())
            .collect();
    }
    parts
}

enum PartVerdict {
    Matches(String),
    /// Why it does not follow, beyond the numbers themselves (may be empty).
    Wrong(String),
    Unchecked(String),
}

fn check_part(change: &Change, name: &str, part: &str) -> PartVerdict {
    let Some((claimed, rest)) = leading_number(part) else {
        return PartVerdict::Unchecked("the claim has no number".to_owned());
    };
    let rest = rest.trim_start().to_lowercase();
    let lower = part.to_lowercase();
    let hedged = [
        "around", "about", "approx", "roughly", "nearly", "almost", "~", "over",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let tolerance = if hedged { 0.10 } else { 0.05 };
    let close = |actual: f64| (claimed - actual).abs() <= tolerance * actual.abs().max(1.0);

    let unit = &change.before.unit;
    let from_words = claim_direction(part, unit);
    let direction = from_words.or_else(|| better_direction(unit, name));
    let (b, a) = (change.before.value, change.after.value);
    let is_factor = rest.starts_with('x') || rest.starts_with('×') || rest.starts_with("times");
    let is_points = rest.starts_with("point")
        || rest.starts_with("pp")
        || rest.starts_with("pts")
        || rest.starts_with("percentage point");
    let is_percent = !is_points && (rest.starts_with('%') || rest.starts_with("percent"));

    let mut readings: Vec<Reading> = Vec::new();
    let mut push = |value: f64, label: String| readings.push(Reading { value, label });
    if is_factor {
        match direction {
            Some(Direction::Down) => push(
                b / a,
                format!("{}x {}", round1(b / a), factor_word(unit, Direction::Down)),
            ),
            Some(Direction::Up) => push(
                a / b,
                format!("{}x {}", round1(a / b), factor_word(unit, Direction::Up)),
            ),
            None => push(
                b.max(a) / b.min(a),
                format!("{}x", round1(b.max(a) / b.min(a))),
            ),
        }
    } else if is_percent || is_points {
        let relative_down = (1.0 - a / b) * 100.0;
        let relative_up = (a / b - 1.0) * 100.0;
        let points_down = b - a;
        if is_percent {
            match direction {
                Some(Direction::Down) => {
                    push(
                        relative_down,
                        match unit {
                            Unit::Seconds => format!("{} less time", percent(relative_down)),
                            _ => format!(
                                "{} {} than before",
                                percent(relative_down),
                                unit.less_word()
                            ),
                        },
                    );
                    // "290% faster": the speed-up, for a duration.
                    if *unit == Unit::Seconds {
                        let speedup = (b / a - 1.0) * 100.0;
                        push(speedup, format!("{} faster (speed-up)", percent(speedup)));
                    }
                }
                Some(Direction::Up) => {
                    push(
                        relative_up,
                        format!("{} more than before", percent(relative_up)),
                    );
                }
                None => {
                    let size = (a / b - 1.0).abs() * 100.0;
                    push(size, format!("a {} change", percent(size)));
                }
            }
        }
        if *unit == Unit::Percent {
            let points = match direction {
                Some(Direction::Down) => points_down,
                Some(Direction::Up) => -points_down,
                None => points_down.abs(),
            };
            push(points, format!("{} percentage points", round1(points)));
        }
    } else {
        return PartVerdict::Unchecked(
            "the claim is neither a factor (4x) nor a percentage (74%)".to_owned(),
        );
    }
    let unchecked_direction = if direction.is_none() {
        ", size only: neither the claim's words nor the metric's unit or name say whether it went down or up, so the direction was not checked"
    } else {
        ""
    };
    if let Some(found) = readings.iter().find(|r| close(r.value)) {
        return PartVerdict::Matches(format!("{}{unchecked_direction}", found.label));
    }
    let problem = match (direction, change.direction()) {
        (Some(Direction::Down), Some(Direction::Up)) => ": the numbers went up, not down",
        (Some(Direction::Up), Some(Direction::Down)) => ": the numbers went down, not up",
        _ => "",
    };
    PartVerdict::Wrong(problem.to_owned())
}

#[cfg(test)]
mod tests;
