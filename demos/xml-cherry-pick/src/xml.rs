//! What every strategy checks the same way: the encoding, UTF-8, entity references, and the
//! event-driven parse (quick-xml) that the full conversion and the streaming picker share.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::attributes;
pub use crate::entities::{decode_entities, resolve_entity};
use crate::error::PickError;

/// Checks the declared encoding and UTF-8, and returns the document as text (without a BOM).
pub fn check_document(bytes: &[u8]) -> Result<&str, PickError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(declared) = declared_encoding(bytes)
        && !["utf-8", "utf8", "us-ascii", "ascii"]
            .iter()
            .any(|ok| declared.eq_ignore_ascii_case(ok.as_bytes()))
    {
        return Err(PickError::Encoding {
            declared: String::from_utf8_lossy(declared).into_owned(),
        });
    }
    // SIMD validation; std only to locate the first bad byte.
    simdutf8::basic::from_utf8(bytes).map_err(|_| PickError::InvalidUtf8 {
        offset: std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to()),
    })
}

/// The `encoding` pseudo-attribute of an `<?xml ...?>` declaration at the very start.
fn declared_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    if !rest.first().is_some_and(u8::is_ascii_whitespace) {
        return None;
    }
    // A declaration is a few dozen bytes: plain loops, not a SIMD searcher built per record
    // (building `memmem` finders here cost a tenth of the UTF-8 check it precedes).
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = &rest[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")?;
    let after = decl[at + "encoding".len()..].trim_ascii_start();
    let after = after.strip_prefix(b"=")?.trim_ascii_start();
    let quote = *after.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &after[1..];
    let close = value.iter().position(|&b| b == quote)?;
    Some(&value[..close])
}

