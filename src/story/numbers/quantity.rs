//! Numbers with units as people write them in a metric, parsed into a value and a unit class so
//! that "3 h" compares with "30 min" and "2 GB" is known not to compare with "500 ms":
//!
//! - numbers: `1,667`, `19.5`, `1e3`, `-5`, with `k`/`K`, `M`, `B`/`bn`, `thousand`, `million`,
//!   `billion` (`18M records`, `$1.2m`, `2B rows`; a lone `m` after a number is minutes, a lone
//!   `B` bytes);
//! - hedges before them (`about`, `~`, `under`, ...), and ranges (`10-15 min`, `10 to 15 min`);
//! - durations (`ns` to `years`, also `1h 30m`), sizes (`B` to `TB`, `KiB` to `TiB`, bits),
//!   money (`$`, `€`, `£`, `¥`, `₹`, or a code or word before or after the number), `%`;
//! - rates: `records/s`, `records per minute`, `10 XMLs a minute`, `rps`, `Mbps`,
//!   `$0.20 per 1M requests`, `19.5 s per XML`. Rates per unit of time are held per second.
//!
//! Counts keep their noun, singular and lower-case, so `3 incidents` compares with
//! `1 incident` but not with `1 outage`.

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
    /// An amount of money in one currency (`USD`, `EUR`, ...).
    Money(String),
    /// A size in memory or on disk, held in bytes.
    Bytes,
    /// A percentage as a quantity (an error rate of 15%).
    Percent,
    /// Something per unit of time (held per second) or per thing, as `what/per`: `record/s`,
    /// `error/s`, `usd/request`, `s/xml` (a duration per thing), `byte/s`.
    Rate(String),
    /// A count of things, by their singular noun (`page`, `incident`); empty for a bare number.
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
            Unit::Rate(_) if self.is_time() => "time",
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

    /// A duration, or a duration per thing ("19.5 s per XML"): better shorter, and "faster"
    /// means less of it.
    pub(super) fn is_time(&self) -> bool {
        match self {
            Unit::Seconds => true,
            Unit::Rate(text) => text.starts_with("s/"),
            _ => false,
        }
    }

    /// Something per unit of time: a throughput ("records/s") or a frequency ("errors/day").
    pub(super) fn is_per_time(&self) -> bool {
        matches!(self, Unit::Rate(text) if text.ends_with("/s") && !text.starts_with("s/"))
    }

    /// Money per something (a cost or an income rate): its direction is not a throughput's.
    pub(super) fn is_money_rate(&self) -> bool {
        matches!(self, Unit::Rate(text) if text.split('/').next().is_some_and(is_currency_code))
    }

    /// The name of `value` of a count or a rate, in the plural where it is more than one: they
    /// are held singular, so "3 incidents" and "1 incident" are one unit, but said as people
    /// say them ("1,667 records/s", "3 errors", "$0.20/request"). Empty for other units.
    pub fn counted_name(&self, value: f64) -> String {
        let plural = |noun: &str| {
            let countable = noun.len() > 2 && noun.chars().all(|c| c.is_alphabetic() || c == ' ');
            if value == 1.0 || !countable || is_currency_code(noun) {
                noun.to_owned()
            } else {
                plural(noun)
            }
        };
        match self {
            Unit::Count(noun) => plural(noun),
            Unit::Rate(text) => match text.split_once('/') {
                Some((what, per)) => format!("{}/{per}", plural(what)),
                None => text.clone(),
            },
            _ => String::new(),
        }
    }

    /// The kind of quantity, for a message: "a duration", "an amount in EUR", "a rate (record/s)".
    pub fn kind(&self) -> String {
        match self {
            Unit::Seconds => "a duration".to_owned(),
            Unit::Money(code) => format!("an amount in {code}"),
            Unit::Bytes => "a size".to_owned(),
            Unit::Percent => "a percentage".to_owned(),
            Unit::Rate(text) => format!("a rate ({text})"),
            Unit::Count(noun) if noun.is_empty() => "a bare number".to_owned(),
            Unit::Count(noun) => format!("a count of \"{noun}\""),
        }
    }

    /// Whether two quantities in these units can be put in a ratio: the same unit, or a count
    /// and a bare number (the noun said once). The unit to use for both, if so.
    pub fn common(&self, other: &Unit) -> Option<Unit> {
        match (self, other) {
            (a, b) if a == b => Some(a.clone()),
            (Unit::Count(a), Unit::Count(b)) if a.is_empty() || b.is_empty() => {
                Some(Unit::Count(if a.is_empty() { b } else { a }.clone()))
            }
            _ => None,
        }
    }
}

