//! Strategy 4: a byte scanner that checks the whole document and keeps only the wanted text.
//!
//! It walks from tag to tag, eight bytes at a time ([`swar`]: a tag name, the indentation
//! between two tags and most values are shorter than a word, and a call into SIMD `memchr`
//! costs more than they do; longer text goes to `memchr`). It keeps a stack of open tags to
//! know each element's path, checks that every end tag matches, that every `&` is a known
//! reference and that attributes are well formed, and copies out only the wanted fields' text.
//! Whenever it meets something it does not handle itself (comments, CDATA, processing
//! instructions inside the document, a wanted field with child elements, anything that looks
//! wrong), it gives up on the record and hands it to the streaming parser (strategy 3), which
//! decides, so the answer and the error are always the parser's.

use std::borrow::Cow;

use crate::attributes;
use crate::error::PickError;
use crate::fields::{Collector, PathTrie, Picked};
use crate::strategy::stream;
use crate::swar;
use crate::xml;

const DEAD: u32 = u32::MAX;
/// Deeper documents go to the parser (no IDoc comes close).
const MAX_DEPTH: usize = 32;
/// Text searched a word at a time before handing the rest to `memchr`.
const SHORT_TEXT: usize = 32;

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
        Some(picked) => (Ok(picked), Path::Fast),
        None => (stream::pick_doc(trie, doc), Path::Fallback),
    }
}

use attributes::is_ws;

/// An open element: where its name is, the name as a word when it fits one (else 0: no name
/// of one to eight bytes packs to 0, they hold no NUL), its trie node.
#[derive(Debug, Clone, Copy, Default)]
struct Open {
    word: u64,
    name_at: u32,
    len: u32,
    node: u32,
}

struct Scanner<'t, 'a> {
    trie: &'t PathTrie,
    doc: &'a str,
    b: &'a [u8],
    collector: Collector<'a>,
}

impl<'t, 'a> Scanner<'t, 'a> {
    fn new(trie: &'t PathTrie, doc: &'a str) -> Self {
        Self {
            trie,
            doc,
            b: doc.as_bytes(),
            collector: Collector::new(),
        }
    }

    /// `None`: not sure, let the parser decide. `Some`: the record's answer.
    fn run(mut self) -> Option<Picked> {
        let mut stack = [Open::default(); MAX_DEPTH];
        let mut depth = 0;
        let mut lt = self.prolog()?;
        loop {
            let after = match self.b.get(lt + 1).copied()? {
                b'/' => {
                    let open = stack[..depth].last()?;
                    let after = self.end_tag_at(lt, open)?;
                    depth -= 1;
                    after
                }
                // Comments, CDATA, DOCTYPE, processing instructions: the parser's.
                b'!' | b'?' => return None,
                _ => {
                    // The element is read into the next stack slot in place (a copy of it
                    // stalled on its own fresh stores); it stays there only if it has children.
                    let parent = stack[..depth].last().map(|open| open.node);
                    let slot = stack.get_mut(depth)?;
                    let (gt, self_closing) = self.start_tag(lt, parent, slot)?;
                    let open = *slot;
                    let live = open.node != DEAD && self.trie.is_picked(open.node as usize);
                    if self_closing {
                        if live {
                            self.hit_all(open.node, None);
                        }
                        gt + 1
                    } else {
                        let (next, amp) = self.next_lt(gt + 1)?;
                        if amp {
                            self.check_references(gt + 1, next)?;
                        }
                        if let Some(after) = self.end_tag_at(next, &open) {
                            // A leaf: text, then its own end tag.
                            if live {
                                let text = if self.trie.needs_text(open.node as usize) {
                                    self.text(gt + 1, next, amp)?
                                } else {
                                    None
                                };
                                self.hit_all(open.node, text);
                            }
                            after
                        } else {
                            if live {
                                if self.trie.needs_text(open.node as usize) {
                                    // Text mixed with markup: the parser decides.
                                    return None;
                                }
                                self.hit_all(open.node, None);
                            }
                            depth += 1;
                            lt = next;
                            continue;
                        }
                    }
                }
            };
            if depth == 0 {
                // The root element ended: only whitespace may follow.
                return self.b[after..]
                    .iter()
                    .all(|&c| is_ws(c))
                    .then(|| self.collector.finish());
            }
            let (next, amp) = self.next_lt(after)?;
            if amp {
                self.check_references(after, next)?;
            }
            lt = next;
        }
    }

    /// Skips whitespace and an XML declaration; the `<` of the root element.
    fn prolog(&self) -> Option<usize> {
        let b = self.b;
        let mut pos = self.skip_ws(0);
        if b[pos..].starts_with(b"<?xml") && b.get(pos + 5).copied().is_some_and(is_ws) {
            pos += 5 + b[pos + 5..].windows(2).position(|w| w == b"?>")? + 2;
            pos = self.skip_ws(pos);
        }
        (b.get(pos).copied()? == b'<').then_some(pos)
    }

