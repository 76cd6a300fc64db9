//! Numbers with units as written in a metric ("19.5 s", "$10,000", "512 MB", "15%"), parsed
//! into a value and a unit class so that "3 h" compares with "30 min".

/// A number with its unit, as written in a metric ("19.5 s", "$10,000", "512 MB", "15%").
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
}

/// A quantity's unit class; durations and sizes are converted, so "3 h" compares with "30 min".
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// A duration, held in seconds.
    Seconds,
    /// An amount of money in one currency (`$`, `€`, `£`, or a code after the number).
    Money(String),
    /// A size in memory or on disk, held in bytes.
    Bytes,
    /// A percentage as a quantity (an error rate of 15%).
    Percent,
    /// Something per unit of time or per other thing ("records/s", "errors per day").
    Rate(String),
    /// A count of things ("pages", "incidents", "users"), or a bare number.
    Count(String),
}

impl Unit {
    /// What "a fifth of the ..." is a fifth of.
    pub(super) fn noun(&self) -> &'static str {
        match self {
            Unit::Seconds => "time",
            Unit::Money(_) => "amount",
            Unit::Bytes => "size",
            Unit::Percent => "value",
            Unit::Rate(_) => "rate",
            Unit::Count(_) => "count",
        }
    }

    /// "fewer" for things counted one by one, "less" for amounts.
    pub(super) fn less_word(&self) -> &'static str {
        match self {
            Unit::Count(_) => "fewer",
            _ => "less",
        }
    }

    pub(super) fn text(&self) -> &str {
        match self {
            Unit::Money(t) | Unit::Rate(t) | Unit::Count(t) => t,
            _ => "",
        }
    }
}

const CURRENCY_SYMBOLS: &[(char, &str)] = &[('$', "USD"), ('€', "EUR"), ('£', "GBP")];
const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("usd", "USD"),
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("eur", "EUR"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("gbp", "GBP"),
    ("pounds", "GBP"),
    ("inr", "INR"),
    ("rupees", "INR"),
];

impl Quantity {
    pub fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        let start = text.find(|c: char| c.is_ascii_digit())?;
        let prefix = text[..start].trim();
        let (mut value, rest) = leading_number(text)?;
        let mut unit_text = rest.trim().to_lowercase();
        // "18 million records": the scale word multiplies, the rest is the unit.
        for (word, scale) in [
            ("thousand", 1e3),
            ("k", 1e3),
            ("million", 1e6),
            ("billion", 1e9),
            ("bn", 1e9),
        ] {
            if let Some(after) = unit_text.strip_prefix(word)
                && (after.is_empty() || after.starts_with(' '))
            {
                value *= scale;
                unit_text = after.trim().to_owned();
                break;
            }
        }
        if let Some(&(_, code)) = CURRENCY_SYMBOLS
            .iter()
            .find(|(symbol, _)| prefix.ends_with(*symbol))
        {
            return Some(Quantity {
                value,
                unit: Unit::Money(code.to_owned()),
            });
        }
        if let Some(&(_, code)) = CURRENCY_WORDS.iter().find(|(word, _)| unit_text == *word) {
            return Some(Quantity {
                value,
                unit: Unit::Money(code.to_owned()),
            });
        }
        let seconds_per = match unit_text.as_str() {
            "ms" | "millisecond" | "milliseconds" => Some(0.001),
            "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
            "min" | "mins" | "minute" | "minutes" => Some(60.0),
            "h" | "hr" | "hrs" | "hour" | "hours" => Some(3600.0),
            "d" | "day" | "days" => Some(86_400.0),
            "week" | "weeks" => Some(604_800.0),
            _ => None,
        };
        if let Some(factor) = seconds_per {
            return Some(Quantity {
                value: value * factor,
                unit: Unit::Seconds,
            });
        }
        let bytes_per = match unit_text.as_str() {
            "b" | "byte" | "bytes" => Some(1.0),
            "kb" => Some(1e3),
            "mb" => Some(1e6),
            "gb" => Some(1e9),
            "tb" => Some(1e12),
            "kib" => Some(1024.0),
            "mib" => Some(1024.0 * 1024.0),
            "gib" => Some(1024.0 * 1024.0 * 1024.0),
            "tib" => Some(1024f64.powi(4)),
            _ => None,
        };
        if let Some(factor) = bytes_per {
            return Some(Quantity {
                value: value * factor,
                unit: Unit::Bytes,
            });
        }
        let unit = if unit_text == "%" || unit_text == "percent" {
            Unit::Percent
        } else if unit_text.contains('/') || unit_text.contains(" per ") {
            Unit::Rate(unit_text)
        } else {
            Unit::Count(unit_text)
        };
        Some(Quantity { value, unit })
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
