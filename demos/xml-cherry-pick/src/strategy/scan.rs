//! Strategy 4: a byte scanner aimed at memory bandwidth.
//!
//! It jumps from `<` to `<` with `memchr` (SIMD), keeps a stack of open tags to know each
//! element's path, checks that every end tag matches, that every `&` is a known reference and
//! that attributes are well formed, and copies out only the wanted fields' text. Whenever it
//! meets something it does not handle itself (comments, CDATA, processing instructions inside the
//! document, a wanted field with child elements, anything that looks wrong), it gives up on the
//! record and hands it to the streaming parser (strategy 3), which decides, so the answer and
//! the error are always the parser's.

use std::borrow::Cow;

use memchr::memchr;

use crate::error::PickError;
use crate::fields::{Collector, FIELDS, PathTrie, Pick, Picked, local_name};
use crate::strategy::stream;
use crate::xml;

const DEAD: usize = usize::MAX;
const MAX_DEPTH: usize = 256;
const MAX_ATTRIBUTES: usize = 16;

/// What one record needed: the fast path, or the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    Fast,
    Fallback,
}

pub fn pick(trie: &PathTrie, bytes: &[u8]) -> Result<Picked, PickError> {
    pick_with_path(trie, bytes).0
}

/// Picks a record and says whether the fast path could do it alone.
pub fn pick_with_path(trie: &PathTrie, bytes: &[u8]) -> (Result<Picked, PickError>, Path) {
    let doc = match xml::check_document(bytes) {
        Ok(doc) => doc,
        Err(e) => return (Err(e), Path::Fast),
    };
    match Scanner::new(trie, doc).run() {
        Some(result) => (result, Path::Fast),
        None => (stream::pick_doc(trie, doc), Path::Fallback),
    }
}

