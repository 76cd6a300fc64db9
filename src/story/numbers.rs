//! The numbers check: does a metric's claim follow from its before and after?
//!
//! "19.5 s -> 5 s" is 3.9x faster, or 74% less time, or 290% faster; "around 400%" is none of
//! those. Interviewers do this arithmetic in their heads; we do it first.

use std::fmt;

use super::MetricClaim;

/// A number with its unit, as written in a metric ("19.5 s", "30 min", "1,667 rows/s").
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A duration, held in seconds; less is better.
    Seconds,
    /// Anything else, compared only with the same unit; more is better.
    Other(String),
}

impl Quantity {
    pub fn parse(text: &str) -> Option<Quantity> {
        let (value, rest) = leading_number(text.trim())?;
        let unit_text = rest.trim().to_lowercase();
        let seconds_per = match unit_text.as_str() {
            "ms" | "millisecond" | "milliseconds" => Some(0.001),
            "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
            "min" | "mins" | "minute" | "minutes" => Some(60.0),
            "h" | "hr" | "hrs" | "hour" | "hours" => Some(3600.0),
            "d" | "day" | "days" => Some(86_400.0),
            "week" | "weeks" => Some(604_800.0),
            _ => None,
        };
        Some(match seconds_per {
            Some(factor) => Quantity {
                value: value * factor,
                unit: Unit::Seconds,
            },
            None => Quantity {
                value,
                unit: Unit::Other(unit_text),
            },
        })
    }
}

/// The first number in `text` (commas as thousands separators allowed) and what follows it.
pub(crate) fn leading_number(text: &str) -> Option<(f64, &str)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let tail = &text[start..];
    let end = tail
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(tail.len());
    let digits = tail[..end].trim_end_matches(['.', ',']);
    let value: f64 = digits.replace(',', "").parse().ok()?;
    Some((value, &tail[digits.len()..]))
}

/// What a before -> after change supports saying.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: Quantity,
    pub after: Quantity,
}

impl Change {
    /// How many times better: 19.5 s -> 5 s is 3.9; 10 -> 50 per minute is 5.
    pub fn factor(&self) -> f64 {
        match self.before.unit {
            Unit::Seconds => self.before.value / self.after.value,
            Unit::Other(_) => self.after.value / self.before.value,
        }
    }

    /// Percent less time (durations) or percent more (everything else).
    pub fn percent_change(&self) -> f64 {
        match self.before.unit {
            Unit::Seconds => (1.0 - self.after.value / self.before.value) * 100.0,
            Unit::Other(_) => (self.after.value / self.before.value - 1.0) * 100.0,
        }
    }

    /// "3.9x faster (74% less time, or 290% faster)", the phrasings these numbers support.
    pub fn supported(&self) -> String {
        let factor = self.factor();
        match self.before.unit {
            Unit::Seconds => format!(
                "{}x faster ({:.0}% less time, or {:.0}% faster)",
                round1(factor),
                self.percent_change(),
                (factor - 1.0) * 100.0
            ),
            Unit::Other(_) => format!(
                "{}x as much ({:.0}% more)",
                round1(factor),
                self.percent_change()
            ),
        }
    }
}

fn round1(value: f64) -> String {
    let rounded = format!("{value:.1}");
    rounded.strip_suffix(".0").unwrap_or(&rounded).to_owned()
}

/// The outcome of checking one metric.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The claim matches one reading of the numbers.
    Supported { supported: String },
    /// The claim matches no reading of the numbers.
    Contradicted { claim: String, supported: String },
    /// Nothing to check, and why.
    Unchecked { reason: String },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Supported { supported } => write!(f, "ok: {supported}"),
            Verdict::Contradicted { claim, supported } => {
                write!(
                    f,
                    "\"{claim}\" does not follow; the numbers say {supported}"
                )
            }
            Verdict::Unchecked { reason } => write!(f, "not checked: {reason}"),
        }
    }
}

