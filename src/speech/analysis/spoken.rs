//! Numbers as people say them and as Whisper writes them: "eighteen million", "18 million",
//! "six times", "6x", "nineteen point five", "half", "a third", "83 percent", "83%". Each
//! becomes an [`Amount`]; units are read by the story's own parser ([`Quantity::parse`]), so
//! "three hours" and "3 h" compare equal.

use std::ops::Range;

use super::tokens::Token;
use crate::story::numbers::{Quantity, Unit, leading_number};

/// A number with what it counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// A duration, a size, money, a count or a rate (the story's own unit classes).
    Quantity(Quantity),
    /// "83%", "83 percent".
    Percent(f64),
    /// "6x", "six times", "sixfold".
    Factor(f64),
    /// "half", "a third", "two thirds": as a share (0.5, 0.333...).
    Fraction(f64),
}

/// How close a spoken number must be to count as the story's: "1,667" for 1,666.7, not "80%"
/// for 83% (a wrong number is never said).
const TOLERANCE: f64 = 0.02;

fn close(expected: f64, heard: f64) -> bool {
    (expected - heard).abs() <= TOLERANCE * expected.abs().max(heard.abs()).max(1e-9)
}

impl Amount {
    /// Does `heard` say this amount? Counts and rates compare by value ("10,000 records a
    /// second" is "10,000 records/s"); a half is 50% less and 2x.
    pub fn is_said_by(&self, heard: &Amount) -> bool {
        match (self, heard) {
            (Amount::Quantity(e), Amount::Quantity(h)) => {
                same_quantity_class(&e.unit, &h.unit) && close(e.value, h.value)
            }
            (Amount::Percent(e), Amount::Percent(h)) | (Amount::Factor(e), Amount::Factor(h)) => {
                close(*e, *h)
            }
            (Amount::Percent(e), Amount::Fraction(f)) => {
                close(*e, f * 100.0) || close(*e, (1.0 - f) * 100.0)
            }
            (Amount::Factor(e), Amount::Fraction(f)) => close(*e, 1.0 / f),
            (Amount::Fraction(e), Amount::Fraction(h)) => close(*e, *h),
            (Amount::Fraction(f), Amount::Percent(p)) => {
                close(f * 100.0, *p) || close((1.0 - f) * 100.0, *p)
            }
            (Amount::Fraction(f), Amount::Factor(x)) => close(1.0 / f, *x),
            _ => false,
        }
    }

    /// Is `heard` the same kind of number (a duration for a duration, a factor for a
    /// factor), so that a different value is a wrong number rather than another number?
    pub fn same_kind(&self, heard: &Amount) -> bool {
        match (self, heard) {
            (Amount::Quantity(e), Amount::Quantity(h)) => same_quantity_class(&e.unit, &h.unit),
            (Amount::Percent(_), Amount::Percent(_) | Amount::Fraction(_))
            | (Amount::Factor(_), Amount::Factor(_) | Amount::Fraction(_))
            | (Amount::Fraction(_), _) => true,
            _ => false,
        }
    }
}

