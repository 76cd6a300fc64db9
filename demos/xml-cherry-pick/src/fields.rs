//! The 20 fields a record needs, their types, and the typed record every strategy produces.
//!
//! A field is named by its element path below the document's root element (whatever the root is
//! called: `ORDERS05`, `INVOIC02`, ...). Names match by local name, so `ns0:BELNR` is `BELNR`.
//! An element's value is its own text (CDATA included, children's text not), entities decoded,
//! whitespace stripped, and no value when that leaves nothing: what `xmltodict` puts under the
//! element's key (or its `#text`).

use std::borrow::Cow;
use std::fmt;

use compact_str::CompactString;

/// How the matches of a path become one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The first match in document order.
    First,
    /// How many elements match (repeated segments).
    Count,
    /// The sum of every match's decimal value.
    Sum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Text,
    Int,
    Decimal,
    /// SAP `YYYYMMDD`.
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Column name in the database and in reports.
    pub name: &'static str,
    /// Element path below the root element.
    pub path: &'static [&'static str],
    pub ty: Ty,
    pub pick: Pick,
}

const fn field(name: &'static str, path: &'static [&'static str], ty: Ty, pick: Pick) -> FieldSpec {
    FieldSpec {
        name,
        path,
        ty,
        pick,
    }
}

/// The fields the ETL job needs; everything else in a record is ignored. `BELNR`, `DATUM`,
/// `NAME1` and `CURCY` also occur in other segments, so only the path tells them apart.
pub const FIELDS: [FieldSpec; 20] = [
    field(
        "docnum",
        &["IDOC", "EDI_DC40", "DOCNUM"],
        Ty::Int,
        Pick::First,
    ),
    field(
        "idoc_type",
        &["IDOC", "EDI_DC40", "IDOCTYP"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "message_type",
        &["IDOC", "EDI_DC40", "MESTYP"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "sender",
        &["IDOC", "EDI_DC40", "SNDPRN"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "receiver",
        &["IDOC", "EDI_DC40", "RCVPRN"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "created",
        &["IDOC", "EDI_DC40", "CREDAT"],
        Ty::Date,
        Pick::First,
    ),
    field(
        "currency",
        &["IDOC", "E1EDK01", "CURCY"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "exchange_rate",
        &["IDOC", "E1EDK01", "WKURS"],
        Ty::Decimal,
        Pick::First,
    ),
    field(
        "payment_terms",
        &["IDOC", "E1EDK01", "ZTERM"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "document_no",
        &["IDOC", "E1EDK01", "BELNR"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "partner_id",
        &["IDOC", "E1EDKA1", "PARTN"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "partner_name",
        &["IDOC", "E1EDKA1", "NAME1"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "reference_no",
        &["IDOC", "E1EDK02", "BELNR"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "reference_date",
        &["IDOC", "E1EDK02", "DATUM"],
        Ty::Date,
        Pick::First,
    ),
    field("items", &["IDOC", "E1EDP01"], Ty::Int, Pick::Count),
    field(
        "total_quantity",
        &["IDOC", "E1EDP01", "MENGE"],
        Ty::Decimal,
        Pick::Sum,
    ),
    field(
        "net_value",
        &["IDOC", "E1EDP01", "NETWR"],
        Ty::Decimal,
        Pick::Sum,
    ),
    field(
        "first_unit",
        &["IDOC", "E1EDP01", "MENEE"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "first_material",
        &["IDOC", "E1EDP01", "E1EDP19", "IDTNR"],
        Ty::Text,
        Pick::First,
    ),
    field(
        "total_amount",
        &["IDOC", "E1EDS01", "SUMME"],
        Ty::Decimal,
        Pick::First,
    ),
];

/// Index of the `DOCNUM` field, the record's key in the database.
pub const DOCNUM: usize = 0;

/// A fixed-point decimal with six fraction digits: exact sums, exact comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Decimal(i128);

const DECIMAL_SCALE: i128 = 1_000_000;
const DECIMAL_DIGITS: usize = 6;

impl Decimal {
    /// Parses `12.500`, `-3`, `.5` and SAP's trailing sign `12.50-`.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, digits) = if let Some(rest) = text.strip_suffix('-') {
            (true, rest)
        } else if let Some(rest) = text.strip_prefix('-') {
            (true, rest)
        } else {
            (false, text.strip_prefix('+').unwrap_or(text))
        };
        // One pass: digits accumulated, the point's place remembered.
        let mut units: i128 = 0;
        let mut int_digits = 0;
        let mut frac_digits = None;
        for &b in digits.as_bytes() {
            match (b, &mut frac_digits) {
                (b'0'..=b'9', None) => int_digits += 1,
                (b'0'..=b'9', Some(n)) => *n += 1,
                (b'.', None) => {
                    frac_digits = Some(0);
                    continue;
                }
                _ => return None,
            }
            units = units * 10 + i128::from(b - b'0');
        }
        let frac_digits = frac_digits.unwrap_or(0);
        if int_digits + frac_digits == 0 || frac_digits > DECIMAL_DIGITS || int_digits > 24 {
            return None;
        }
        let value = units * 10_i128.pow((DECIMAL_DIGITS - frac_digits) as u32);
        Some(Decimal(if negative { -value } else { value }))
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        self.0.checked_add(other.0).map(Decimal)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int = abs / DECIMAL_SCALE as u128;
        let frac = abs % DECIMAL_SCALE as u128;
        if frac == 0 {
            return write!(f, "{sign}{int}");
        }
        let frac = format!("{frac:06}");
        write!(f, "{sign}{int}.{}", frac.trim_end_matches('0'))
    }
}

/// A calendar date from SAP's `YYYYMMDD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse_sap(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0_u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        let (year, month, day) = (num(0..4), num(4..6), num(6..8));
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if day == 0 || day > days {
            return None;
        }
        Some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One typed field value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Null,
    /// Inline up to 24 bytes (codes, names, numbers as text): no allocation per field.
    Text(CompactString),
    Int(i64),
    Decimal(Decimal),
    Date(Date),
    /// Text that does not have the field's type, kept as it was (and counted in the report).
    Invalid(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Invalid(s) => write!(f, "invalid {s:?}"),
        }
    }
}

/// The filtered record: one value per entry of [`FIELDS`], in that order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picked(pub Vec<Value>);

impl Picked {
    /// Names of the fields whose text did not have the field's type.
    pub fn invalid_fields(&self) -> Vec<&'static str> {
        FIELDS
            .iter()
            .zip(&self.0)
            .filter(|(_, v)| matches!(v, Value::Invalid(_)))
            .map(|(spec, _)| spec.name)
            .collect()
    }

    /// Names of the fields whose values differ, with both values, for divergence reports.
    pub fn differences(&self, other: &Picked) -> Vec<String> {
        FIELDS
            .iter()
            .zip(self.0.iter().zip(&other.0))
            .filter(|(_, (a, b))| a != b)
            .map(|(spec, (a, b))| format!("{}: {a} vs {b}", spec.name))
            .collect()
    }
}

/// Turns one element's raw text into a typed value; text that does not parse as the field's
/// type is kept as [`Value::Invalid`].
#[inline(always)]
pub fn typed(spec: &FieldSpec, text: Option<&str>) -> Value {
    let Some(text) = text else {
        return Value::Null;
    };
    let invalid = || Value::Invalid(text.to_owned());
    match spec.ty {
        Ty::Text => Value::Text(text.into()),
        Ty::Int => text.parse().map_or_else(|_| invalid(), Value::Int),
        Ty::Decimal => Decimal::parse(text).map_or_else(invalid, Value::Decimal),
        Ty::Date => Date::parse_sap(text).map_or_else(invalid, Value::Date),
    }
}

/// Strips whitespace the way `xmltodict` does (`str.strip()`); empty means no value.
#[inline]
pub fn clean(text: &str) -> Option<&str> {
    // Most values start and end with a visible ASCII character: nothing to strip, and no
    // call into the Unicode-aware `trim`.
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last))
            if first > b' ' && first < 0x80 && last > b' ' && last < 0x80 =>
        {
            Some(text)
        }
        _ => {
            let t = text.trim();
            (!t.is_empty()).then_some(t)
        }
    }
}

/// How many of [`FIELDS`] are sums, and each field's place among them.
const SUMS: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        if matches!(FIELDS[i].pick, Pick::Sum) {
            n += 1;
        }
        i += 1;
    }
    n
};
const SUM_INDEX: [usize; FIELDS.len()] = {
    let mut index = [usize::MAX; FIELDS.len()];
    let mut n = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        if matches!(FIELDS[i].pick, Pick::Sum) {
            index[i] = n;
            n += 1;
        }
        i += 1;
    }
    index
};

/// Receives the matches of each field in document order and builds the [`Picked`] record.
/// Every strategy feeds one, so aggregation and typing are the same for all of them. Kept small
/// and flat (it is built and read out once per record, and at 20 fields of 64 bytes its setup
/// and read-out showed in every strategy's profile).
#[derive(Debug)]
pub struct Collector<'a> {
    /// Matches per field.
    seen: [u32; FIELDS.len()],
    /// `First`: the first match's text. `Sum`: the first text that was not a decimal (or
    /// overflowed the sum), after which the sum stays invalid.
    texts: [Option<Cow<'a, str>>; FIELDS.len()],
    /// `Sum`: the total of the decimals so far, if any, by [`SUM_INDEX`].
    sums: [Option<Decimal>; SUMS],
}

impl Default for Collector<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Collector<'a> {
    pub fn new() -> Self {
        Self {
            seen: [0; FIELDS.len()],
            texts: [const { None }; FIELDS.len()],
            sums: [None; SUMS],
        }
    }

    /// True when a later match of `field` cannot change the result (a `First` already found).
    #[inline]
    pub fn is_done(&self, field: usize) -> bool {
        FIELDS[field].pick == Pick::First && self.seen[field] > 0
    }

    /// One match of `field`, its value already cleaned by [`clean`].
    #[inline]
    pub fn hit(&mut self, field: usize, text: Option<Cow<'a, str>>) {
        self.seen[field] += 1;
        match FIELDS[field].pick {
            Pick::First => {
                if self.seen[field] == 1 {
                    self.texts[field] = text;
                }
            }
            Pick::Count => {}
            Pick::Sum => self.add(field, text),
        }
    }

    /// A match of a `Sum` field: parsed and added, kept aside if it is not a decimal.
    #[inline(never)]
    fn add(&mut self, field: usize, text: Option<Cow<'a, str>>) {
        let Some(text) = text else { return };
        if self.texts[field].is_some() {
            return;
        }
        let sum = &mut self.sums[SUM_INDEX[field]];
        match Decimal::parse(&text).and_then(|d| sum.unwrap_or(Decimal(0)).checked_add(d)) {
            Some(total) => *sum = Some(total),
            None => self.texts[field] = Some(text),
        }
    }

    pub fn finish(mut self) -> Picked {
        // Each value written in place: built in a temporary first, it was read back in wider
        // loads than it was stored with, and those stalled (85% of this function's time).
        let mut values = vec![Value::Null; FIELDS.len()];
        for (field, (spec, value)) in FIELDS.iter().zip(&mut values).enumerate() {
            match spec.pick {
                Pick::First => match self.texts[field].as_deref() {
                    Some(text) if spec.ty == Ty::Text => {
                        // The same for a string: copied into its place, not built apart.
                        *value = Value::Text(CompactString::default());
                        if let Value::Text(string) = value {
                            string.push_str(text);
                        }
                    }
                    Some(text) => *value = typed(spec, Some(text)),
                    None => {}
                },
                Pick::Count => *value = Value::Int(i64::from(self.seen[field])),
                Pick::Sum => match self.texts[field].take() {
                    Some(bad) => *value = Value::Invalid(bad.into_owned()),
                    None => {
                        if let Some(sum) = self.sums[SUM_INDEX[field]] {
                            *value = Value::Decimal(sum);
                        }
                    }
                },
            }
        }
        Picked(values)
    }
}

