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
use crate::fields::{Collector, PathTrie, Picked, local_name, word_at};
use crate::strategy::stream;
use crate::xml;

const DEAD: usize = usize::MAX;
const MAX_DEPTH: usize = 256;
const MAX_ATTRIBUTES: usize = 8;

const STOP: u8 = 1;
const BAD: u8 = 2;
/// For tag names: 0 continues the name, [`STOP`] ends it (whitespace, `/`, `>`), [`BAD`] means
/// the scanner is not sure (`<`, quotes, `=`, `&`).
static NAME_CLASS: [u8; 256] = {
    let mut table = [0_u8; 256];
    table[b' ' as usize] = STOP;
    table[b'\t' as usize] = STOP;
    table[b'\n' as usize] = STOP;
    table[b'\r' as usize] = STOP;
    table[b'/' as usize] = STOP;
    table[b'>' as usize] = STOP;
    table[b'<' as usize] = BAD;
    table[b'"' as usize] = BAD;
    table[b'\'' as usize] = BAD;
    table[b'=' as usize] = BAD;
    table[b'&' as usize] = BAD;
    table
};

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

/// Byte-slice equality for short names, without a call into `memcmp`.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
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
    /// Whether the document has a `\r` at all (else no end-of-line normalization is needed).
    has_cr: bool,
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
            has_cr: memchr(b'\r', b).is_some(),
            collector: Collector::new(),
        }
    }

    /// Checks every `&` before `end`, all of which must lie in `from..end` (text or a value).
    #[inline(always)]
    fn check_amps(&mut self, from: usize, end: usize) -> Option<()> {
        if self.next_amp >= end {
            return Some(());
        }
        self.check_amps_slow(from, end)
    }

    #[inline(never)]
    fn check_amps_slow(&mut self, from: usize, end: usize) -> Option<()> {
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

    /// Absolute position of the next `<` at or after `from`: a short loop first (most text
    /// between tags is a few bytes), SIMD `memchr` beyond that.
    #[inline(always)]
    fn find_lt(&self, from: usize) -> Option<usize> {
        let b = self.b;
        let near = (from + 24).min(b.len());
        if let Some(i) = b[from..near].iter().position(|&c| c == b'<') {
            return Some(from + i);
        }
        memchr(b'<', &b[near..]).map(|i| near + i)
    }

    /// If the end tag of the name at `start..start + len` starts at `lt`, the position after
    /// its `>`.
    #[inline(always)]
    fn end_tag_at(&self, lt: usize, start: usize, len: usize) -> Option<usize> {
        let b = self.b;
        if b.get(lt + 1).copied()? != b'/' {
            return None;
        }
        let matches = match (word_at(b, lt + 2, len), word_at(b, start, len)) {
            (Some(end), Some(name)) => end == name,
            _ => same(b.get(lt + 2..lt + 2 + len)?, &b[start..start + len]),
        };
        if !matches {
            return None;
        }
        let gt = self.skip_ws(lt + 2 + len);
        (b.get(gt).copied()? == b'>').then_some(gt + 1)
    }

    /// Where the tag name starting at `start` ends; `None` when it is empty or holds a byte
    /// the scanner is not sure of.
    #[inline(always)]
    fn name_end(&self, start: usize) -> Option<usize> {
        let b = self.b;
        let mut i = start;
        while i < b.len() {
            match NAME_CLASS[usize::from(b[i])] {
                0 => i += 1,
                STOP => break,
                _ => return None,
            }
        }
        (i > start).then_some(i)
    }

    /// The trie node of the element named `start..end` under `parent` (none: the root),
    /// [`DEAD`] when no wanted path goes there.
    #[inline(always)]
    fn node_of(&self, parent: Option<usize>, start: usize, end: usize) -> usize {
        match parent {
            None => PathTrie::ROOT,
            Some(parent) if parent == DEAD || self.trie.is_leaf(parent) => DEAD,
            Some(parent) => {
                let local = local_name(&self.b[start..end]);
                match word_at(self.b, end - local.len(), local.len()) {
                    Some(word) => self.trie.child_by_short_name(parent, word),
                    None => self.trie.child(parent, local),
                }
                .unwrap_or(DEAD)
            }
        }
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
            let Some(lt) = self.find_lt(pos) else {
                // Only whitespace may follow the root element.
                if !root_done || !b[pos..].iter().all(|&c| is_ws(c)) {
                    return None;
                }
                break;
            };
            if stack.is_empty() && !b[pos..lt].iter().all(|&c| is_ws(c)) {
                return None;
            }
            self.check_amps(pos, lt)?;
            match b.get(lt + 1).copied()? {
                b'/' => {
                    let &(start, len, _) = stack.last()?;
                    pos = self.end_tag_at(lt, start, len)?;
                    stack.pop();
                    root_done = stack.is_empty();
                }
                b'!' | b'?' => return None,
                _ => {
                    if root_done || stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    let start = lt + 1;
                    let i = self.name_end(start)?;
                    let (gt, self_closing) = if b.get(i).copied()? == b'>' && self.next_amp > i {
                        (i, false)
                    } else {
                        self.attributes(i)?
                    };
                    let node = self.node_of(stack.last().map(|e| e.2), start, i);
                    let live = node != DEAD && !self.trie.fields(node).is_empty();
                    pos = gt + 1;
                    if self_closing {
                        if live {
                            self.hit_all(node, None);
                        }
                        root_done = stack.is_empty();
                        continue;
                    }
                    let next = self.find_lt(pos)?;
                    if let Some(after) = self.end_tag_at(next, start, i - start) {
                        // A leaf: text, then its own end tag.
                        self.check_amps(pos, next)?;
                        if live {
                            if self.trie.needs_text(node) {
                                let text = self.text(pos, next)?;
                                self.hit_all(node, text);
                            } else {
                                self.hit_all(node, None);
                            }
                        }
                        pos = after;
                        root_done = stack.is_empty();
                        continue;
                    }
                    if live {
                        if self.trie.needs_text(node) {
                            // Text mixed with markup: the parser decides.
                            return None;
                        }
                        self.hit_all(node, None);
                    }
                    stack.push((start, i - start, node));
                }
            }
        }
        Some(Ok(self.collector.finish()))
    }

    fn hit_all(&mut self, node: usize, text: Option<Cow<'a, str>>) {
        match self.trie.fields(node) {
            [field] => self.collector.hit(*field, text),
            fields => {
                for &field in fields {
                    self.collector.hit(field, text.clone());
                }
            }
        }
    }

    /// The cleaned text of `from..lt` (no markup inside), entities decoded.
    fn text(&self, from: usize, lt: usize) -> Option<Option<Cow<'a, str>>> {
        let raw = self.doc.get(from..lt)?;
        let text: Cow<'a, str> = if memchr(b'&', raw.as_bytes()).is_some() {
            xml::decode_entities(raw, from).ok()?
        } else {
            Cow::Borrowed(raw)
        };
        let text = if self.has_cr {
            xml::normalize_eol(text)
        } else {
            text
        };
        Some(xml::clean_cow(text))
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
                        .any(|&(s, l)| same(&b[s..s + l], &b[name.0..name.0 + name.1]))
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
}