fn same_quantity_class(a: &Unit, b: &Unit) -> bool {
    match (a, b) {
        (Unit::Count(_) | Unit::Rate(_), Unit::Count(_) | Unit::Rate(_)) => true,
        (Unit::Money(_), Unit::Money(_)) => true,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// A number found in a run of tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub amount: Amount,
    /// The tokens it spans (number and unit).
    pub tokens: Range<usize>,
}

/// A number written in a story (a metric's before or after, a part of its claim): "3 h",
/// "6x faster", "83% less time", "18 million, creates and updates", "$10,000".
pub fn written(text: &str) -> Option<Amount> {
    let (value, rest) = leading_number(text)?;
    let rest = rest.trim_start().to_lowercase();
    if rest.starts_with('x') || rest.starts_with('×') || rest.starts_with("times") {
        return Some(Amount::Factor(value));
    }
    if rest.starts_with('%') || rest.starts_with("percent") {
        return Some(Amount::Percent(value));
    }
    // The number, a scale word, and the unit's first word or sign ("records/s" whole).
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let prefix = &text[..start];
    let mut words = rest.split(|c: char| c.is_whitespace() || c == ',' || c == ';');
    let mut value = value;
    let mut unit = words.next().unwrap_or("");
    if let Some(scale) = scale(unit) {
        value *= scale;
        unit = words.next().unwrap_or("");
    }
    let unit = if matches!(words.next(), Some("per")) {
        format!("{unit} per {}", words.next().unwrap_or(""))
    } else {
        unit.to_owned()
    };
    quantity(&format!("{prefix}{value} {unit}"))
}

fn quantity(text: &str) -> Option<Amount> {
    let parsed = Quantity::parse(text)?;
    Some(match parsed.unit {
        Unit::Percent => Amount::Percent(parsed.value),
        _ => Amount::Quantity(parsed),
    })
}

fn scale(word: &str) -> Option<f64> {
    match word {
        "thousand" | "k" => Some(1e3),
        "million" => Some(1e6),
        "billion" | "bn" => Some(1e9),
        _ => None,
    }
}

fn small_number(word: &str) -> Option<f64> {
    const ONES: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: &[&str] = &[
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = ONES.iter().position(|w| *w == word) {
        return Some(i as f64);
    }
    TENS.iter()
        .position(|w| *w == word)
        .map(|i| (i as f64 + 2.0) * 10.0)
}

fn fraction(word: &str) -> Option<f64> {
    match word {
        "half" | "halves" => Some(2.0),
        "third" | "thirds" => Some(3.0),
        "quarter" | "quarters" | "fourth" | "fourths" => Some(4.0),
        "fifth" | "fifths" => Some(5.0),
        "tenth" | "tenths" => Some(10.0),
        _ => None,
    }
}

/// Reads a number at `tokens[i]`, in digits or in words; returns its value and the index after.
fn number_at(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    let token = tokens.get(i)?;
    let text = |j: usize| tokens.get(j).map(|t| t.text.as_str());
    let (mut value, mut j) = if token.is_number() {
        (token.text.parse::<f64>().ok()?, i + 1)
    } else {
        words_number(tokens, i)?
    };
    // "nineteen point five", "19 point 5".
    if text(j) == Some("point")
        && let Some(next) = tokens.get(j + 1)
    {
        let digits: Option<String> = if next.is_number() {
            Some(next.text.clone())
        } else {
            small_number(&next.text)
                .filter(|d| *d < 10.0)
                .map(|d| d.to_string())
        };
        if let Some(digits) = digits
            && let Ok(fractional) = format!("0.{digits}").parse::<f64>()
        {
            value += fractional;
            j += 2;
        }
    }
    // "nineteen and a half", "two and a quarter million".
    if text(j) == Some("and")
        && text(j + 1) == Some("a")
        && let Some(part) = text(j + 2).and_then(fraction).filter(|d| *d <= 4.0)
    {
        value += 1.0 / part;
        j += 3;
    }
    while let Some(factor) = text(j)
        .and_then(scale)
        .filter(|_| token.is_number() || j > i)
    {
        value *= factor;
        j += 1;
    }
    Some((value, j))
}

/// "eighteen", "forty five", "two hundred and fifty thousand", "a million".
fn words_number(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    let text = |j: usize| tokens.get(j).map(|t| t.text.as_str());
    let mut total = 0.0;
    let mut current = 0.0;
    let mut seen = false;
    let mut j = i;
    // "a million", "a hundred".
    if text(j) == Some("a") && text(j + 1).is_some_and(|w| w == "hundred" || scale(w).is_some()) {
        current = 1.0;
        seen = true;
        j += 1;
    }
    while let Some(word) = text(j) {
        if let Some(n) = small_number(word) {
            current += n;
        } else if word == "hundred" && seen {
            current = current.max(1.0) * 100.0;
        } else if let Some(s) = scale(word).filter(|_| seen && word.len() > 2) {
            total += current.max(1.0) * s;
            current = 0.0;
        } else if word == "and" && seen && text(j + 1).and_then(small_number).is_some() {
            // "two hundred and fifty"
        } else {
            break;
        }
        seen = true;
        j += 1;
    }
    seen.then_some((total + current, j))
}

/// Every number in `tokens`, with the unit that follows it.
pub(crate) fn mentions(tokens: &[Token]) -> Vec<Mention> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(mention) = unit_fraction_at(tokens, i)
            .or_else(|| fraction_at(tokens, i))
            .or_else(|| amount_at(tokens, i))
        {
            i = mention.tokens.end.max(i + 1);
            found.push(mention);
        } else {
            i += 1;
        }
    }
    found
}

/// A unit said with a fraction and no digits: "half an hour" (30 min), "half a second", "an
/// hour and a half" (90 min), "a minute and a half", "half a million".
fn unit_fraction_at(tokens: &[Token], i: usize) -> Option<Mention> {
    let text = |k: usize| tokens.get(k).map(|t| t.text.as_str());
    let article = |k: usize| matches!(text(k), Some("a" | "an"));
    let (value, unit, end) = if text(i) == Some("half") && article(i + 1) {
        (0.5, text(i + 2)?, i + 3)
    } else if article(i)
        && text(i + 2) == Some("and")
        && article(i + 3)
        && text(i + 4) == Some("half")
    {
        (1.5, text(i + 1)?, i + 5)
    } else {
        return None;
    };
    let amount = match scale(unit) {
        Some(factor) => bare("", value * factor)?,
        None if TIME_WORDS.contains(&unit) => quantity(&format!("{value} {unit}"))?,
        None => return None,
    };
    Some(Mention {
        amount,
        tokens: i..end,
    })
}