/// The element-path tree of [`FIELDS`], for strategies that walk the document.
#[derive(Debug, Clone)]
pub struct PathTrie {
    nodes: Vec<TrieNode>,
    /// Per node, what a walk asks at every element, packed into a few bytes for all nodes
    /// together: asked through the nodes themselves (80 bytes each, their lists elsewhere), it
    /// stalled on loads that had left the cache while the record streamed through.
    flags: Vec<NodeFlags>,
    /// Per node, how to hash a child's [`short_name`] into its block of [`Self::table`].
    hashes: Vec<ChildHash>,
    /// Blocks of [`HASH_SLOTS`] `(short name, child)` entries, one per node with children and a
    /// shared empty one first; an empty entry holds [`NO_NAME`].
    table: Vec<(u64, usize)>,
}

/// Entries per node in [`PathTrie`]'s child table: room for a node's children (eight at most
/// here) with a multiplier that gives each its own entry.
const HASH_SLOTS: usize = 16;
/// Eight 0xFF bytes: never in UTF-8 text, so no name packs to it.
const NO_NAME: u64 = u64::MAX;

#[derive(Debug, Clone, Copy, Default)]
struct NodeFlags {
    leaf: bool,
    needs_text: bool,
    picked: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct ChildHash {
    multiplier: u64,
    block: usize,
}

impl ChildHash {
    #[inline(always)]
    fn slot(self, word: u64) -> usize {
        self.block + (word.wrapping_mul(self.multiplier) >> 60) as usize
    }
}

#[derive(Debug, Clone, Default)]
pub struct TrieNode {
    pub children: Vec<(&'static str, usize)>,
    /// The children whose names fit in eight bytes, by [`short_name`], for scanners that
    /// compare a name in one instruction.
    pub short_children: Vec<(u64, usize)>,
    /// Fields whose path ends here.
    pub fields: Vec<usize>,
    /// Whether one of those fields needs the element's text (not just a count of it); asked
    /// for every piece of text, so worked out once.
    pub needs_text: bool,
}

impl Default for PathTrie {
    fn default() -> Self {
        Self::new()
    }
}

impl PathTrie {
    /// Node 0 is the root element, whatever its name.
    pub const ROOT: usize = 0;