const CURRENCY_SYMBOLS: &[(char, &str)] = &[
    ('$', "USD"),
    ('€', "EUR"),
    ('£', "GBP"),
    ('¥', "JPY"),
    ('₹', "INR"),
];
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
    ("jpy", "JPY"),
    ("yen", "JPY"),
    ("chf", "CHF"),
    ("cad", "CAD"),
    ("aud", "AUD"),
];

fn is_currency_code(text: &str) -> bool {
    CURRENCY_WORDS
        .iter()
        .any(|(_, code)| code.eq_ignore_ascii_case(text))
}

/// Words that may stand before a number without changing it ("about 30 min", "~5 s").
const HEDGES: &[&str] = &[
    "approximately",
    "approx.",
    "approx",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "under",
    "over",
    "below",
    "above",
    "less than",
    "more than",
    "up to",
    "at most",
    "at least",
    "between",
    "from",
    "~",
    "≈",
    "<=",
    ">=",
    "≤",
    "≥",
    "<",
    ">",
];

impl Quantity {
    /// One quantity; `None` for text that is not a number with a unit, or is a range.
    pub fn parse(text: &str) -> Option<Quantity> {
        let (low, high) = Quantity::parse_range(text)?;
        (low == high).then_some(low)
    }

    /// A quantity or a range of them ("10-15 min"): (low end, high end), equal for one value.
    pub fn parse_range(text: &str) -> Option<(Quantity, Quantity)> {
        let text = text.trim().replace(['\u{a0}', '\u{202f}', '\u{2009}'], " ");
        let text = text.replace('−', "-");
        // Words before the number ("just 30 min", "a 15-minute window") are skipped.
        let mut rest = strip_hedges(&text);
        while !rest.is_empty() && !starts_a_number(rest) {
            rest = rest
                .split_once(char::is_whitespace)
                .map_or("", |(_, after)| after.trim_start());
        }
        let (sign, rest) = take_sign(rest);
        let (currency, rest) = take_currency_prefix(rest);
        let (inner_sign, rest) = take_sign(rest);
        let sign = sign * inner_sign;
        let (low, rest) = parse_number(rest)?;
        let (low_scale, rest) = take_scale(rest, currency.is_some());
        let (high, rest) = match take_range_end(rest) {
            Some((high, rest)) => {
                let (high_scale, rest) = take_scale(rest, currency.is_some());
                // "1-2M": the scale after the range is both ends'.
                let low_scale = if low_scale == 1.0 {
                    high_scale
                } else {
                    low_scale
                };
                (Some((low * low_scale, high * high_scale)), rest)
            }
            None => (None, rest),
        };
        let (low, high) = high.unwrap_or((low * low_scale, low * low_scale));
        let (low, high) = (sign * low, if sign < 0.0 { -high } else { high });
        // "1h 30m": more parts of one duration.
        if currency.is_none()
            && high == low
            && let Some(seconds) = compound_duration(low, rest)
        {
            let at = Quantity {
                value: seconds,
                unit: Unit::Seconds,
            };
            return Some((at.clone(), at));
        }
        let (factor, unit) = parse_unit(rest, currency)?;
        let at = |value: f64| Quantity {
            value: value * factor,
            unit: unit.clone(),
        };
        Some((at(low.min(high)), at(low.max(high))))
    }
}

/// Whether `text` starts with a number, a sign, or a currency symbol or code before one.
fn starts_a_number(text: &str) -> bool {
    let (_, rest) = take_sign(text);
    let (_, rest) = take_currency_prefix(rest);
    let (_, rest) = take_sign(rest);
    parse_number(rest).is_some()
}

fn strip_hedges(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        let lower = rest.to_lowercase();
        let Some(hedge) = HEDGES.iter().find(|h| {
            lower.starts_with(*h)
                && lower[h.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphabetic() || !h.chars().all(char::is_alphabetic))
        }) else {
            return rest;
        };
        rest = rest[hedge.len()..].trim_start();
    }
}

fn take_sign(text: &str) -> (f64, &str) {
    match text.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') => (-1.0, rest),
        _ => (
            1.0,
            text.strip_prefix('+')
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                .unwrap_or(text),
        ),
    }
}

