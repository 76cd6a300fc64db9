//! Strategy 2: what the story did. One compiled regex per segment and per field, applied to the
//! record's text; the field regex is searched inside the segment's match so that `BELNR` of
//! `E1EDK01` is not confused with `BELNR` of `E1EDK02`. It understands no XML: see
//! [`crate::breaks`] for where that goes wrong.

use std::borrow::Cow;

use regex::Regex;

use crate::error::PickError;
use crate::fields::{Collector, FIELDS, Pick, Picked};
use crate::xml;

/// The segment regex the story's code would use for `name` (attributes allowed).
pub fn segment_pattern(name: &str) -> String {
    format!(r"(?s)<{name}(?:\s[^>]*)?>(.*?)</{name}\s*>")
}

/// The field regex: the tag, its text, the closing tag.
pub fn field_pattern(name: &str) -> String {
    format!(r"(?s)<{name}>(.*?)</{name}>")
}

struct FieldRegex {
    /// Segments below `IDOC`, outermost first.
    segments: Vec<Regex>,
    /// `None` for a count of the last segment.
    leaf: Option<Regex>,
}

/// The compiled regexes, built once.
pub struct RegexPicker {
    fields: Vec<FieldRegex>,
}

impl Default for RegexPicker {
    fn default() -> Self {
        Self::new()
    }
}

impl RegexPicker {
    pub fn new() -> Self {
        let compile =
            |p: String| Regex::new(&p).expect("the patterns are built from plain tag names");
        let fields = FIELDS
            .iter()
            .map(|spec| {
                // The story's regexes start below the IDOC element.
                let path = &spec.path[1..];
                let (leaf, segments) = match spec.pick {
                    Pick::Count => (None, path),
                    Pick::First | Pick::Sum => {
                        let (leaf, segments) = path.split_last().expect("paths are not empty");
                        (Some(compile(field_pattern(leaf))), segments)
                    }
                };
                FieldRegex {
                    segments: segments
                        .iter()
                        .map(|s| compile(segment_pattern(s)))
                        .collect(),
                    leaf,
                }
            })
            .collect();
        Self { fields }
    }

    pub fn pick(&self, bytes: &[u8]) -> Result<Picked, PickError> {
        let doc = xml::check_document(bytes)?;
        let mut collector = Collector::new();
        for (field, regexes) in self.fields.iter().enumerate() {
            walk(
                doc,
                &regexes.segments,
                regexes.leaf.as_ref(),
                field,
                &mut collector,
            );
        }
        Ok(collector.finish())
    }
}

fn walk<'a>(
    text: &'a str,
    segments: &[Regex],
    leaf: Option<&Regex>,
    field: usize,
    collector: &mut Collector<'a>,
) {
    let Some((segment, inner)) = segments.split_first() else {
        if let Some(leaf) = leaf
            && let Some(found) = leaf.captures(text)
        {
            let raw = found.get(1).map_or("", |m| m.as_str());
            collector.hit(field, xml::clean_cow(unescape(raw)));
        }
        return;
    };
    if inner.is_empty() && leaf.is_none() {
        for _ in segment.find_iter(text) {
            collector.hit(field, None);
        }
        return;
    }
    for block in segment.captures_iter(text) {
        if collector.is_done(field) {
            return;
        }
        let body = block.get(1).map_or("", |m| m.as_str());
        walk(body, inner, leaf, field, collector);
    }
}

/// `xml.sax.saxutils.unescape`: the named entities only, no character references.
fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}