    pub fn new() -> Self {
        let mut nodes = vec![TrieNode::default()];
        for (index, spec) in FIELDS.iter().enumerate() {
            let mut at = Self::ROOT;
            for step in spec.path {
                at = match nodes[at].children.iter().find(|(name, _)| name == step) {
                    Some(&(_, child)) => child,
                    None => {
                        nodes.push(TrieNode::default());
                        let child = nodes.len() - 1;
                        nodes[at].children.push((step, child));
                        if let Some(word) = short_name(step.as_bytes()) {
                            nodes[at].short_children.push((word, child));
                        }
                        child
                    }
                };
            }
            nodes[at].fields.push(index);
            nodes[at].needs_text |= spec.pick != Pick::Count;
        }
        let mut table = vec![(NO_NAME, 0); HASH_SLOTS];
        let hashes = nodes
            .iter()
            .map(|node| Self::hash_children(&node.short_children, &mut table))
            .collect();
        let flags = nodes
            .iter()
            .map(|node| NodeFlags {
                leaf: node.children.is_empty(),
                needs_text: node.needs_text,
                picked: !node.fields.is_empty(),
            })
            .collect();
        Self {
            nodes,
            flags,
            hashes,
            table,
        }
    }

    /// Finds a multiplier that sends each of `children` to its own entry and fills their block.
    fn hash_children(children: &[(u64, usize)], table: &mut Vec<(u64, usize)>) -> ChildHash {
        if children.is_empty() {
            return ChildHash::default();
        }
        let block = table.len();
        let mut multiplier = 0x9E37_79B9_7F4A_7C15_u64;
        loop {
            let hash = ChildHash { multiplier, block };
            let mut entries = vec![(NO_NAME, 0); HASH_SLOTS];
            let placed = children.iter().all(|&(word, child)| {
                let entry = &mut entries[hash.slot(word) - block];
                let free = entry.0 == NO_NAME;
                *entry = (word, child);
                free
            });
            if placed {
                table.extend(entries);
                return hash;
            }
            multiplier = multiplier.wrapping_add(0x6A09_E667_F3BC_C90A) | 1;
        }
    }

