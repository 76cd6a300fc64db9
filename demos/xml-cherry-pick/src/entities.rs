//! Entity references in XML text: the five predefined ones and character references, as
//! expat accepts them; shared by the parser's strategies and the scanner's attribute check.

use std::borrow::Cow;

use crate::error::PickError;

/// Resolves the name between `&` and `;`: the five predefined entities and character
/// references to characters XML allows. Anything else is an error, as in expat.
pub fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = if let Some(hex) = number.strip_prefix('x') {
                if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u32::from_str_radix(hex, 16).ok()?
            } else {
                if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                number.parse().ok()?
            };
            let allowed = matches!(code, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
            allowed.then(|| char::from_u32(code)).flatten()
        }
    }
}

/// Replaces entity references in raw text (no markup inside); `offset` is where `raw` starts in
/// the record, for the error.
pub fn decode_entities(raw: &str, offset: usize) -> Result<Cow<'_, str>, PickError> {
    let Some(first) = memchr::memchr(b'&', raw.as_bytes()) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    let mut at = offset + first;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
        at += amp;
        let after = &rest[amp + 1..];
        let semi = memchr::memchr(b';', after.as_bytes())
            .ok_or_else(|| PickError::malformed(at, "bare '&' (not an entity reference)"))?;
        let name = &after[..semi];
        let ch = resolve_entity(name)
            .ok_or_else(|| PickError::malformed(at, format!("unknown entity &{name};")))?;
        out.push(ch);
        rest = &after[semi + 1..];
        at += semi + 2;
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}
