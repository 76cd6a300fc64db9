//! Strategy 1: convert the whole record into a nested map the way `xmltodict.parse` does, then
//! pick the fields from the map. This is the reference every other strategy is compared with.

use std::borrow::Cow;

use crate::error::PickError;
use crate::fields::{Collector, FIELDS, Picked, local_name};
use crate::xml::{self, Handler, Visit};

/// A converted element, shaped like xmltodict's output.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// An empty element: `None` in Python.
    Null,
    /// An element with only text (stripped).
    Text(String),
    /// Attributes as `@name`, children by name, text as `#text`, in document order.
    Map(Vec<(String, Node)>),
    /// A name that occurred more than once under the same parent.
    List(Vec<Node>),
}

impl Node {
    fn text(&self) -> Option<&str> {
        match self {
            Node::Text(s) => Some(s),
            Node::Map(entries) => entries.iter().find_map(|(k, v)| match (k.as_str(), v) {
                ("#text", Node::Text(s)) => Some(s.as_str()),
                _ => None,
            }),
            Node::Null | Node::List(_) => None,
        }
    }
}

#[derive(Default)]
struct Frame {
    name: String,
    entries: Vec<(String, Node)>,
    text: String,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Vec<(String, Node)>,
}

/// xmltodict's `push_data`: a repeated key turns into a list.
fn push_entry(entries: &mut Vec<(String, Node)>, key: String, value: Node) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some((_, Node::List(items))) => items.push(value),
        Some((_, existing)) => {
            let first = std::mem::replace(existing, Node::Null);
            *existing = Node::List(vec![first, value]);
        }
        None => entries.push((key, value)),
    }
}

impl<'a> Handler<'a> for Builder {
    fn start(&mut self, qname: &str) -> Visit {
        self.stack.push(Frame {
            name: qname.to_owned(),
            ..Frame::default()
        });
        Visit::Enter
    }

    fn attribute(&mut self, qname: &str, value: &str) {
        if let Some(frame) = self.stack.last_mut() {
            push_entry(
                &mut frame.entries,
                ["@", qname].concat(),
                Node::Text(value.to_owned()),
            );
        }
    }

    fn text(&mut self, text: Cow<'a, str>) {
        if let Some(frame) = self.stack.last_mut() {
            // Leading whitespace goes at the final strip anyway: no need to allocate for it.
            if frame.text.is_empty() && text.trim().is_empty() {
                return;
            }
            frame.text.push_str(&text);
        }
    }

    fn end(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let text = crate::fields::clean(&frame.text);
        let node = if frame.entries.is_empty() {
            text.map_or(Node::Null, |t| Node::Text(t.to_owned()))
        } else {
            let mut entries = frame.entries;
            if let Some(t) = text {
                entries.push(("#text".to_owned(), Node::Text(t.to_owned())));
            }
            Node::Map(entries)
        };
        let parent = match self.stack.last_mut() {
            Some(parent) => &mut parent.entries,
            None => &mut self.root,
        };
        push_entry(parent, frame.name, node);
    }
}

/// `xmltodict.parse(record)`: the whole document as `{root_name: node}`.
pub fn convert(doc: &str) -> Result<Node, PickError> {
    let mut builder = Builder::default();
    xml::parse(doc, &mut builder)?;
    Ok(Node::Map(builder.root))
}

/// Feeds `collector` every node at `path` below `node`, in document order.
fn visit<'n>(node: &'n Node, path: &[&str], field: usize, collector: &mut Collector<'n>) {
    if collector.is_done(field) {
        return;
    }
    let Some((step, rest)) = path.split_first() else {
        collector.hit(field, node.text().map(Cow::Borrowed));
        return;
    };
    let Node::Map(entries) = node else { return };
    for (key, child) in entries {
        if key.starts_with(['@', '#']) || local_name(key.as_bytes()) != step.as_bytes() {
            continue;
        }
        match child {
            Node::List(items) => {
                for item in items {
                    visit(item, rest, field, collector);
                }
            }
            other => visit(other, rest, field, collector),
        }
    }
}

/// Picks the fields out of a converted document.
pub fn pick_from(tree: &Node) -> Result<Picked, PickError> {
    let Node::Map(top) = tree else {
        return Err(PickError::NoRoot);
    };
    let (_, root) = top.first().ok_or(PickError::NoRoot)?;
    let mut collector = Collector::new();
    for (field, spec) in FIELDS.iter().enumerate() {
        visit(root, spec.path, field, &mut collector);
    }
    Ok(collector.finish())
}

pub fn pick(bytes: &[u8]) -> Result<Picked, PickError> {
    let doc = xml::check_document(bytes)?;
    pick_from(&convert(doc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Node {
        Node::Text(s.into())
    }

    #[test]
    fn converts_like_xmltodict() {
        let tree =
            convert(r#"<r><a x="1">hi</a><b> 1 </b><b>2</b><c/><d><e>t</e>tail</d></r>"#).unwrap();
        let expected = Node::Map(vec![(
            "r".into(),
            Node::Map(vec![
                (
                    "a".into(),
                    Node::Map(vec![("@x".into(), t("1")), ("#text".into(), t("hi"))]),
                ),
                ("b".into(), Node::List(vec![t("1"), t("2")])),
                ("c".into(), Node::Null),
                (
                    "d".into(),
                    Node::Map(vec![("e".into(), t("t")), ("#text".into(), t("tail"))]),
                ),
            ]),
        )]);
        assert_eq!(tree, expected);
    }
}