    /// The node for a child element named `local` (the name without its prefix).
    #[inline]
    pub fn child(&self, node: usize, local: &[u8]) -> Option<usize> {
        if let Some(word) = short_name(local) {
            return self.child_by_short_name(node, word);
        }
        self.nodes[node]
            .children
            .iter()
            .find(|(name, _)| name.as_bytes() == local)
            .map(|&(_, child)| child)
    }

    /// [`Self::child`] for the element named `name`, given also as the word [`word_at`] read
    /// for it when it fits one: the local name is then found in the word (no loop over the
    /// name's bytes for a colon, whose exit mispredicted as name lengths vary).
    #[inline]
    pub fn child_of_named(&self, node: usize, name: &[u8], word: Option<u64>) -> Option<usize> {
        let Some(word) = word else {
            return self.child(node, local_name(name));
        };
        let colons = crate::swar::eq(word, b':') & crate::swar::first_bytes(name.len());
        if colons == 0 {
            return self.child_by_short_name(node, word);
        }
        // Names with a prefix are rare: found the plain way.
        self.child(node, local_name(name))
    }

    /// [`Self::child`] for a local name given as its [`short_name`].
    #[inline]
    pub fn child_by_short_name(&self, node: usize, word: u64) -> Option<usize> {
        // One hashed entry compared, not every child: a loop over the children mispredicted
        // which one matched, and was the scanner's largest cost after the UTF-8 check.
        let (w, child) = self.table[self.hashes[node].slot(word)];
        (w == word).then_some(child)
    }

