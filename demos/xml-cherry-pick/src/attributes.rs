//! A fast check of a start tag's attributes, shared by the scanner and the parse: well formed,
//! no name twice, no `<` in a value, every `&` a known reference. It answers only when sure;
//! `None` means "not sure", and the caller asks quick-xml, whose answer (and error) counts.

use crate::entities;

/// More attributes than this: not sure (quick-xml decides). IDoc tags have one at most.
const MAX_ATTRIBUTES: usize = 4;

#[inline]
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    i
}

/// Checks the attributes from `i`, just after a tag name in `doc`, up to the tag's end;
/// returns where its `>` is and whether the tag ended with `/>`.
pub fn check(doc: &str, mut i: usize) -> Option<(usize, bool)> {
    let b = doc.as_bytes();
    let mut seen: [(u32, u32); MAX_ATTRIBUTES] = [(0, 0); MAX_ATTRIBUTES];
    let mut count = 0;
    loop {
        match b.get(i).copied()? {
            b'>' => return Some((i, false)),
            b'/' => return (b.get(i + 1).copied()? == b'>').then_some((i + 1, true)),
            c if is_ws(c) => {
                i = skip_ws(b, i);
                if matches!(b.get(i).copied()?, b'>' | b'/') {
                    continue;
                }
                let name_at = i;
                while !matches!(b.get(i).copied()?, b'=' | b'/' | b'>') && !is_ws(b[i]) {
                    if matches!(b[i], b'<' | b'"' | b'\'' | b'&') {
                        return None;
                    }
                    i += 1;
                }
                let name = &b[name_at..i];
                if name.is_empty() || count == MAX_ATTRIBUTES {
                    return None;
                }
                if seen[..count]
                    .iter()
                    .any(|&(s, l)| &b[s as usize..(s + l) as usize] == name)
                {
                    return None;
                }
                seen[count] = (u32::try_from(name_at).ok()?, name.len() as u32);
                count += 1;
                i = skip_ws(b, i);
                if b.get(i).copied()? != b'=' {
                    return None;
                }
                i = value(doc, skip_ws(b, i + 1))?;
                // An attribute must be followed by whitespace, `>` or `/>`.
                if !matches!(b.get(i).copied()?, b'>' | b'/') && !is_ws(b[i]) {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// A quoted attribute value at `quote`: no `<` in it, every `&` a known reference; the
/// position after its closing quote.
fn value(doc: &str, quote: usize) -> Option<usize> {
    let b = doc.as_bytes();
    let q = b.get(quote).copied()?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    let start = quote + 1;
    // Most values are a few bytes (`SEGMENT="1"`): a plain loop before a SIMD search.
    let rest = b.get(start..)?;
    let end = start
        + match rest.iter().take(16).position(|&c| c == q) {
            Some(i) => i,
            None => memchr::memchr(q, rest)?,
        };
    let value = &b[start..end];
    if value.contains(&b'<') {
        return None;
    }
    if value.contains(&b'&') {
        entities::decode_entities(doc.get(start..end)?, start).ok()?;
    }
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn well_formed_lists_end_at_the_tags_end() {
        let tag = |s: &str| check(s, 0);
        assert_eq!(tag(">"), Some((0, false)));
        assert_eq!(tag(r#" SEGMENT="1">"#), Some((12, false)));
        assert_eq!(tag(" a='x &amp; y'  b=\"2\"/>"), Some((22, true)));
        assert_eq!(tag(r#" a="x>y">"#), Some((8, false)));
    }

    #[test]
    fn anything_doubtful_is_left_to_the_parser() {
        for doubtful in [
            r#" a="1" a="2">"#,
            r#" a="<">"#,
            r#" a="&nbsp;">"#,
            r#" a=1>"#,
            r#" a>"#,
            r#" a="1"b="2">"#,
            r#" a="1"/ >"#,
            r#"x="1">"#,
            r#" a="1""#,
        ] {
            assert_eq!(check(doubtful, 0), None, "{doubtful}");
        }
    }
}
