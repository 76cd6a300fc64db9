//! The change between a metric's two sides: one before -> after, or for ranges ("10-15 min")
//! every pairing of their ends, described from one end to the other ("2-3x faster").

use super::{Change, Direction, Quantity, Unit};

/// A before -> after change, or for ranges the changes between their ends.
pub(super) struct Changes {
    /// One change, or each pairing of the ends of a range with the other side.
    pub(super) all: Vec<Change>,
}

impl Changes {
    pub(super) fn new(
        before: &(Quantity, Quantity),
        after: &(Quantity, Quantity),
        unit: &Unit,
    ) -> Changes {
        let with_unit = |q: &Quantity| Quantity {
            value: q.value,
            unit: unit.clone(),
        };
        let mut all: Vec<Change> = Vec::new();
        for b in [&before.0, &before.1] {
            for a in [&after.0, &after.1] {
                let change = Change {
                    before: with_unit(b),
                    after: with_unit(a),
                };
                if !all.contains(&change) {
                    all.push(change);
                }
            }
        }
        Changes { all }
    }

    /// The way every pairing moved; `None` if they do not agree (overlapping ranges) or none
    /// moved.
    pub(super) fn direction(&self) -> Option<Direction> {
        let first = self.all[0].direction();
        self.all
            .iter()
            .all(|c| c.direction() == first)
            .then_some(first)
            .flatten()
    }

    /// Ratios need two positive numbers on each side.
    pub(super) fn positive(&self) -> bool {
        self.all
            .iter()
            .all(|c| c.before.value > 0.0 && c.after.value > 0.0)
    }

    /// The change in plain words: one change as [`Change::describe`]; a range's from one end
    /// to the other ("2-3x faster: 50-67% less time, ..."); a change with a zero or negative
    /// side as a difference ("up 10 ms").
    pub(super) fn describe(&self, name: &str) -> String {
        let difference = |c: &Change| c.after.value - c.before.value;
        if !self.positive() {
            return span(&self.all, difference, Change::describe_difference);
        }
        if self.all.len() > 1 && self.direction().is_none() {
            return format!(
                "{}: the ranges overlap, so it may have gone either way",
                span(&self.all, difference, Change::describe_difference)
            );
        }
        span(&self.all, Change::ratio, |c| c.describe(name))
    }
}

/// The descriptions of the changes with the smallest and the largest `key`, merged: numbers
/// that differ become ranges ("2x" and "3x faster" -> "2-3x faster").
fn span(
    changes: &[Change],
    key: impl Fn(&Change) -> f64,
    describe: impl Fn(&Change) -> String,
) -> String {
    let low = changes
        .iter()
        .min_by(|a, b| key(a).total_cmp(&key(b)))
        .expect("one change at least");
    let high = changes
        .iter()
        .max_by(|a, b| key(a).total_cmp(&key(b)))
        .expect("one change at least");
    merge_numbers(&describe(low), &describe(high))
}

/// Two descriptions that differ only in their numbers, as one with ranges; otherwise
/// "between A and B".
pub(super) fn merge_numbers(low: &str, high: &str) -> String {
    if low == high {
        return low.to_owned();
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (low.split(' ').collect(), high.split(' ').collect());
    if a.len() == b.len() {
        let merged: Option<Vec<String>> =
            a.iter().zip(&b).map(|(x, y)| merge_token(x, y)).collect();
        if let Some(merged) = merged {
            return merged.join(" ");
        }
    }
    format!("between {low} and {high}")
}

/// "2x" and "3x" -> "2-3x"; equal tokens stay; anything else cannot merge.
fn merge_token(low: &str, high: &str) -> Option<String> {
    if low == high {
        return Some(low.to_owned());
    }
    let split = |t: &str| {
        let start = t.find(|c: char| c.is_ascii_digit())?;
        let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
        Some((
            t[..start].to_owned(),
            t[start..end].to_owned(),
            t[end..].to_owned(),
        ))
    };
    let (p1, n1, s1) = split(low)?;
    let (p2, n2, s2) = split(high)?;
    let (n1v, n2v): (f64, f64) = (
        n1.replace(',', "").parse().ok()?,
        n2.replace(',', "").parse().ok()?,
    );
    let (n1, n2) = if n1v <= n2v { (n1, n2) } else { (n2, n1) };
    (p1 == p2 && s1 == s2).then(|| format!("{p1}{n1}-{n2}{s1}"))
}
