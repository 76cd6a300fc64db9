//! Strategy 3: pull quick-xml events and keep only the text of elements on a wanted path.
//! Nothing else is built; the parse still checks the whole document.

use std::borrow::Cow;

use crate::error::PickError;
use crate::fields::{Collector, PathTrie, Picked, word_at};
use crate::xml::{self, Handler, Visit};

/// An open element on a wanted path. What the picker asks of its trie node on every event
/// inside it is copied here once: each question went through three dependent loads (the stack,
/// the trie's nodes, the node's lists), and the first of them showed as a tenth of the parse.
struct Frame<'a> {
    node: usize,
    /// [`PathTrie::needs_text`] of `node`, asked for every piece of text inside it.
    needs_text: bool,
    /// [`PathTrie::is_leaf`] of `node`: no wanted path goes on below it.
    leaf: bool,
    /// Whether a field ends at `node`, asked at its end.
    picked: bool,
    text: Option<Cow<'a, str>>,
}

struct Picker<'t, 'a> {
    trie: &'t PathTrie,
    /// The document, to read a name as one word in place (see [`word_in`]).
    doc: &'a [u8],
    /// The open elements on a wanted path, innermost last (the parse skips the others).
    stack: Vec<Frame<'a>>,
    collector: Collector<'a>,
}

impl<'a> Handler<'a> for Picker<'_, 'a> {
    #[inline]
    fn start(&mut self, qname: &'a str) -> Visit {
        let node = match self.stack.last() {
            None => Some(PathTrie::ROOT),
            // Below a field's element no path goes on: no name to look up.
            Some(parent) if parent.leaf => None,
            Some(parent) => {
                let name = qname.as_bytes();
                self.trie
                    .child_of_named(parent.node, name, word_in(self.doc, name))
            }
        };
        match node {
            Some(node) => {
                self.stack.push(Frame {
                    node,
                    needs_text: self.trie.needs_text(node),
                    leaf: self.trie.is_leaf(node),
                    picked: self.trie.is_picked(node),
                    text: None,
                });
                Visit::Enter
            }
            // No wanted path enters it: the parse checks it without telling us.
            None => Visit::Skip,
        }
    }

    #[inline]
    fn attribute(&mut self, _qname: &str, _value: &str) {}

    #[inline]
    fn wants_attributes(&self) -> bool {
        false
    }

    #[inline]
    fn wants_text(&self) -> bool {
        self.stack.last().is_some_and(|f| f.needs_text)
    }

    #[inline]
    fn text(&mut self, text: Cow<'a, str>) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        match &mut frame.text {
            None => frame.text = Some(text),
            Some(before) => before.to_mut().push_str(&text),
        }
    }

    #[inline]
    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if !frame.picked {
            return;
        }
        let text = frame.text.and_then(xml::clean_cow);
        match self.trie.fields(frame.node) {
            [field] => self.collector.hit(*field, text),
            fields => {
                for &field in fields {
                    self.collector.hit(field, text.clone());
                }
            }
        }
    }
}

/// [`word_at`] for `name`, a slice of `doc` (the parse hands out names borrowed from it).
#[inline]
fn word_in(doc: &[u8], name: &[u8]) -> Option<u64> {
    let at = (name.as_ptr() as usize).wrapping_sub(doc.as_ptr() as usize);
    word_at(doc, at, name.len())
}

pub fn pick_doc(trie: &PathTrie, doc: &str) -> Result<Picked, PickError> {
    let mut picker = Picker {
        trie,
        doc: doc.as_bytes(),
        stack: Vec::with_capacity(16),
        collector: Collector::new(),
    };
    xml::parse(doc, &mut picker)?;
    Ok(picker.collector.finish())
}

pub fn pick(trie: &PathTrie, bytes: &[u8]) -> Result<Picked, PickError> {
    pick_doc(trie, xml::check_document(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::word_in;
    use crate::fields::short_name;

    #[test]
    fn a_name_borrowed_from_the_document_is_read_in_place() {
        let doc = b"<E1EDK01><BELNR>4500</BELNR></E1EDK01>";
        assert_eq!(word_in(doc, &doc[10..15]), short_name(b"BELNR"));
        // Too near the end for a word read: the caller packs it byte by byte instead.
        assert_eq!(word_in(doc, &doc[31..37]), None);
    }
}