    #[inline]
    pub fn fields(&self, node: usize) -> &[usize] {
        &self.nodes[node].fields
    }

    /// True when a field at `node` needs the element's text (not just a count of it).
    #[inline]
    pub fn needs_text(&self, node: usize) -> bool {
        self.flags[node].needs_text
    }

    /// True when a field's path ends at `node` (its element is picked).
    #[inline]
    pub fn is_picked(&self, node: usize) -> bool {
        self.flags[node].picked
    }

    /// True when no wanted path goes below `node`.
    #[inline]
    pub fn is_leaf(&self, node: usize) -> bool {
        self.flags[node].leaf
    }
}

/// A name of one to eight bytes as one little-endian word, zero-padded (names hold no NUL, so
/// the padding also tells the length): names compared in one instruction.
pub fn short_name(name: &[u8]) -> Option<u64> {
    if name.is_empty() || name.len() > 8 {
        return None;
    }
    // Built in a register: a copy into a zeroed array went through `memcpy`, and reading the
    // array back as one word stalled on its byte stores (7% of the streaming picker's time).
    Some(
        name.iter()
            .rev()
            .fold(0_u64, |word, &b| (word << 8) | u64::from(b)),
    )
}

/// The [`short_name`] of the `len` bytes at `at` in `doc`, read as one word in place (building
/// it byte by byte cost more than the lookup it feeds); `None` when the name does not fit a
/// word or there are fewer than eight bytes from `at`.
#[inline(always)]
pub fn word_at(doc: &[u8], at: usize, len: usize) -> Option<u64> {
    if len == 0 || len > 8 {
        return None;
    }
    let bytes: [u8; 8] = doc.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes) & (u64::MAX >> (64 - 8 * len)))
}

