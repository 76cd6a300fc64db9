//! Transform: validate one parsed line and derive the stored columns.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::types::Value;

use crate::feed::{Feed, Kind};

/// The keys present in a loaded table, as a bit set (keys are positive integers).
#[derive(Debug, Default, Clone)]
pub struct KeySet {
    bits: Vec<u64>,
    len: u64,
}

impl KeySet {
    pub fn insert(&mut self, key: i64) {
        let Ok(key) = usize::try_from(key) else {
            return;
        };
        let word = key / 64;
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        let mask = 1 << (key % 64);
        if self.bits[word] & mask == 0 {
            self.len += 1;
        }
        self.bits[word] |= mask;
    }

    pub fn contains(&self, key: i64) -> bool {
        usize::try_from(key).is_ok_and(|key| {
            self.bits
                .get(key / 64)
                .is_some_and(|w| w & (1 << (key % 64)) != 0)
        })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl FromIterator<i64> for KeySet {
    fn from_iter<I: IntoIterator<Item = i64>>(iter: I) -> Self {
        let mut set = KeySet::default();
        for key in iter {
            set.insert(key);
        }
        set
    }
}

/// Keys of the tables a job references, read once its dependencies have loaded.
pub type References = HashMap<Feed, Arc<KeySet>>;

/// Validates the fields of one line of `feed` and appends the table's values to `out`.
/// On a reject `out` is left as it was and the reason is returned.
pub fn transform(
    feed: Feed,
    fields: &[Cow<'_, str>],
    refs: &References,
    out: &mut Vec<Value>,
) -> Result<(), String> {
    let columns = feed.columns();
    if fields.len() != columns.len() {
        return Err(format!(
            "expected {} fields, found {}",
            columns.len(),
            fields.len()
        ));
    }
    let start = out.len();
    let result = push_values(feed, fields, refs, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn push_values(
    feed: Feed,
    fields: &[Cow<'_, str>],
    refs: &References,
    out: &mut Vec<Value>,
) -> Result<(), String> {
    for (i, (column, field)) in feed.columns().iter().zip(fields).enumerate() {
        let field = field.trim();
        if field.is_empty() {
            return Err(if i == 0 {
                "missing key".to_owned()
            } else {
                format!("missing value for {}", column.name)
            });
        }
        match column.kind {
            Kind::Int => {
                let n: i64 = field
                    .parse()
                    .map_err(|_| format!("bad number in {}: {field:?}", column.name))?;
                if i == 0 && n <= 0 {
                    return Err(format!("bad key {n}: keys are positive"));
                }
                if let Some(target) = column.refs
                    && !refs.get(&target).is_some_and(|keys| keys.contains(n))
                {
                    return Err(format!("{} {n} not found in {target}", column.name));
                }
                out.push(Value::Integer(n));
            }
            Kind::Text => {
                let text = match (feed, column.name) {
                    (Feed::Customers, "email") => field.to_lowercase(),
                    _ => field.to_owned(),
                };
                out.push(Value::Text(text));
            }
        }
    }
    if feed == Feed::OrderLines {
        let base = out.len() - feed.columns().len();
        let (Value::Integer(qty), Value::Integer(price)) = (&out[base + 3], &out[base + 4]) else {
            unreachable!("order lines have integer qty and unit price")
        };
        let amount = qty
            .checked_mul(*price)
            .ok_or_else(|| format!("amount overflows: {qty} x {price}"))?;
        out.push(Value::Integer(amount));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(feed: Feed, line: &str, refs: &References) -> Result<Vec<Value>, String> {
        let mut fields = Vec::new();
        crate::csvline::split(line, &mut fields)?;
        let mut out = vec![Value::Null];
        transform(feed, &fields, refs, &mut out).map(|()| out.split_off(1))
    }

    fn refs() -> References {
        let mut refs = References::new();
        refs.insert(Feed::Orders, Arc::new([1, 2, 3].into_iter().collect()));
        refs.insert(Feed::Products, Arc::new([10].into_iter().collect()));
        refs
    }

    #[test]
    fn order_lines_derive_the_amount() {
        let values = run(Feed::OrderLines, "5,2,10,3,250", &refs()).unwrap();
        assert_eq!(values.len(), 6);
        assert_eq!(values[5], Value::Integer(750));
    }

    #[test]
    fn emails_are_normalised() {
        let values = run(Feed::Customers, "1,A,C1.V0@EXAMPLE.COM,2,3", &refs()).unwrap();
        assert_eq!(values[2], Value::Text("c1.v0@example.com".into()));
    }

    #[test]
    fn every_reject_says_why() {
        let cases = [
            ("5,2,10,x3,250", "bad number in qty: \"x3\""),
            (",2,10,3,250", "missing key"),
            ("5,9,10,3,250", "order_id 9 not found in orders"),
            ("5,2,11,3,250", "product_id 11 not found in products"),
            ("5,2,10,3", "expected 5 fields, found 4"),
            ("-5,2,10,3,250", "bad key -5"),
            ("5,2,10,3,9223372036854775807", "amount overflows"),
        ];
        for (line, reason) in cases {
            let error = run(Feed::OrderLines, line, &refs()).unwrap_err();
            assert!(error.contains(reason), "{line}: {error}");
        }
    }

    #[test]
    fn a_reject_leaves_the_batch_untouched() {
        let mut out = vec![Value::Integer(1)];
        let fields: Vec<Cow<'_, str>> = ["5", "2", "10", "3", "x"].map(Cow::Borrowed).to_vec();
        assert!(transform(Feed::OrderLines, &fields, &refs(), &mut out).is_err());
        assert_eq!(out, [Value::Integer(1)]);
    }

    #[test]
    fn key_sets_hold_exactly_what_was_inserted() {
        let set: KeySet = [1, 64, 65, 1000].into_iter().collect();
        assert_eq!(set.len(), 4);
        assert!(set.contains(64) && set.contains(1000));
        assert!(!set.contains(63) && !set.contains(1001) && !set.contains(-1));
    }
}