/// `$`, `US$`, or a currency code before the number (`USD 2,000`).
fn take_currency_prefix(text: &str) -> (Option<&'static str>, &str) {
    let text = text.trim_start();
    let text = text
        .strip_prefix("US")
        .filter(|t| t.starts_with('$'))
        .unwrap_or(text);
    if let Some(&(symbol, code)) = CURRENCY_SYMBOLS.iter().find(|(s, _)| text.starts_with(*s)) {
        return (Some(code), text[symbol.len_utf8()..].trim_start());
    }
    let word: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let after = &text[word.len()..];
    if word.len() == 3
        && is_currency_code(&word)
        && after.trim_start().starts_with(|c: char| c.is_ascii_digit())
    {
        let code = CURRENCY_WORDS
            .iter()
            .find(|(_, c)| c.eq_ignore_ascii_case(&word))
            .map(|(_, c)| *c);
        return (code, after.trim_start());
    }
    (None, text)
}

/// The number at the start of `text`: digits with `,` between thousands, a decimal point, an
/// exponent (`1e3`, `2.5E-3`); and what follows it.
fn parse_number(text: &str) -> Option<(f64, &str)> {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut end = 0;
    while end < bytes.len() {
        let c = bytes[end];
        let separator = (c == b',' || c == b'.') && end > 0 && digit(end + 1);
        if c.is_ascii_digit() || separator || (c == b'.' && end == 0 && digit(1)) {
            end += 1;
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    let mut value: f64 = text[..end].replace(',', "").parse().ok()?;
    // An exponent only when digits follow: "2e6 rows", not "3 EUR".
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        let digits = bytes[end + 1 + sign..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits > 0 {
            let exp_end = end + 1 + sign + digits;
            value = text[..exp_end].replace(',', "").parse().ok()?;
            end = exp_end;
        }
    }
    Some((value, &text[end..]))
}

/// `k`, `M`, `bn`, `million`, ... right after a number: the factor and what follows.
fn take_scale(text: &str, money: bool) -> (f64, &str) {
    let spaced = text.trim_start();
    // "18M records" but not "18 M" (metres?), "5m" alone is minutes.
    let glued = text.len() == spaced.len();
    let word: String = spaced.chars().take_while(|c| c.is_alphabetic()).collect();
    let after = &spaced[word.len()..];
    // What follows the scale word: the end, or a noun after a space ("18m records").
    let noun_follows =
        after.starts_with(' ') && after.trim_start().starts_with(char::is_alphabetic);
    let ends = after.is_empty() || after.starts_with([' ', '/', ')', ',', '-', '–']);
    let scale = match word.as_str() {
        "thousand" => 1e3,
        "million" | "mn" | "mm" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" => 1e12,
        "k" | "K" => 1e3,
        "M" if glued => 1e6,
        "m" if glued && (money || noun_follows) => 1e6,
        "B" if glued && (money || noun_follows) => 1e9,
        "b" if glued && money => 1e9,
        _ => return (1.0, text),
    };
    if ends { (scale, after) } else { (1.0, text) }
}

/// The high end of a range: `-15`, `–15`, `to 15`, `and 15` (after "between"), `- $15`.
fn take_range_end(text: &str) -> Option<(f64, &str)> {
    let trimmed = text.trim_start();
    let rest = ["-", "–", "—", "to ", "and "]
        .iter()
        .find_map(|sep| trimmed.strip_prefix(sep))?;
    let (_, rest) = take_currency_prefix(rest.trim_start());
    parse_number(rest)
}

/// The high end of a range after a number (`-3x`, ` to 15`), for claims.
pub(super) fn range_end(text: &str) -> Option<(f64, &str)> {
    take_range_end(text)
}

/// An amount in its unit, for a message: `10 ms`, `2.5 min`, `1.5 GB`, `3 points`, `12 USD`.
pub(super) fn amount(value: f64, unit: &Unit) -> String {
    let (value, name) = match unit {
        Unit::Seconds => {
            let scales = [
                (172_800.0, 86_400.0, "days"),
                (7_200.0, 3_600.0, "h"),
                (120.0, 60.0, "min"),
                (1.0, 1.0, "s"),
            ];
            scales
                .iter()
                .find(|(from, _, _)| value >= *from)
                .map_or((value * 1e3, "ms".to_owned()), |(_, per, name)| {
                    (value / per, (*name).to_owned())
                })
        }
        Unit::Bytes => {
            let scales = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")];
            scales
                .iter()
                .find(|(from, _)| value >= *from)
                .map_or((value, "B".to_owned()), |(per, name)| {
                    (value / per, (*name).to_owned())
                })
        }
        Unit::Percent => (value, "points".to_owned()),
        Unit::Money(code) => (value, code.clone()),
        Unit::Rate(_) | Unit::Count(_) => (value, unit.counted_name(value)),
    };
    let rounded = format!("{value:.2}");
    let number = rounded.trim_end_matches('0').trim_end_matches('.');
    format!("{number} {name}").trim_end().to_owned()
}

/// The plural of a noun held singular (the reverse of [`singular`]); one already plural, as
/// a spoken answer's nouns may be, stays as it is.
fn plural(noun: &str) -> String {
    if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if noun.ends_with("ss")
        || noun.ends_with(['x', 'z'])
        || noun.ends_with("ch")
        || noun.ends_with("sh")
    {
        format!("{noun}es")
    } else if noun.ends_with('s') {
        noun.to_owned()
    } else {
        format!("{noun}s")
    }
}

/// Seconds per duration unit word (`ms`, `min`, `hours`, ...).
fn seconds_per(word: &str) -> Option<f64> {
    Some(match word {
        "ns" | "nanosecond" | "nanoseconds" => 1e-9,
        "µs" | "us" | "microsecond" | "microseconds" => 1e-6,
        "ms" | "millisecond" | "milliseconds" | "msec" | "msecs" => 1e-3,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "wk" | "wks" | "week" | "weeks" => 604_800.0,
        "mo" | "month" | "months" => 365.25 / 12.0 * 86_400.0,
        "y" | "yr" | "yrs" | "year" | "years" => 365.25 * 86_400.0,
        _ => return None,
    })
}

/// "1h 30m", "1 hour and 30 minutes": `value` is the first part's number; the total in
/// seconds, when there is more than one part and nothing else.
fn compound_duration(value: f64, text: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut number = value;
    let mut rest = text;
    let mut parts = 0;
    loop {
        let trimmed = rest.trim_start();
        let word: String = trimmed.chars().take_while(|c| c.is_alphabetic()).collect();
        let factor = seconds_per(&word.to_lowercase())?;
        total += number * factor;
        parts += 1;
        rest = trimmed[word.len()..].trim_start_matches([',', ' ']);
        let rest_after_and = rest.strip_prefix("and ").unwrap_or(rest);
        match parse_number(rest_after_and) {
            Some((next, after)) => {
                number = next;
                rest = after;
            }
            None => break,
        }
    }
    (parts > 1 && rest.trim().is_empty()).then_some(total)
}

/// The unit after the number: its factor to the unit's base (seconds, bytes, per second) and
/// the unit. `currency`: a symbol or code came before the number.
fn parse_unit(text: &str, currency: Option<&str>) -> Option<(f64, Unit)> {
    // "a 15-minute window" writes its unit after a hyphen.
    let text = text
        .trim()
        .trim_start_matches('-')
        .trim_end_matches(['.', ',', ';', ':', ')'])
        .to_lowercase();
    let (what, per) = split_rate(&text);
    let (factor, what) = measure(what, currency)?;
    let Some(per) = per else {
        return Some((factor, what.into_unit()));
    };
    let (divisor, per) = denominator(per);
    if divisor == 0.0 {
        return None;
    }
    Some((
        factor / divisor,
        Unit::Rate(format!("{}/{per}", what.rate_name())),
    ))
}

/// `records/s` -> (`records`, `s`); `10 XMLs a minute` -> (`xmls`, `minute`); `rps`.
fn split_rate(text: &str) -> (&str, Option<&str>) {
    match text {
        "rps" | "qps" => return ("request", Some("s")),
        "tps" => return ("transaction", Some("s")),
        "bps" => return ("bit", Some("s")),
        "kbps" => return ("kbit", Some("s")),
        "mbps" => return ("mbit", Some("s")),
        "gbps" => return ("gbit", Some("s")),
        _ => {}
    }
    if let Some((what, per)) = text.split_once('/') {
        return (what.trim(), Some(per.trim()));
    }
    for word in [" per ", " each ", " every "] {
        if let Some((what, per)) = text.split_once(word) {
            return (what.trim(), Some(per.trim()));
        }
    }
    if let Some(per) = text.strip_prefix("per ") {
        return ("", Some(per.trim()));
    }
    // "a minute", "an hour": only before a unit of time ("a day", not "a team").
    for word in [" a ", " an ", "a ", "an "] {
        if let Some(at) = text.find(word)
            && (word.starts_with(' ') || at == 0)
        {
            let per = text[at + word.len()..].trim();
            if seconds_per(per).is_some() {
                return (text[..at].trim(), Some(per));
            }
        }
    }
    (text, None)
}

/// What a quantity measures, before any "per".
enum Measure {
    Seconds,
    Bytes,
    Percent,
    Money(String),
    Count(String),
}

impl Measure {
    fn into_unit(self) -> Unit {
        match self {
            Measure::Seconds => Unit::Seconds,
            Measure::Bytes => Unit::Bytes,
            Measure::Percent => Unit::Percent,
            Measure::Money(code) => Unit::Money(code),
            Measure::Count(noun) => Unit::Count(noun),
        }
    }

    fn rate_name(&self) -> String {
        match self {
            Measure::Seconds => "s".to_owned(),
            Measure::Bytes => "byte".to_owned(),
            Measure::Percent => "%".to_owned(),
            Measure::Money(code) => code.to_lowercase(),
            Measure::Count(noun) => noun.clone(),
        }
    }
}

/// The measure a unit word names and its factor to the base: `ms` is 0.001 s, `GB` 1e9 bytes.
fn measure(text: &str, currency: Option<&str>) -> Option<(f64, Measure)> {
    if let Some(code) = currency {
        return Some((1.0, Measure::Money(code.to_owned())));
    }
    if let Some(&(_, code)) = CURRENCY_WORDS.iter().find(|(word, _)| text == *word) {
        return Some((1.0, Measure::Money(code.to_owned())));
    }
    if text.starts_with('%') || text == "percent" || text.starts_with("percent ") || text == "pct" {
        return Some((1.0, Measure::Percent));
    }
    if let Some(seconds) = seconds_per(text) {
        return Some((seconds, Measure::Seconds));
    }
    if let Some(bytes) = bytes_per(text) {
        return Some((bytes, Measure::Bytes));
    }
    Some((1.0, Measure::Count(singular(text))))
}

fn bytes_per(word: &str) -> Option<f64> {
    Some(match word {
        "b" | "byte" | "bytes" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "pb" => 1e15,
        "kib" => 1024.0,
        "mib" => 1024f64.powi(2),
        "gib" => 1024f64.powi(3),
        "tib" => 1024f64.powi(4),
        "bit" | "bits" => 1.0 / 8.0,
        "kbit" | "kbits" => 1e3 / 8.0,
        "mbit" | "mbits" => 1e6 / 8.0,
        "gbit" | "gbits" => 1e9 / 8.0,
        _ => return None,
    })
}

/// The "per" side of a rate: a divisor ("per 1,000 requests", "per 1M requests") and the
/// unit, a unit of time becoming `s`.
fn denominator(text: &str) -> (f64, String) {
    let (count, rest) = match parse_number(text) {
        Some((number, rest)) => {
            let (scale, rest) = take_scale(rest, false);
            (number * scale, rest.trim())
        }
        // "per million requests"
        None => match take_scale(&format!(" {text}"), false) {
            (scale, _) if scale > 1.0 => {
                let word = text.split_whitespace().next().unwrap_or("");
                (scale, text[word.len()..].trim())
            }
            _ => (1.0, text),
        },
    };
    match seconds_per(rest) {
        Some(seconds) => (count * seconds, "s".to_owned()),
        None => (count, singular(rest)),
    }
}

/// A noun phrase, singular and lower-case, so "incidents" and "incident" are one unit.
fn singular(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
                format!("{stem}y")
            } else if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
                word[..word.len() - 1].to_owned()
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first number in `text` (commas between thousands, a decimal point, an exponent; a minus
/// sign that starts a word) and what follows it.
pub(crate) fn leading_number(text: &str) -> Option<(f64, &str)> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let (number, rest) = parse_number(&text[start..])?;
    let negative = text[..start].ends_with('-')
        && text[..start - 1]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
    Some((if negative { -number } else { number }, rest))
}
