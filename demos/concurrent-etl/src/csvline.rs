//! Splits one CSV line into fields. A record is one line: a quote left open is broken
//! quoting, reported for that line, never a reason to swallow the rest of the file.

use std::borrow::Cow;

/// Splits `line` (without its newline) into `out`. Quoted fields may hold commas and doubled
/// quotes. On error `out` holds the fields read so far and the message says what is wrong.
pub fn split<'a>(line: &'a str, out: &mut Vec<Cow<'a, str>>) -> Result<(), String> {
    out.clear();
    let bytes = line.as_bytes();
    let mut at = 0;
    loop {
        if bytes.get(at) == Some(&b'"') {
            let (field, next) = quoted(line, at + 1)?;
            out.push(field);
            match bytes.get(next) {
                None => return Ok(()),
                Some(b',') => at = next + 1,
                Some(_) => {
                    return Err(format!(
                        "broken quoting: text after the closing quote of field {}",
                        out.len()
                    ));
                }
            }
        } else {
            let end = memchr_comma(&bytes[at..]).map_or(bytes.len(), |i| at + i);
            let field = &line[at..end];
            if field.contains('"') {
                return Err(format!(
                    "broken quoting: stray quote in field {}",
                    out.len() + 1
                ));
            }
            out.push(Cow::Borrowed(field));
            if end == bytes.len() {
                return Ok(());
            }
            at = end + 1;
        }
    }
}

/// Reads a quoted field whose content starts at `start`; returns it and the index after the
/// closing quote.
fn quoted(line: &str, start: usize) -> Result<(Cow<'_, str>, usize), String> {
    let bytes = line.as_bytes();
    let mut owned: Option<String> = None;
    let mut from = start;
    let mut at = start;
    while at < bytes.len() {
        if bytes[at] == b'"' {
            if bytes.get(at + 1) == Some(&b'"') {
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&line[from..=at]);
                at += 2;
                from = at;
                continue;
            }
            let field = match owned {
                Some(mut s) => {
                    s.push_str(&line[from..at]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&line[from..at]),
            };
            return Ok((field, at + 1));
        }
        at += 1;
    }
    Err("broken quoting: a quoted field is never closed".to_owned())
}

fn memchr_comma(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        split(line, &mut out)?;
        Ok(out.into_iter().map(Cow::into_owned).collect())
    }

    #[test]
    fn plain_and_empty_fields() {
        assert_eq!(fields("1,a,,b").unwrap(), ["1", "a", "", "b"]);
        assert_eq!(fields("").unwrap(), [""]);
        assert_eq!(fields("x,").unwrap(), ["x", ""]);
    }

    #[test]
    fn quoted_fields_keep_commas_and_doubled_quotes() {
        assert_eq!(
            fields(r#"7,"Martin, Jr.","The ""Best"" one",3"#).unwrap(),
            ["7", "Martin, Jr.", r#"The "Best" one"#, "3"]
        );
        assert_eq!(fields(r#""""#).unwrap(), [""]);
    }

    #[test]
    fn broken_quoting_is_an_error_not_a_swallowed_file() {
        let unclosed = fields(r#"1,"never closed,2"#).unwrap_err();
        assert!(unclosed.contains("never closed"), "{unclosed}");
        let stray = fields(r#"1,ab"c,2"#).unwrap_err();
        assert!(stray.contains("stray quote in field 2"), "{stray}");
        let after = fields(r#"1,"ab"c,2"#).unwrap_err();
        assert!(after.contains("after the closing quote"), "{after}");
    }
}