/// "half", "a third", "two thirds", "one quarter" (not "the third step").
fn fraction_at(tokens: &[Token], i: usize) -> Option<Mention> {
    let word = tokens.get(i)?.text.as_str();
    if word == "half" {
        return Some(Mention {
            amount: Amount::Fraction(0.5),
            tokens: i..i + 1,
        });
    }
    let numerator = match word {
        "a" | "one" => 1.0,
        _ => small_number(word).filter(|n| (2.0..10.0).contains(n))?,
    };
    let denominator = fraction(&tokens.get(i + 1)?.text)?;
    Some(Mention {
        amount: Amount::Fraction(numerator / denominator),
        tokens: i..i + 2,
    })
}

const TIME_WORDS: &[&str] = &[
    "second", "seconds", "sec", "s", "minute", "minutes", "min", "hour", "hours", "h", "day",
    "days", "week", "weeks", "month", "months",
];

fn amount_at(tokens: &[Token], i: usize) -> Option<Mention> {
    let (value, j) = number_at(tokens, i)?;
    let text = |k: usize| tokens.get(k).map(|t| t.text.as_str());
    let currency = i
        .checked_sub(1)
        .and_then(&text)
        .filter(|w| ["$", "€", "£"].contains(w))
        .unwrap_or("");
    let (amount, end) = match text(j) {
        Some("%" | "percent") => (Amount::Percent(value), j + 1),
        Some("per") if text(j + 1) == Some("cent") => (Amount::Percent(value), j + 2),
        Some("x" | "×" | "times" | "fold") => (Amount::Factor(value), j + 1),
        Some(unit) if tokens[j].is_word() => {
            // "records per second", "records a second", "records/s".
            let per = match (text(j + 1), text(j + 2)) {
                (Some("per" | "a" | "an" | "/" | "every"), Some(time))
                    if TIME_WORDS.contains(&time) =>
                {
                    Some(time)
                }
                _ => None,
            };
            match per {
                Some(time) => (quantity(&format!("{value} {unit} per {time}"))?, j + 3),
                None => {
                    let parsed = quantity(&format!("{currency}{value} {unit}"))?;
                    match &parsed {
                        // An ordinary word after a bare number is not its unit ("18 and").
                        Amount::Quantity(Quantity {
                            unit: Unit::Count(_),
                            ..
                        }) => (bare(currency, value)?, j),
                        _ => (parsed, j + 1),
                    }
                }
            }
        }
        _ => (bare(currency, value)?, j),
    };
    let amount = match amount {
        // Keep the word after a bare count as its unit for display: "18 million records".
        Amount::Quantity(Quantity {
            value,
            unit: Unit::Count(_),
        }) if tokens.get(j).is_some_and(|t| t.is_word()) => Amount::Quantity(Quantity {
            value,
            unit: Unit::Count(tokens[j].text.clone()),
        }),
        other => other,
    };
    // "each one is": a lone "one" is a word, not a number.
    if let Amount::Quantity(Quantity {
        value,
        unit: Unit::Count(_),
    }) = &amount
        && *value == 1.0
        && !tokens[i].is_number()
    {
        return None;
    }
    Some(Mention {
        amount,
        tokens: i.saturating_sub(usize::from(!currency.is_empty()))..end,
    })
}

fn bare(currency: &str, value: f64) -> Option<Amount> {
    quantity(&format!("{currency}{value}"))
}

/// The amounts a story's text says, for telling a number from the story apart from a new one.
pub(crate) fn amounts_in(tokens: &[Token]) -> Vec<Amount> {
    mentions(tokens).into_iter().map(|m| m.amount).collect()
}