/// XML 1.0 end-of-line handling: `\r\n` and lone `\r` become `\n`.
#[inline(always)]
pub fn normalize_eol(text: Cow<'_, str>) -> Cow<'_, str> {
    if has_cr(&text) {
        replace_cr(&text).into()
    } else {
        text
    }
}

/// [`normalize_eol`] for borrowed text: the common case stays a borrow, with no `Cow` passed
/// through memory on the way (a copy stalled on its fresh stores in the parse's profile).
#[inline(always)]
pub fn normalized(text: &str) -> Cow<'_, str> {
    if has_cr(text) {
        Cow::Owned(replace_cr(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// A byte search: `str::contains(char)` costs ~150 instructions on a short field, and a call
/// into SIMD `memchr` more than core's plain search over the few bytes of most values.
#[inline(always)]
fn has_cr(text: &str) -> bool {
    text.as_bytes().contains(&b'\r')
}

#[cold]
fn replace_cr(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// [`crate::fields::clean`] for owned or borrowed text.
#[inline]
pub fn clean_cow(text: Cow<'_, str>) -> Option<Cow<'_, str>> {
    match text {
        Cow::Borrowed(s) => crate::fields::clean(s).map(Cow::Borrowed),
        Cow::Owned(s) => crate::fields::clean(&s).map(|t| Cow::Owned(t.to_owned())),
    }
}

/// Deeper nesting is refused: no IDoc comes close, and a converted tree that deep would
/// overflow the stack when dropped.
pub const MAX_DEPTH: usize = 1000;

/// What a handler wants of an element that starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Its attributes, text and children, then its end.
    Enter,
    /// Nothing of it: the parse still checks all of it, but reports none of it, not even its
    /// end.
    Skip,
}

/// What a parse reports to its handler, in document order (the expat callbacks xmltodict uses).
/// Every `&'a str` borrows from the document.
pub trait Handler<'a> {
    fn start(&mut self, qname: &'a str) -> Visit;
    fn attribute(&mut self, qname: &'a str, value: &str);
    /// Character data of the innermost open element (text, CDATA, resolved references); only
    /// called while [`Handler::wants_text`] says so.
    fn text(&mut self, text: Cow<'a, str>);
    fn end(&mut self);
    /// False when the innermost open element's text would be thrown away (saves decoding it).
    fn wants_text(&self) -> bool {
        true
    }
    /// False when attributes are thrown away (they are still parsed and checked).
    fn wants_attributes(&self) -> bool {
        true
    }
}

/// The text of `part`, a piece of `doc` that quick-xml borrowed from it. The document was
/// validated as UTF-8 once, in [`check_document`], so this is a bounds check, not a second scan.
fn within<'a>(doc: &'a str, part: &[u8], position: usize) -> Result<&'a str, PickError> {
    let start = (part.as_ptr() as usize).wrapping_sub(doc.as_ptr() as usize);
    doc.get(start..start.wrapping_add(part.len()))
        .filter(|s| s.as_ptr() == part.as_ptr())
        .ok_or_else(|| PickError::malformed(position, "the parser copied a token (unexpected)"))
}

/// Parses a whole document with quick-xml, checking well-formedness the same way for every
/// strategy that uses it: one root, tags balanced, entities known, attributes well formed.
pub fn parse<'a>(doc: &'a str, handler: &mut impl Handler<'a>) -> Result<(), PickError> {
    let mut parser = Parser::new(doc);
    loop {
        let position = parser.position();
        // Matched in place, not moved out of the `Result` first: the move reloaded the event
        // the reader had just stored, in wider loads that stalled on those stores (a third of
        // this function's time in `perf annotate`).
        match parser.reader.read_event() {
            Err(e) => return Err(parser.read_error(&e)),
            Ok(Event::Start(e)) => {
                parser.open(position)?;
                if handler.start(within(doc, e.name().as_ref(), position)?) == Visit::Skip {
                    check_attributes(doc, &e, position)?;
                    if parser.skip_subtree()? {
                        break;
                    }
                } else if handler.wants_attributes() {
                    for attribute in e.attributes() {
                        let attribute = attribute.map_err(|err| attribute_error(position, &err))?;
                        let key = within(doc, attribute.key.as_ref(), position)?;
                        let raw = within(doc, &attribute.value, position)?;
                        handler.attribute(key, &decode_entities(raw, position)?);
                    }
                } else {
                    check_attributes(doc, &e, position)?;
                }
            }
            Ok(Event::End(_)) => {
                parser.depth = parser.depth.saturating_sub(1);
                handler.end();
            }
            Ok(Event::Text(t)) => {
                if parser.depth == 0 {
                    parser.outside_root(&t, position)?;
                } else if handler.wants_text() {
                    handler.text(normalized(within(doc, &t, position)?));
                }
            }
            Ok(Event::CData(c)) => {
                if parser.depth == 0 {
                    return Err(PickError::malformed(
                        position,
                        "CDATA outside the root element",
                    ));
                }
                if handler.wants_text() {
                    handler.text(normalized(within(doc, &c, position)?));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let ch = parser.reference(&r, position)?;
                if handler.wants_text() {
                    handler.text(Cow::Owned(ch.to_string()));
                }
            }
            Ok(Event::Empty(_)) => unreachable!("expand_empty_elements is set"),
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_)) => {}
            Ok(Event::Eof) => break,
        }
    }
    parser.finish()
}

/// The reader and what the checks need to know about where it is.
struct Parser<'a> {
    doc: &'a str,
    reader: Reader<&'a [u8]>,
    depth: usize,
    root_seen: bool,
}

impl<'a> Parser<'a> {
    fn new(doc: &'a str) -> Self {
        let mut reader = Reader::from_reader(doc.as_bytes());
        reader.config_mut().expand_empty_elements = true;
        Self {
            doc,
            reader,
            depth: 0,
            root_seen: false,
        }
    }

    /// Where the next event starts, for its errors.
    fn position(&self) -> usize {
        self.reader.buffer_position() as usize
    }

    fn read_error(&self, error: &quick_xml::Error) -> PickError {
        PickError::malformed(self.reader.error_position() as usize, error.to_string())
    }

    /// An element starts at `position`: one root, nesting bounded.
    fn open(&mut self, position: usize) -> Result<(), PickError> {
        if self.depth == 0 && self.root_seen {
            return Err(PickError::malformed(position, "a second root element"));
        }
        self.root_seen = true;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(PickError::malformed(
                position,
                format!("elements nested deeper than {MAX_DEPTH}"),
            ));
        }
        Ok(())
    }

    /// Text at depth 0: only whitespace may stand outside the root element.
    fn outside_root(&self, text: &[u8], position: usize) -> Result<(), PickError> {
        if text.iter().all(u8::is_ascii_whitespace) {
            Ok(())
        } else {
            Err(PickError::malformed(
                position,
                "text outside the root element",
            ))
        }
    }

    /// The character an entity reference at `position` stands for; an error outside the root
    /// or for an unknown entity.
    fn reference(&self, name: &[u8], position: usize) -> Result<char, PickError> {
        if self.depth == 0 {
            return Err(PickError::malformed(
                position,
                "reference outside the root element",
            ));
        }
        let name = within(self.doc, name, position)?;
        resolve_entity(name)
            .ok_or_else(|| PickError::malformed(position, format!("unknown entity &{name};")))
    }

    /// Reads through the end of the element just opened, checking everything inside it as
    /// [`parse`] does and reporting nothing. Its branches are few and predictable, which is
    /// what makes skipping cheaper than reporting to a handler that ignores it all. True when
    /// the document ended inside it.
    fn skip_subtree(&mut self) -> Result<bool, PickError> {
        let outer = self.depth - 1;
        loop {
            let position = self.position();
            match self.reader.read_event() {
                Err(e) => return Err(self.read_error(&e)),
                Ok(Event::Start(e)) => {
                    self.open(position)?;
                    check_attributes(self.doc, &e, position)?;
                }
                Ok(Event::End(_)) => {
                    self.depth -= 1;
                    if self.depth == outer {
                        return Ok(false);
                    }
                }
                Ok(Event::GeneralRef(r)) => {
                    self.reference(&r, position)?;
                }
                Ok(Event::Eof) => return Ok(true),
                // Inside an element: text and CDATA need no check; the rest is ignored.
                Ok(_) => {}
            }
        }
    }

    fn finish(self) -> Result<(), PickError> {
        if self.depth > 0 {
            return Err(PickError::Truncated { open: self.depth });
        }
        if !self.root_seen {
            return Err(PickError::NoRoot);
        }
        Ok(())
    }
}

fn attribute_error(position: usize, error: &quick_xml::events::attributes::AttrError) -> PickError {
    PickError::malformed(position, format!("attribute: {error}"))
}

/// Parses and checks the attributes of an element whose attributes nobody wants: well formed,
/// and every reference in a value known. Most tags have none, or a plain `SEGMENT="1"`: the
/// shared fast check ([`attributes::check`]) vouches for those without quick-xml's attribute
/// iterator (which allocates to look for duplicates: a tenth of the streaming picker's time);
/// whatever it is not sure of goes through quick-xml, whose answer and error count.
#[inline]
fn check_attributes(
    doc: &str,
    start: &quick_xml::events::BytesStart<'_>,
    position: usize,
) -> Result<(), PickError> {
    let raw = start.attributes_raw();
    if raw.is_empty() || checked_fast(doc, raw) {
        return Ok(());
    }
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|err| attribute_error(position, &err))?;
        if attribute.value.contains(&b'&') {
            decode_entities(within(doc, &attribute.value, position)?, position)?;
        }
    }
    Ok(())
}

