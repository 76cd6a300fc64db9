//! Strategy 2: what the story did. One compiled regex per segment and per field, applied to the
//! record's text; the field regex is searched inside the segment's match so that `BELNR` of
//! `E1EDK01` is not confused with `BELNR` of `E1EDK02`. It understands no XML: see
//! [`crate::breaks`] for where that goes wrong.

use std::borrow::Cow;

use regex::Regex;

use crate::error::PickError;
use crate::fields::{Collector, FIELDS, Pick, Picked};
use crate::xml;

/// The segment regex the story's code would use for `name` (attributes allowed). Python runs
/// it as it is; here it is split in two, see [`Block`].
pub fn segment_pattern(name: &str) -> String {
    format!(r"(?s)<{name}(?:\s[^>]*)?>(.*?)</{name}\s*>")
}

/// The field regex: the tag, its text, the closing tag.
pub fn field_pattern(name: &str) -> String {
    format!(r"(?s)<{name}>(.*?)</{name}>")
}

/// `<open>(.*?)<close>` as two regexes: the regex crate's DFA answers `(.*?)` spanning a whole
/// record by searching backwards from the end literal, which costs more than the search
/// itself; an opening match followed by the first closing match after it is the same match.
struct Block {
    open: Regex,
    close: Regex,
}

impl Block {
    fn segment(name: &str) -> Block {
        Block {
            open: compile(&format!(r"<{name}(?:\s[^>]*)?>")),
            close: compile(&format!(r"</{name}\s*>")),
        }
    }

    fn field(name: &str) -> Block {
        Block {
            open: compile(&format!("<{name}>")),
            close: compile(&format!("</{name}>")),
        }
    }

    /// Group 1 of each match, in order.
    fn bodies<'t>(&self, text: &'t str) -> impl Iterator<Item = &'t str> {
        let mut at = 0;
        std::iter::from_fn(move || {
            let open = self.open.find_at(text, at)?;
            let close = self.close.find_at(text, open.end())?;
            at = close.end();
            Some(&text[open.end()..close.start()])
        })
    }
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the patterns are built from plain tag names")
}

struct FieldRegex {
    /// Segments below `IDOC`, outermost first.
    segments: Vec<Block>,
    /// `None` for a count of the last segment.
    leaf: Option<Block>,
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
        let fields = FIELDS
            .iter()
            .map(|spec| {
                // The story's regexes start below the IDOC element.
                let path = &spec.path[1..];
                let (leaf, segments) = match spec.pick {
                    Pick::Count => (None, path),
                    Pick::First | Pick::Sum => {
                        let (leaf, segments) = path.split_last().expect("paths are not empty");
                        (Some(Block::field(leaf)), segments)
                    }
                };
                FieldRegex {
                    segments: segments.iter().map(|s| Block::segment(s)).collect(),
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
    segments: &[Block],
    leaf: Option<&Block>,
    field: usize,
    collector: &mut Collector<'a>,
) {
    let Some((segment, inner)) = segments.split_first() else {
        if let Some(raw) = leaf.and_then(|leaf| leaf.bodies(text).next()) {
            collector.hit(field, xml::clean_cow(unescape(raw)));
        }
        return;
    };
    if inner.is_empty() && leaf.is_none() {
        for _ in segment.bodies(text) {
            collector.hit(field, None);
        }
        return;
    }
    for body in segment.bodies(text) {
        if collector.is_done(field) {
            return;
        }
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