/// Shows an amount the way the feedback names it: "3 h", "18000000", "6x", "83%".
pub fn describe(amount: &Amount) -> String {
    fn trim(value: f64) -> String {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
    match amount {
        Amount::Percent(p) => format!("{}%", trim(*p)),
        Amount::Factor(x) => format!("{}x", trim(*x)),
        Amount::Fraction(f) => match (1.0 / f).round() as i64 {
            2 => "a half".to_owned(),
            3 => "a third".to_owned(),
            4 => "a quarter".to_owned(),
            _ => trim(*f),
        },
        Amount::Quantity(q) => match &q.unit {
            Unit::Seconds if q.value >= 3600.0 => format!("{} h", trim(q.value / 3600.0)),
            Unit::Seconds if q.value >= 60.0 => format!("{} min", trim(q.value / 60.0)),
            Unit::Seconds => format!("{} s", trim(q.value)),
            Unit::Bytes => format!("{} bytes", trim(q.value)),
            Unit::Money(code) => format!("{} {code}", trim(q.value)),
            Unit::Percent => format!("{}%", trim(q.value)),
            Unit::Rate(_) | Unit::Count(_) => {
                format!("{} {}", group(q.value), q.unit.counted_name(q.value))
                    .trim_end()
                    .to_owned()
            }
        },
    }
}

/// 18000000 -> "18 million", 1667 -> "1,667".
fn group(value: f64) -> String {
    for (scale, word) in [(1e9, "billion"), (1e6, "million")] {
        if value >= scale {
            let text = format!("{:.2}", value / scale);
            return format!(
                "{} {word}",
                text.trim_end_matches('0').trim_end_matches('.')
            );
        }
    }
    let whole = value.round() as i64;
    if (value - whole as f64).abs() > 1e-9 {
        return format!("{value}");
    }
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn heard(text: &str) -> Vec<Amount> {
        amounts_in(&tokenize(text.split_whitespace()))
    }

    fn one(text: &str) -> Amount {
        let found = heard(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn words_and_digits_are_the_same_number() {
        let pairs = [
            ("eighteen million records", "18 million records"),
            ("six times faster", "6x faster"),
            ("three hours", "3 hours"),
            ("nineteen point five seconds", "19.5 seconds"),
            ("eighty three percent less", "83% less"),
            ("forty-five minutes", "45 minutes"),
            ("two hundred and fifty thousand users", "250,000 users"),
            ("ten thousand dollars", "$10,000"),
        ];
        for (words, digits) in pairs {
            let (w, d) = (one(words), one(digits));
            assert!(
                w.is_said_by(&d) && d.is_said_by(&w),
                "{words} vs {digits}: {w:?} {d:?}"
            );
        }
    }

    #[test]
    fn spoken_numbers_match_the_storys_written_ones() {
        let cases = [
            ("3 h", "about three hours"),
            ("30 min", "thirty minutes"),
            ("6x faster (83% less time)", "six times faster"),
            ("83% less time", "83 percent less time"),
            (
                "18 million, creates and updates",
                "eighteen million records",
            ),
            ("19.5 s", "nineteen point five seconds"),
            ("10,000 records/s", "ten thousand records per second"),
            ("$10,000", "ten thousand dollars"),
            ("50% less", "cut it in half"),
            ("2x faster", "in half the time"),
            ("3x", "a third of the time"),
            ("19.5 s", "nineteen and a half seconds"),
            ("90 min", "an hour and a half"),
            ("90 min", "one and a half hours"),
            ("30 min", "half an hour"),
            ("0.5 s", "half a second"),
            ("2.5 million", "two and a half million"),
            ("500,000", "half a million"),
            ("18 million", "18M"),
            ("$2 billion", "$2B"),
            ("10,000", "10K"),
            ("4x faster", "four X faster"),
            ("4x faster", "four-fold"),
            ("74%", "seventy four per cent"),
            ("1,667", "one thousand six hundred and sixty-seven"),
            ("500 ms", "five hundred milliseconds"),
        ];
        for (story, spoken) in cases {
            let expected = written(story).unwrap_or_else(|| panic!("{story}"));
            let found = heard(spoken);
            assert!(
                found.iter().any(|h| expected.is_said_by(h)),
                "{story} vs {spoken}: {expected:?} {found:?}"
            );
        }
    }

    #[test]
    fn a_different_number_is_the_same_kind_but_not_said() {
        let expected = written("30 min").unwrap();
        let wrong = one("forty five minutes");
        assert!(!expected.is_said_by(&wrong));
        assert!(expected.same_kind(&wrong));
        assert!(!expected.same_kind(&one("6x")));
        let records = written("18 million, creates and updates").unwrap();
        assert!(!records.is_said_by(&one("eight million records")));
        assert!(!written("6x").unwrap().is_said_by(&one("sixty times")));
    }

    #[test]
    fn ordinals_and_a_lone_one_are_not_numbers() {
        assert!(heard("each one is either a create").is_empty());
        assert!(heard("the third step").is_empty());
    }

    #[test]
    fn amounts_are_described_in_plain_units() {
        assert_eq!(describe(&written("3 h").unwrap()), "3 h");
        assert_eq!(describe(&written("30 min").unwrap()), "30 min");
        assert_eq!(
            describe(&one("eighteen million records")),
            "18 million records"
        );
        assert_eq!(describe(&one("six times")), "6x");
        assert_eq!(
            describe(&written("1,667 records/s").unwrap()),
            "1,667 records/s"
        );
    }
}