/// Checks a metric's claim against its before and after.
pub fn check(metric: &MetricClaim) -> Verdict {
    let unchecked = |reason: &str| Verdict::Unchecked {
        reason: reason.to_owned(),
    };
    let (Some(before), Some(after)) = (metric.before.as_deref(), metric.after.as_deref()) else {
        return unchecked("no before and after");
    };
    let (Some(before), Some(after)) = (Quantity::parse(before), Quantity::parse(after)) else {
        return unchecked("before or after is not a number with a unit");
    };
    if before.unit != after.unit {
        return unchecked("before and after are in different units");
    }
    if before.value <= 0.0 || after.value <= 0.0 {
        return unchecked("a ratio needs positive numbers");
    }
    let change = Change { before, after };
    let supported = change.supported();
    let Some(claim) = metric.claim.as_deref() else {
        return Verdict::Supported { supported };
    };
    let Some((claimed, rest)) = leading_number(claim) else {
        return unchecked("the claim has no number");
    };
    let rest = rest.trim_start().to_lowercase();
    let lower_claim = claim.to_lowercase();
    let hedged = [
        "around", "about", "approx", "roughly", "nearly", "almost", "~", "over",
    ]
    .iter()
    .any(|w| lower_claim.contains(w));
    let tolerance = if hedged { 0.10 } else { 0.05 };
    let close = |actual: f64| (claimed - actual).abs() <= tolerance * actual.abs().max(1.0);

    let factor = change.factor();
    let readings: Vec<f64> =
        if rest.starts_with('x') || rest.starts_with('×') || rest.starts_with("times") {
            vec![factor]
        } else if rest.starts_with('%') {
            let reduction = [
                "less", "fewer", "reduc", "lower", "cut", "sav", "shorter", "drop",
            ]
            .iter()
            .any(|w| lower_claim.contains(w));
            let percent_faster = (factor - 1.0) * 100.0;
            match (&change.before.unit, reduction) {
                (Unit::Seconds, true) => vec![change.percent_change()],
                // "N% faster", "N% optimization", or a bare "N%": either reading will do.
                (Unit::Seconds, false) => vec![percent_faster, change.percent_change()],
                (Unit::Other(_), _) => vec![change.percent_change()],
            }
        } else {
            return unchecked("the claim is neither a factor (4x) nor a percentage (74%)");
        };
    if readings.iter().any(|r| close(*r)) {
        Verdict::Supported { supported }
    } else {
        Verdict::Contradicted {
            claim: claim.to_owned(),
            supported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(before: &str, after: &str, claim: &str) -> MetricClaim {
        MetricClaim {
            name: "m".into(),
            before: Some(before.into()),
            after: Some(after.into()),
            claim: Some(claim.into()),
        }
    }

    #[test]
    fn quantities_parse_with_units_and_separators() {
        assert_eq!(
            Quantity::parse("3 h"),
            Some(Quantity {
                value: 10_800.0,
                unit: Unit::Seconds
            })
        );
        assert_eq!(
            Quantity::parse("30 min"),
            Some(Quantity {
                value: 1_800.0,
                unit: Unit::Seconds
            })
        );
        assert_eq!(
            Quantity::parse("1,667 rows/s"),
            Some(Quantity {
                value: 1_667.0,
                unit: Unit::Other("rows/s".into())
            })
        );
        assert_eq!(Quantity::parse("fast"), None);
    }

    #[test]
    fn around_400_percent_is_not_what_19_5_s_to_5_s_says() {
        let verdict = check(&metric("19.5 s", "5 s", "around 400%"));
        let Verdict::Contradicted { supported, .. } = &verdict else {
            panic!("expected a contradiction, got {verdict:?}");
        };
        assert_eq!(supported, "3.9x faster (74% less time, or 290% faster)");
    }

    #[test]
    fn the_honest_phrasings_of_19_5_s_to_5_s_pass() {
        for claim in [
            "about 4x faster",
            "3.9x faster",
            "74% less time",
            "around 290% faster",
            "3.9 times faster",
        ] {
            let verdict = check(&metric("19.5 s", "5 s", claim));
            assert!(
                matches!(verdict, Verdict::Supported { .. }),
                "{claim}: {verdict:?}"
            );
        }
    }

    #[test]
    fn units_convert_before_comparing() {
        assert!(matches!(
            check(&metric("3 h", "30 min", "6x faster")),
            Verdict::Supported { .. }
        ));
        assert!(matches!(
            check(&metric("3 h", "30 min", "83% less time")),
            Verdict::Supported { .. }
        ));
        assert!(matches!(
            check(&metric("3 h", "30 min", "10x faster")),
            Verdict::Contradicted { .. }
        ));
    }

    #[test]
    fn throughput_is_better_when_it_grows() {
        assert!(matches!(
            check(&metric("10 XMLs/min", "40 XMLs/min", "4x")),
            Verdict::Supported { .. }
        ));
        assert!(matches!(
            check(&metric("10 XMLs/min", "40 XMLs/min", "400% more")),
            Verdict::Contradicted { .. }
        ));
    }

    #[test]
    fn mismatched_or_missing_numbers_are_unchecked_not_guessed() {
        assert!(matches!(
            check(&metric("3 h", "30 rows", "6x")),
            Verdict::Unchecked { .. }
        ));
        assert!(matches!(
            check(&metric("3 h", "30 min", "much faster")),
            Verdict::Unchecked { .. }
        ));
        let no_after = MetricClaim {
            name: "rate".into(),
            before: Some("10 XMLs/min".into()),
            after: None,
            claim: None,
        };
        assert!(matches!(check(&no_after), Verdict::Unchecked { .. }));
    }
}
