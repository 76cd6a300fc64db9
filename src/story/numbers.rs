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
//!
//! Two sides that cannot be compared ("2 GB -> 500 ms", "$10,000 -> €2,000") are an error,
//! whatever the claim. A side may be a range ("10-15 min"): the claim must hold somewhere in
//! it. A side at zero or below has no ratio: the change is a difference ("up 10 ms").

use std::fmt;

use super::MetricClaim;

mod changes;
mod quantity;

use changes::{Changes, merge_numbers};

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
        // A duration is better shorter; work per unit of time is a throughput, better higher
        // (money per unit of time may be a cost or an income: its name must say).
        (false, false) if unit.is_time() => Some(Direction::Down),
        (false, false) if unit.is_per_time() && !unit.is_money_rate() => Some(Direction::Up),
        (false, false) => None,
    }
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
    let speed = match (faster, slower) {
        (true, false) if unit.is_time() => Some(Direction::Down),
        (false, true) if unit.is_time() => Some(Direction::Up),
        (true, false) if matches!(unit, Unit::Rate(_)) => Some(Direction::Up),
        (false, true) if matches!(unit, Unit::Rate(_)) => Some(Direction::Down),
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

    /// The change as a difference, for numbers a ratio cannot be taken of (zero or negative):
    /// "up 10 ms", "down 3 points", "no change".
    pub fn describe_difference(&self) -> String {
        let difference = self.after.value - self.before.value;
        if difference == 0.0 {
            return "no change".to_owned();
        }
        let way = if difference > 0.0 { "up" } else { "down" };
        format!(
            "{way} {}",
            quantity::amount(difference.abs(), &self.before.unit)
        )
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
                    _ if unit.is_time() => format!(
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
                    _ if unit.is_time() => format!(
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
        (_, Direction::Down) if unit.is_time() => "faster",
        (_, Direction::Up) if unit.is_time() => "slower",
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
    /// Before and after cannot be compared (a size and a duration, dollars and euros): no claim
    /// can follow from them. `why` says so in plain words.
    Incomparable { why: String },
    /// Nothing to check, and why.
    Unchecked { reason: String },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Supported { supported, reading } => write!(f, "ok: {supported} ({reading})"),
            Verdict::Contradicted { why, .. } | Verdict::Incomparable { why } => f.write_str(why),
            Verdict::Unchecked { reason } => write!(f, "not checked: {reason}"),
        }
    }
}

impl Verdict {
    /// A finding lint reports as an error.
    pub fn is_error(&self) -> bool {
        matches!(
            self,
            Verdict::Contradicted { .. } | Verdict::Incomparable { .. }
        )
    }
}

/// One way of reading the numbers that a claim may match: a value, or for ranges the span of
/// values from one end to the other.
struct Reading {
    low: f64,
    high: f64,
    label: String,
}

/// Checks a metric's claim against its before and after. A claim with several parts
/// ("6x faster (83% less time)") is checked part by part; every part must follow. Either side
/// may be a range ("10-15 min"): a claim follows if it holds somewhere in it.
pub fn check(metric: &MetricClaim) -> Verdict {
    let unchecked = |reason: &str| Verdict::Unchecked {
        reason: reason.to_owned(),
    };
    let (Some(before_text), Some(after_text)) = (metric.before.as_deref(), metric.after.as_deref())
    else {
        return unchecked("no before and after");
    };
    let (Some(before), Some(after)) = (
        Quantity::parse_range(before_text),
        Quantity::parse_range(after_text),
    ) else {
        return unchecked("before or after is not a number with a unit");
    };
    let Some(unit) = before.0.unit.common(&after.0.unit) else {
        return Verdict::Incomparable {
            why: incomparable(before_text, &before.0.unit, after_text, &after.0.unit)
                + &metric
                    .claim
                    .as_deref()
                    .map(|c| format!(", so \"{}\" cannot follow from them", c.trim()))
                    .unwrap_or_default()
                + "; state both sides in one unit",
        };
    };
    let changes = Changes::new(&before, &after, &unit);
    let supported = changes.describe(&metric.name);
    let Some(claim) = metric.claim.as_deref() else {
        return Verdict::Supported {
            supported,
            reading: "no claim to check".to_owned(),
        };
    };
    let mut readings_matched = Vec::new();
    let mut first_reason = None;
    for part in claim_parts(claim) {
        match check_part(&changes, &metric.name, part) {
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
        let reason = first_reason.unwrap_or_else(|| "the claim has no number".to_owned());
        if !changes.positive() {
            return unchecked(&format!(
                "{reason} ({before_text} -> {after_text} is {supported})"
            ));
        }
        return unchecked(&reason);
    }
    Verdict::Supported {
        supported,
        reading: readings_matched.join("; "),
    }
}

/// Why two sides cannot be compared, in plain words.
fn incomparable(before_text: &str, before: &Unit, after_text: &str, after: &Unit) -> String {
    let what = match (before, after) {
        (Unit::Money(a), Unit::Money(b)) => {
            format!(
                "{before_text} is in {a} and {after_text} in {b} (convert one, and say at what rate)"
            )
        }
        (Unit::Count(a), Unit::Count(b)) => {
            format!("they count different things (\"{a}\" and \"{b}\")")
        }
        (Unit::Rate(a), Unit::Rate(b)) => format!("they are different rates ({a} and {b})"),
        _ => format!(
            "{before_text} is {} and {after_text} {}",
            before.kind(),
            after.kind()
        ),
    };
    format!("{before_text} -> {after_text} cannot be compared: {what}")
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

fn check_part(changes: &Changes, name: &str, part: &str) -> PartVerdict {
    let Some((claimed, rest)) = claimed_range(part) else {
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
    // A signed claim says its direction: "-74%" went down, "+300%" up.
    let signed = if claimed.0 < 0.0 {
        Some(Direction::Down)
    } else if part.trim_start().starts_with('+') {
        Some(Direction::Up)
    } else {
        None
    };
    let claimed = (
        claimed.0.abs().min(claimed.1.abs()),
        claimed.0.abs().max(claimed.1.abs()),
    );

    let unit = &changes.all[0].before.unit;
    let direction = claim_direction(part, unit)
        .or(signed)
        .or_else(|| better_direction(unit, name));
    let is_factor = rest.starts_with('x') || rest.starts_with('×') || rest.starts_with("times");
    let is_points = rest.starts_with("point")
        || rest.starts_with("pp")
        || rest.starts_with("pts")
        || rest.starts_with("percentage point");
    let is_percent = !is_points && (rest.starts_with('%') || rest.starts_with("percent"));
    if !(is_factor || is_percent || is_points) {
        return PartVerdict::Unchecked(
            "the claim is neither a factor (4x) nor a percentage (74%)".to_owned(),
        );
    }
    let kind = ClaimKind {
        factor: is_factor,
        percent: is_percent,
        ratios: changes.positive(),
    };
    // The same readings for every pairing of the ends, in the same order: each becomes a span.
    let per_change: Vec<Vec<(f64, String)>> = changes
        .all
        .iter()
        .map(|change| readings(change, direction, &kind))
        .collect();
    let readings: Vec<Reading> = (0..per_change[0].len())
        .map(|i| {
            let values = per_change.iter().map(|r| r[i].0);
            let low = values.clone().fold(f64::INFINITY, f64::min);
            let high = values.fold(f64::NEG_INFINITY, f64::max);
            let at = |value: f64| {
                per_change
                    .iter()
                    .map(|r| &r[i])
                    .find(|r| r.0 == value)
                    .map_or(String::new(), |r| r.1.clone())
            };
            Reading {
                low,
                high,
                label: merge_numbers(&at(low), &at(high)),
            }
        })
        .collect();
    if readings.is_empty() && !kind.ratios {
        return PartVerdict::Unchecked(
            "a factor or a percentage needs two positive numbers".to_owned(),
        );
    }
    let unchecked_direction = if direction.is_none() {
        ", size only: neither the claim's words nor the metric's unit or name say whether it went down or up, so the direction was not checked"
    } else {
        ""
    };
    let close = |r: &Reading| {
        let slack = |v: f64| tolerance * v.abs().max(1.0);
        claimed.0 <= r.high + slack(r.high) && claimed.1 >= r.low - slack(r.low)
    };
    if let Some(found) = readings.iter().find(|r| close(r)) {
        return PartVerdict::Matches(format!("{}{unchecked_direction}", found.label));
    }
    let problem = match (direction, changes.direction()) {
        (Some(Direction::Down), Some(Direction::Up)) => ": the numbers went up, not down",
        (Some(Direction::Up), Some(Direction::Down)) => ": the numbers went down, not up",
        _ => "",
    };
    PartVerdict::Wrong(problem.to_owned())
}

/// The number a claim part starts with, or the range it gives ("2-3x"), and what follows.
fn claimed_range(part: &str) -> Option<((f64, f64), &str)> {
    let (low, rest) = leading_number(part)?;
    Some(match quantity::range_end(rest) {
        Some((high, rest)) => ((low, high), rest),
        None => ((low, low), rest),
    })
}

/// What a claim part is: a factor ("4x"), a percentage ("74%") or percentage points; and
/// whether ratios can be read from the numbers at all.
struct ClaimKind {
    factor: bool,
    percent: bool,
    ratios: bool,
}

/// The readings a claim of `kind` may match for one change, with their labels.
fn readings(change: &Change, direction: Option<Direction>, kind: &ClaimKind) -> Vec<(f64, String)> {
    let unit = &change.before.unit;
    let (b, a) = (change.before.value, change.after.value);
    let mut out: Vec<(f64, String)> = Vec::new();
    if kind.factor && kind.ratios {
        match direction {
            Some(Direction::Down) => out.push((
                b / a,
                format!("{}x {}", round1(b / a), factor_word(unit, Direction::Down)),
            )),
            Some(Direction::Up) => out.push((
                a / b,
                format!("{}x {}", round1(a / b), factor_word(unit, Direction::Up)),
            )),
            None => out.push((
                b.max(a) / b.min(a),
                format!("{}x", round1(b.max(a) / b.min(a))),
            )),
        }
    } else if kind.percent && kind.ratios {
        let relative_down = (1.0 - a / b) * 100.0;
        let relative_up = (a / b - 1.0) * 100.0;
        match direction {
            Some(Direction::Down) => {
                out.push((
                    relative_down,
                    if unit.is_time() {
                        format!("{} less time", percent(relative_down))
                    } else {
                        format!(
                            "{} {} than before",
                            percent(relative_down),
                            unit.less_word()
                        )
                    },
                ));
                // "290% faster": the speed-up, for a duration.
                if unit.is_time() {
                    let speedup = (b / a - 1.0) * 100.0;
                    out.push((speedup, format!("{} faster (speed-up)", percent(speedup))));
                }
            }
            Some(Direction::Up) => {
                out.push((
                    relative_up,
                    format!("{} more than before", percent(relative_up)),
                ));
            }
            None => {
                let size = (a / b - 1.0).abs() * 100.0;
                out.push((size, format!("a {} change", percent(size))));
            }
        }
    }
    if !kind.factor && *unit == Unit::Percent {
        let points_down = b - a;
        let points = match direction {
            Some(Direction::Down) => points_down,
            Some(Direction::Up) => -points_down,
            None => points_down.abs(),
        };
        out.push((points, format!("{} percentage points", round1(points))));
    }
    out
}
#[cfg(test)]
mod tests;