/// True when the fast check vouches for `raw`, a tag's attributes borrowed from `doc`, and
/// finds the tag ending exactly where quick-xml ended it.
fn checked_fast(doc: &str, raw: &[u8]) -> bool {
    let at = (raw.as_ptr() as usize).wrapping_sub(doc.as_ptr() as usize);
    let end = at.wrapping_add(raw.len());
    if doc.as_bytes().get(at..end).map(<[u8]>::as_ptr) != Some(raw.as_ptr()) {
        return false;
    }
    match attributes::check(doc, at) {
        Some((gt, false)) => gt == end,
        Some((gt, true)) => gt == end + 1,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_declarations_other_than_utf8_are_refused() {
        assert!(check_document(b"<?xml version=\"1.0\" encoding='UTF-8'?><a/>").is_ok());
        assert!(check_document(b"\xEF\xBB\xBF<a/>").is_ok());
        assert_eq!(
            check_document(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"),
            Err(PickError::Encoding {
                declared: "ISO-8859-1".into()
            })
        );
        assert_eq!(
            check_document(b"<a>M\xFCller</a>"),
            Err(PickError::InvalidUtf8 { offset: 4 })
        );
    }

    struct Count(usize);

    impl Handler<'_> for Count {
        fn start(&mut self, _: &str) -> Visit {
            self.0 += 1;
            Visit::Enter
        }
        fn attribute(&mut self, _: &str, _: &str) {}
        fn text(&mut self, _: Cow<'_, str>) {}
        fn end(&mut self) {}
    }

    #[test]
    fn nesting_is_bounded() {
        let doc = |depth: usize| format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert!(parse(&doc(MAX_DEPTH), &mut Count(0)).is_ok());
        let error = parse(&doc(MAX_DEPTH + 1), &mut Count(0)).unwrap_err();
        assert!(error.to_string().contains("nested deeper"), "{error}");
    }

    #[test]
    fn tokens_are_read_in_place_from_the_validated_document() {
        let doc = "<a>grüße</a>";
        assert_eq!(within(doc, &doc.as_bytes()[3..10], 3), Ok("grüße"));
        // A copy, or a cut through a character, is refused rather than read unchecked.
        let copy = doc.as_bytes()[3..10].to_vec();
        assert!(within(doc, &copy, 3).is_err());
        assert!(within(doc, &doc.as_bytes()[3..6], 3).is_err());
    }

    #[test]
    fn the_fast_attribute_check_agrees_with_quick_xml_on_where_a_tag_ends() {
        for (doc, fast) in [
            ("<a x=\"1\">t</a>", true),
            ("<a x=\"1\" />", true),
            ("<a  x='&amp;'\ty=\"2\"/>", true),
            ("<a x=\"1\" x=\"2\">t</a>", false),
            ("<a x=1>t</a>", false),
        ] {
            let mut reader = Reader::from_reader(doc.as_bytes());
            reader.config_mut().expand_empty_elements = true;
            let Ok(Event::Start(start)) = reader.read_event() else {
                panic!("{doc}: no start tag");
            };
            assert_eq!(checked_fast(doc, start.attributes_raw()), fast, "{doc}");
        }
    }

    #[test]
    fn entities_resolve_like_expat() {
        assert_eq!(
            decode_entities("a &amp; b &#252; &#x41;", 0).unwrap(),
            "a & b ü A"
        );
        assert!(decode_entities("a & b", 0).is_err());
        assert!(decode_entities("&nbsp;", 0).is_err());
        assert!(decode_entities("&#0;", 0).is_err());
        assert!(decode_entities("&#xD800;", 0).is_err());
        assert!(matches!(
            decode_entities("plain", 0),
            Ok(Cow::Borrowed("plain"))
        ));
    }
}