    #[inline]
    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && is_ws(self.b[i]) {
            i += 1;
        }
        i
    }

    /// The next `<` at or after `from`, and whether an `&` comes before it: a few words at a
    /// time first (most text between tags is indentation or a short value), `memchr` beyond.
    #[inline(always)]
    fn next_lt(&self, from: usize) -> Option<(usize, bool)> {
        let b = self.b;
        let mut at = from;
        let mut amp = false;
        while at < from + SHORT_TEXT {
            let Some(w) = swar::word(b, at) else { break };
            let lt = swar::eq(w, b'<');
            let amps = swar::eq(w, b'&');
            if lt != 0 {
                let i = swar::first(lt);
                return Some((at + i, amp || amps & swar::first_bytes(i) != 0));
            }
            amp |= amps != 0;
            at += 8;
        }
        for i in memchr::memchr2_iter(b'<', b'&', &b[at..]) {
            if b[at + i] == b'<' {
                return Some((at + i, amp));
            }
            amp = true;
        }
        None
    }

    /// Every `&` in the text `from..lt` must start a known reference.
    #[cold]
    fn check_references(&self, from: usize, lt: usize) -> Option<()> {
        xml::decode_entities(self.doc.get(from..lt)?, from)
            .ok()
            .map(|_| ())
    }

    /// If the end tag of `open` starts at `lt`, the position after its `>`.
    #[inline(always)]
    fn end_tag_at(&self, lt: usize, open: &Open) -> Option<usize> {
        let b = self.b;
        if b.get(lt + 1).copied()? != b'/' {
            return None;
        }
        let name = lt + 2;
        let len = open.len as usize;
        let matches = match swar::word(b, name) {
            Some(w) if open.word != 0 => w & swar::first_bytes(len) == open.word,
            _ => {
                let at = open.name_at as usize;
                b.get(name..name + len)? == &b[at..at + len]
            }
        };
        if !matches {
            return None;
        }
        match b.get(name + len).copied()? {
            b'>' => Some(name + len + 1),
            c if is_ws(c) => {
                let gt = self.skip_ws(name + len);
                (b.get(gt).copied()? == b'>').then_some(gt + 1)
            }
            _ => None,
        }
    }

    /// Reads the start tag at `lt` below `parent` (none: the root element) into `open`;
    /// returns where its `>` is and whether it was `/>`.
    #[inline(always)]
    fn start_tag(&self, lt: usize, parent: Option<u32>, open: &mut Open) -> Option<(usize, bool)> {
        let name_at = lt + 1;
        let (len, word) = match self.short_name(name_at) {
            Some((len, word)) => (len, word),
            None => (self.long_name(name_at)?, 0),
        };
        let end = name_at + len;
        let (gt, self_closing) = if self.b[end] == b'>' {
            (end, false)
        } else {
            attributes::check(self.doc, end)?
        };
        let node = match parent {
            None => PathTrie::ROOT as u32,
            Some(parent) if parent == DEAD || self.trie.is_leaf(parent as usize) => DEAD,
            Some(parent) => self
                .trie
                .child_of_named(
                    parent as usize,
                    &self.b[name_at..name_at + len],
                    (word != 0).then_some(word),
                )
                .map_or(DEAD, |n| n as u32),
        };
        *open = Open {
            word,
            name_at: u32::try_from(name_at).ok()?,
            len: len as u32,
            node,
        };
        Some((gt, self_closing))
    }

    /// A tag name of one to eight plain bytes at `at`, as its length and word: it ends at
    /// whitespace, `/` or `>`; a control byte, `<`, `=`, a quote, `&` or `#` in it, or a name
    /// that does not end within the word, is not handled here.
    #[inline(always)]
    fn short_name(&self, at: usize) -> Option<(usize, u64)> {
        let w = swar::word(self.b, at)?;
        let ends = swar::eq(w, b'>') | swar::eq(w, b'/') | swar::below(w, 0x21);
        let len = if ends != 0 {
            swar::first(ends)
        } else if matches!(
            self.b.get(at + 8).copied()?,
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'
        ) {
            8
        } else {
            return None;
        };
        let keep = swar::first_bytes(len);
        // Clearing the low bit pairs the bytes up: `"#`, `&'`, `<=` (a `#` is no name byte
        // either), three comparisons for six bytes.
        let paired = w & 0xFEFE_FEFE_FEFE_FEFE;
        let odd = swar::eq(paired, b'"') | swar::eq(paired, b'&') | swar::eq(paired, b'<');
        (len > 0 && odd & keep == 0).then_some((len, w & keep))
    }

    /// The length of a longer tag name at `at`, checked byte by byte as [`Self::short_name`]
    /// checks a word.
    #[cold]
    fn long_name(&self, at: usize) -> Option<usize> {
        let rest = self.b.get(at..)?;
        let len = rest
            .iter()
            .position(|&c| matches!(c, b'>' | b'/') || c < 0x21)?;
        let name = &rest[..len];
        (len > 0
            && !name
                .iter()
                .any(|c| matches!(c, b'<' | b'=' | b'"' | b'\'' | b'&')))
        .then_some(len)
    }

    fn hit_all(&mut self, node: u32, text: Option<Cow<'a, str>>) {
        match self.trie.fields(node as usize) {
            [field] => self.collector.hit(*field, text),
            fields => {
                for &field in fields {
                    self.collector.hit(field, text.clone());
                }
            }
        }
    }

    /// The cleaned text of `from..lt` (no markup inside), references decoded when `amp`.
    #[inline]
    fn text(&self, from: usize, lt: usize, amp: bool) -> Option<Option<Cow<'a, str>>> {
        let raw = self.doc.get(from..lt)?;
        let text = if amp {
            xml::decode_entities(raw, from).ok()?
        } else {
            Cow::Borrowed(raw)
        };
        Some(xml::clean_cow(xml::normalize_eol(text)))
    }
}