/// The name after the namespace prefix, if any.
#[inline]
pub fn local_name(qname: &[u8]) -> &[u8] {
    // Names are a few bytes: a plain loop beats a call into SIMD search.
    match qname.iter().position(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_sap_signs_and_print_canonically() {
        assert_eq!(Decimal::parse("12.500").unwrap().to_string(), "12.5");
        assert_eq!(Decimal::parse("12.50-").unwrap().to_string(), "-12.5");
        assert_eq!(
            Decimal::parse("-0.000001").unwrap().to_string(),
            "-0.000001"
        );
        assert_eq!(Decimal::parse("7").unwrap().to_string(), "7");
        assert_eq!(Decimal::parse(".5").unwrap().to_string(), "0.5");
        assert_eq!(Decimal::parse("5.").unwrap().to_string(), "5");
        assert_eq!(Decimal::parse("+1.50").unwrap().to_string(), "1.5");
        assert_eq!(Decimal::parse("-.5").unwrap().to_string(), "-0.5");
        assert_eq!(
            Decimal::parse("123456789012345678901234.123456")
                .unwrap()
                .to_string(),
            "123456789012345678901234.123456"
        );
        assert_eq!(Decimal::parse("1234567890123456789012345"), None);
        for bad in [
            "",
            ".",
            "1.2.3",
            "abc",
            "1.0000001",
            "--1",
            "1e5",
            "-",
            "+-1",
            "1 ",
            "١",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            Date::parse_sap("20240229").unwrap().to_string(),
            "2024-02-29"
        );
        for bad in ["20230229", "20231301", "20230100", "2023011", "2023-1-1"] {
            assert_eq!(Date::parse_sap(bad), None, "{bad}");
        }
    }

    #[test]
    fn collector_keeps_the_first_counts_and_sums() {
        let mut c = Collector::new();
        let items = 14;
        let qty = 15;
        c.hit(items, None);
        c.hit(items, None);
        c.hit(qty, Some("1.5".into()));
        c.hit(qty, None);
        c.hit(qty, Some("2.25".into()));
        c.hit(1, Some("ORDERS05".into()));
        c.hit(1, Some("later".into()));
        assert!(c.is_done(1));
        let picked = c.finish();
        assert_eq!(picked.0[items], Value::Int(2));
        assert_eq!(
            picked.0[qty],
            Value::Decimal(Decimal::parse("3.75").unwrap())
        );
        assert_eq!(picked.0[1], Value::Text("ORDERS05".into()));
        assert_eq!(picked.0[DOCNUM], Value::Null);
    }

    #[test]
    fn values_that_do_not_type_are_kept_as_invalid() {
        let mut c = Collector::new();
        c.hit(DOCNUM, Some("12x".into()));
        c.hit(15, Some("1".into()));
        c.hit(15, Some("two".into()));
        c.hit(15, Some("3".into()));
        let picked = c.finish();
        assert_eq!(picked.0[DOCNUM], Value::Invalid("12x".into()));
        assert_eq!(picked.0[15], Value::Invalid("two".into()));
        assert_eq!(picked.invalid_fields(), vec!["docnum", "total_quantity"]);
    }

    #[test]
    fn a_name_read_in_place_equals_the_same_name_packed_alone() {
        let doc = b"<E1EDK01 SEGMENT=\"1\"><BELNR>4500</BELNR><ns0:IDTNR>x</ns0:IDTNR></E1EDK01>";
        for at in 0..doc.len() {
            for len in 0..=9 {
                let Some(name) = doc.get(at..at + len) else {
                    continue;
                };
                match word_at(doc, at, len) {
                    Some(word) => assert_eq!(Some(word), short_name(name), "{at} {len}"),
                    // Only names that do not fit a word, or that sit in the last 7 bytes.
                    None => assert!(len == 0 || len > 8 || at + 8 > doc.len()),
                }
            }
        }
        // Names of other lengths never compare equal, whatever follows them.
        assert_ne!(short_name(b"BELNR"), short_name(b"BELNR2"));
        assert_ne!(word_at(b"BELNR>xyz", 0, 5), word_at(b"BELNRX>xy", 0, 6));
    }

    #[test]
    fn clean_strips_like_trim_with_or_without_its_fast_path() {
        for text in [
            "4500",
            " 4500",
            "4500\t",
            "\r\n",
            "",
            "Größe",
            "Größe ",
            "\u{a0}x\u{a0}",
            "a b",
            "\u{1}x",
            "x\u{7f}",
        ] {
            let trimmed = text.trim();
            assert_eq!(
                clean(text),
                (!trimmed.is_empty()).then_some(trimmed),
                "{text:?}"
            );
        }
    }

    #[test]
    fn trie_matches_local_names_below_any_root() {
        let trie = PathTrie::new();
        let idoc = trie.child(PathTrie::ROOT, b"IDOC").unwrap();
        let dc = trie.child(idoc, local_name(b"ns0:EDI_DC40")).unwrap();
        let docnum = trie.child(dc, b"DOCNUM").unwrap();
        assert_eq!(trie.fields(docnum), &[DOCNUM]);
        assert!(trie.child(idoc, b"E1EDK14").is_none());
        // Every child of every node is found by its name, and only by it.
        for (node, entry) in trie.nodes.iter().enumerate() {
            for &(name, child) in &entry.children {
                assert_eq!(trie.child(node, name.as_bytes()), Some(child), "{name}");
                assert_eq!(trie.child(node, format!("{name}X").as_bytes()), None);
            }
            assert_eq!(
                trie.child_by_short_name(node, short_name(b"ZZZ").unwrap()),
                None
            );
            assert_eq!(trie.child(node, b"\0"), None);
        }
        let items = trie.child(idoc, b"E1EDP01").unwrap();
        assert_eq!(trie.fields(items), &[14]);
        assert!(!trie.is_leaf(items));
    }
}