/// Per node of the trie: does any field there need the element's text?
fn needs_text(trie: &PathTrie, node: usize) -> bool {
    trie.fields(node)
        .iter()
        .any(|&f| FIELDS[f].pick != Pick::Count)
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

struct Scanner<'t, 'a> {
    trie: &'t PathTrie,
    doc: &'a str,
    b: &'a [u8],
    /// Position of the next `&` not yet checked (or the end).
    next_amp: usize,
    collector: Collector<'a>,
}

impl<'t, 'a> Scanner<'t, 'a> {
    fn new(trie: &'t PathTrie, doc: &'a str) -> Self {
        let b = doc.as_bytes();
        Self {
            trie,
            doc,
            b,
            next_amp: memchr(b'&', b).unwrap_or(b.len()),
            collector: Collector::new(),
        }
    }

    /// Checks every `&` before `end`, all of which must lie in `from..end` (text or a value).
    #[inline]
    fn check_amps(&mut self, from: usize, end: usize) -> Option<()> {
        while self.next_amp < end {
            if self.next_amp < from {
                return None;
            }
            let at = self.next_amp + 1;
            let semi = at + memchr(b';', &self.b[at..end])?;
            xml::resolve_entity(self.doc.get(at..semi)?)?;
            self.next_amp = memchr(b'&', &self.b[semi..]).map_or(self.b.len(), |i| semi + i);
        }
        Some(())
    }

    #[inline]
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && is_ws(self.b[i]) {
            i += 1;
        }
        i
    }

    /// `None`: not sure, let the parser decide. `Some(result)`: the record's answer.
    fn run(mut self) -> Option<Result<Picked, PickError>> {
        let b = self.b;
        let mut pos = self.skip_ws(0);
        if b[pos..].starts_with(b"<?xml") && b.get(pos + 5).copied().is_some_and(is_ws) {
            pos += 5 + memchr::memmem::find(&b[pos + 5..], b"?>")? + 2;
        }
        // (start of name, length of name, trie node) per open element.
        let mut stack: Vec<(usize, usize, usize)> = Vec::with_capacity(32);
        let mut root_done = false;
        loop {
            let Some(offset) = memchr(b'<', &b[pos..]) else {
                // Only whitespace may follow the root element.
                if !root_done || !b[pos..].iter().all(|&c| is_ws(c)) {
                    return None;
                }
                break;
            };
            let lt = pos + offset;
            if stack.is_empty() && !b[pos..lt].iter().all(|&c| is_ws(c)) {
                return None;
            }
            self.check_amps(pos, lt)?;
            match b.get(lt + 1).copied()? {
                b'/' => {
                    let &(start, len, _) = stack.last()?;
                    let name_end = lt + 2 + len;
                    if b.get(lt + 2..name_end)? != &b[start..start + len] {
                        return None;
                    }
                    let gt = self.skip_ws(name_end);
                    if b.get(gt).copied()? != b'>' {
                        return None;
                    }
                    stack.pop();
                    if stack.is_empty() {
                        root_done = true;
                    }
                    pos = gt + 1;
                }
                b'!' | b'?' => return None,
                _ => {
                    if root_done || stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    let start = lt + 1;
                    let mut i = start;
                    while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>')
                    {
                        if matches!(b[i], b'<' | b'"' | b'\'' | b'=' | b'&') {
                            return None;
                        }
                        i += 1;
                    }
                    let name_len = i - start;
                    if name_len == 0 {
                        return None;
                    }
                    let (gt, self_closing) = self.attributes(i)?;
                    let node = match stack.last() {
                        None => PathTrie::ROOT,
                        Some(&(_, _, parent)) if parent == DEAD || self.trie.is_leaf(parent) => {
                            DEAD
                        }
                        Some(&(_, _, parent)) => self
                            .trie
                            .child(parent, local_name(&b[start..i]))
                            .unwrap_or(DEAD),
                    };
                    pos = gt + 1;
                    if node != DEAD && !self.trie.fields(node).is_empty() {
                        if self_closing {
                            for &field in self.trie.fields(node) {
                                self.collector.hit(field, None);
                            }
                        } else if needs_text(self.trie, node) {
                            pos = self.leaf(node, pos, &b[start..i])?;
                            if stack.is_empty() {
                                root_done = true;
                            }
                            continue;
                        } else {
                            for &field in self.trie.fields(node) {
                                self.collector.hit(field, None);
                            }
                        }
                    }
                    if self_closing {
                        if stack.is_empty() {
                            root_done = true;
                        }
                    } else {
                        stack.push((start, name_len, node));
                    }
                }
            }
        }
        Some(Ok(self.collector.finish()))
    }

    /// Parses attributes from just after the tag name; returns the `>` and whether it was `/>`.
    fn attributes(&mut self, mut i: usize) -> Option<(usize, bool)> {
        let b = self.b;
        let mut seen: [(usize, usize); MAX_ATTRIBUTES] = [(0, 0); MAX_ATTRIBUTES];
        let mut count = 0;
        loop {
            match b.get(i).copied()? {
                b'>' => {
                    self.check_amps(i, i)?;
                    return Some((i, false));
                }
                b'/' => {
                    if b.get(i + 1).copied()? != b'>' {
                        return None;
                    }
                    self.check_amps(i, i)?;
                    return Some((i + 1, true));
                }
                c if is_ws(c) => {
                    i = self.skip_ws(i);
                    if matches!(b.get(i).copied()?, b'>' | b'/') {
                        continue;
                    }
                    let name_start = i;
                    while i < b.len()
                        && !matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | b'=' | b'/' | b'>')
                    {
                        if matches!(b[i], b'<' | b'"' | b'\'' | b'&') {
                            return None;
                        }
                        i += 1;
                    }
                    let name = (name_start, i - name_start);
                    if name.1 == 0 || count == MAX_ATTRIBUTES {
                        return None;
                    }
                    if seen[..count]
                        .iter()
                        .any(|&(s, l)| b[s..s + l] == b[name.0..name.0 + name.1])
                    {
                        return None;
                    }
                    seen[count] = name;
                    count += 1;
                    i = self.skip_ws(i);
                    if b.get(i).copied()? != b'=' {
                        return None;
                    }
                    i = self.skip_ws(i + 1);
                    let quote = b.get(i).copied()?;
                    if quote != b'"' && quote != b'\'' {
                        return None;
                    }
                    let value_start = i + 1;
                    let value_end = value_start + memchr(quote, &b[value_start..])?;
                    if memchr(b'<', &b[value_start..value_end]).is_some() {
                        return None;
                    }
                    self.check_amps(value_start, value_end)?;
                    i = value_end + 1;
                    // An attribute must be followed by whitespace, `>` or `/>`.
                    if !matches!(
                        b.get(i).copied()?,
                        b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/'
                    ) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }

    /// A wanted element whose text is needed: text up to its end tag, nothing else inside.
    /// Returns the position after the end tag.
    fn leaf(&mut self, node: usize, from: usize, name: &[u8]) -> Option<usize> {
        let b = self.b;
        let lt = from + memchr(b'<', &b[from..])?;
        if b.get(lt + 1).copied()? != b'/' || b.get(lt + 2..lt + 2 + name.len())? != name {
            return None;
        }
        let gt = self.skip_ws(lt + 2 + name.len());
        if b.get(gt).copied()? != b'>' {
            return None;
        }
        let has_amp = self.next_amp < lt;
        self.check_amps(from, lt)?;
        let raw = self.doc.get(from..lt)?;
        let text: Cow<'a, str> = if has_amp {
            xml::decode_entities(raw, from).ok()?
        } else {
            Cow::Borrowed(raw)
        };
        let text = xml::clean_cow(xml::normalize_eol(text));
        let fields = self.trie.fields(node);
        if let [field] = fields {
            self.collector.hit(*field, text);
        } else {
            for &field in fields {
                self.collector.hit(field, text.clone());
            }
        }
        Some(gt + 1)
    }
}
