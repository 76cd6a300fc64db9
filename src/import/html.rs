//! Notes saved as HTML (a saved web page, Google Docs' "Web page", Apple Notes, OneNote,
//! Confluence) or as an Evernote export (`.enex`, ENML inside CDATA) turned into text lines
//! before the stories are looked for: block elements end lines (`<div><br/></div>` is a blank
//! line), `h1`-`h6` become Markdown headings, list items `- ` or `1. ` (nested lists indented),
//! table rows Markdown table rows, bold (`<b>`, `<strong>`, an inline `font-weight: bold`)
//! stays `**`; other tags are taken off, entities decoded, and `<head>`, `<script>`, `<style>`
//! and an export's metadata (dates, attachments) dropped. Only markup is dropped: every word
//! a reader sees stays. Hand-written and tolerant, as HTML people save is seldom valid XML
//! (`<br>`, `&nbsp;`, unclosed `<p>`).

use std::path::Path;

/// Extensions that are HTML whatever the file holds.
const HTML_EXTENSIONS: [&str; 4] = ["html", "htm", "xhtml", "enex"];

/// Elements whose content is not text a reader sees.
const DROPPED: [&str; 13] = [
    "head",
    "script",
    "style",
    "template",
    "noscript",
    "svg",
    "created",
    "updated",
    "note-attributes",
    "resource",
    "tag",
    "xmp",
    "object",
];

/// Elements that end a line where they start and end.
const LINE_BLOCKS: [&str; 19] = [
    "div",
    "en-note",
    "note",
    "body",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "details",
    "center",
    "content",
];

/// Elements with a blank line before and after (a `<summary>` is its `<details>` block's
/// title, so it stands alone as a title line does).
const PARAGRAPH_BLOCKS: [&str; 7] = ["p", "blockquote", "pre", "dl", "title", "table", "summary"];

/// Tag names that mark a line as HTML when the content decides.
const BLOCK_TAGS: [&str; 16] = [
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "tr", "td",
    "span",
];

/// True when the file is HTML: by its extension, or by how it starts (a doctype, `<html>`,
/// an Evernote export or note, after an XML declaration), or when most of its lines are
/// block tags (a fragment copied out of a page).
pub fn is_html(path: &Path, text: &str) -> bool {
    let by_name = path.extension().is_some_and(|e| {
        HTML_EXTENSIONS
            .iter()
            .any(|known| e.eq_ignore_ascii_case(known))
    });
    by_name || starts_as_html(text) || mostly_block_tags(text)
}

fn starts_as_html(text: &str) -> bool {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    if rest.starts_with("<?xml")
        && let Some(end) = rest.find("?>")
    {
        rest = rest[end + 2..].trim_start();
    }
    let head: String = rest
        .chars()
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype html",
        "<!doctype en-",
        "<html",
        "<en-export",
        "<en-note",
    ]
    .iter()
    .any(|start| head.starts_with(start))
}

/// At least three lines with text, and four in five of them opening with a block tag.
fn mostly_block_tags(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tagged = lines
        .iter()
        .filter(|line| {
            let Some(rest) = line.strip_prefix('<') else {
                return false;
            };
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            let name: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            BLOCK_TAGS.contains(&name.as_str())
        })
        .count();
    lines.len() >= 3 && tagged * 5 >= lines.len() * 4
}

/// One tag as written: its name (lower case), whether it closes, and its attributes' text.
struct Tag<'a> {
    name: String,
    closing: bool,
    attributes: &'a str,
}

/// The text a reader of the HTML sees, as Markdown-ish lines.
pub fn to_text(html: &str) -> String {
    let mut out = Writer::default();
    let mut rest = html.trim_start_matches('\u{feff}');
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            out.text(rest);
            break;
        };
        out.text(&rest[..open]);
        rest = &rest[open..];
        rest = match markup(rest) {
            Markup::Skip(len) => &rest[len..],
            Markup::Cdata(inner, len) => {
                // ENML sits inside CDATA in an Evernote export: read it as markup too.
                out.raw(inner);
                &rest[len..]
            }
            Markup::Tag(tag, len) => {
                let after = &rest[len..];
                if !tag.closing && DROPPED.contains(&tag.name.as_str()) {
                    skip_element(after, &tag.name)
                } else {
                    out.tag(&tag);
                    after
                }
            }
            Markup::Text => {
                out.text("<");
                &rest[1..]
            }
        };
    }
    out.finish()
}

enum Markup<'a> {
    /// A comment, a doctype or a processing instruction, and its length.
    Skip(usize),
    /// CDATA's content, and the whole section's length.
    Cdata(&'a str, usize),
    Tag(Tag<'a>, usize),
    /// A `<` that opens no markup ("a < b").
    Text,
}

fn markup(rest: &str) -> Markup<'_> {
    if let Some(body) = rest.strip_prefix("<![CDATA[") {
        let end = body.find("]]>").unwrap_or(body.len());
        let len = 9 + (end + 3).min(body.len());
        return Markup::Cdata(&body[..end], len);
    }
    if let Some(comment) = rest.strip_prefix("<!--") {
        let len = comment.find("-->").map_or(rest.len(), |i| i + 7);
        return Markup::Skip(len);
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return Markup::Skip(rest.find('>').map_or(rest.len(), |i| i + 1));
    }
    let closing = rest.starts_with("</");
    let name_start = if closing { 2 } else { 1 };
    let name: String = rest[name_start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':'))
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Markup::Text;
    }
    let Some(end) = tag_end(rest) else {
        return Markup::Text;
    };
    let attributes = &rest[name_start + name.len()..end];
    Markup::Tag(
        Tag {
            name: name.to_ascii_lowercase(),
            closing,
            attributes,
        },
        end + 1,
    )
}

/// The offset of the `>` that ends the tag, outside quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Past the element `name` whose start tag was just read (nested ones of the same name too).
fn skip_element<'a>(rest: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}");
    let close = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    let mut depth = 1;
    let mut at = 0;
    while let Some(next) = lower[at..].find('<') {
        let here = at + next;
        let tail = &lower[here..];
        let boundary = |len: usize| !tail[len..].starts_with(|c: char| c.is_ascii_alphanumeric());
        if tail.starts_with(&close) && boundary(close.len()) {
            depth -= 1;
            if depth == 0 {
                let end = tail.find('>').map_or(lower.len(), |i| here + i + 1);
                return &rest[end..];
            }
        } else if tail.starts_with(&open) && boundary(open.len()) && !self_closing(tail) {
            depth += 1;
        }
        at = here + 1;
    }
    ""
}

fn self_closing(tail: &str) -> bool {
    tail.find('>').is_some_and(|i| tail[..i].ends_with('/'))
}

/// The lines being written, and where in the document the writer is.
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    /// Open lists: `None` for `ul`, `Some(next number)` for `ol`.
    lists: Vec<Option<u32>>,
    bold: usize,
    /// Bold opened on this line with no text after it yet.
    bold_pending: bool,
    /// Open `span`/`font` tags, and whether each one made text bold.
    spans: Vec<bool>,
    pre: usize,
    /// Inside a table cell: block ends are spaces, not line breaks.
    cell: usize,
    /// Cells of the row being read, and whether the table has had its header row yet.
    row: Option<Vec<String>>,
    table_rows: usize,
    header_cells: bool,
}

impl Writer {
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        if self.pre > 0 {
            for (i, part) in decoded.split('\n').enumerate() {
                if i > 0 {
                    self.end_line(true);
                }
                self.line.push_str(part);
            }
            return;
        }
        let mut squeezed = String::with_capacity(decoded.len());
        let mut space = false;
        for c in decoded.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space {
                    squeezed.push(' ');
                }
                space = false;
                squeezed.push(c);
            }
        }
        if space {
            squeezed.push(' ');
        }
        let at_start = self.line.trim().is_empty()
            || self.line.ends_with(' ')
            || (self.bold_pending && self.line.ends_with("**"));
        let piece = if at_start {
            squeezed.trim_start()
        } else {
            &squeezed
        };
        if !piece.trim().is_empty() {
            self.bold_pending = false;
        }
        self.line.push_str(piece);
    }

    /// Markup read as text: tags in it still count.
    fn raw(&mut self, inner: &str) {
        let text = to_text(inner);
        self.end_line(false);
        for line in text.lines() {
            self.line.push_str(line);
            self.end_line(true);
        }
    }

    /// Ends the line; with `keep_empty`, an empty line is kept too (`<br>` on its own).
    fn end_line(&mut self, keep_empty: bool) {
        if self.cell > 0 {
            if !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            return;
        }
        let line = self.line.trim_end().to_owned();
        self.line.clear();
        self.bold_pending = false;
        let empty = line.trim().is_empty() || is_only_marker(&line);
        if !empty {
            self.lines.push(line);
        } else if keep_empty {
            self.lines.push(String::new());
        }
    }

    fn blank(&mut self) {
        self.end_line(false);
        if self.cell == 0 && self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("br", _) => self.end_line(true),
            ("hr", _) => {
                self.blank();
                self.lines.push("---".to_owned());
                self.lines.push(String::new());
            }
            ("b" | "strong", false) => self.bold_on(),
            ("b" | "strong", true) => self.bold_off(),
            ("span" | "font", false) => {
                let bold = is_bold_style(tag.attributes);
                if bold {
                    self.bold_on();
                }
                self.spans.push(bold);
            }
            ("span" | "font", true) => self.span_off(),
            ("ul" | "ol", false) => {
                self.end_line(false);
                self.lists
                    .push((name == "ol").then(|| start_number(tag.attributes)));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.end_line(false);
                }
            }
            ("li", false) => self.list_item(),
            ("li", true) => self.end_line(false),
            ("tr", false) => self.row = Some(Vec::new()),
            ("tr", true) => self.end_row(),
            ("td" | "th", false) => {
                self.end_line(false);
                self.header_cells |= name == "th" && self.table_rows == 0;
                self.cell += 1;
            }
            ("td" | "th", true) => self.end_cell(),
            ("table", false) => {
                self.blank();
                self.table_rows = 0;
                self.header_cells = false;
            }
            ("pre", false) => {
                self.blank();
                self.pre += 1;
            }
            ("pre", true) => {
                self.end_line(false);
                self.pre = self.pre.saturating_sub(1);
                self.blank();
            }
            _ if heading_level(name).is_some() => {
                let level = heading_level(name).unwrap_or(1);
                self.blank();
                if !tag.closing && self.cell == 0 {
                    self.line.push_str(&"#".repeat(level));
                    self.line.push(' ');
                }
            }
            _ if PARAGRAPH_BLOCKS.contains(&name) => self.blank(),
            _ if LINE_BLOCKS.contains(&name) => self.end_line(false),
            _ => {}
        }
    }

    /// A `span` or `font` closes: its bold, if it made any, ends with it.
    fn span_off(&mut self) {
        if self.spans.pop() == Some(true) {
            self.bold_off();
        }
    }

    fn bold_on(&mut self) {
        self.bold += 1;
        if self.bold == 1 {
            self.line.push_str("**");
            self.bold_pending = true;
        }
    }

    fn bold_off(&mut self) {
        if self.bold == 0 {
            return;
        }
        self.bold -= 1;
        if self.bold > 0 {
            return;
        }
        if self.bold_pending && self.line.ends_with("**") {
            // Bold around nothing: no marks.
            self.line.truncate(self.line.len() - 2);
            self.bold_pending = false;
            return;
        }
        let trailing = self.line.len() - self.line.trim_end().len();
        self.line.truncate(self.line.len() - trailing);
        self.line.push_str("**");
        if trailing > 0 {
            self.line.push(' ');
        }
    }

    fn list_item(&mut self) {
        self.end_line(false);
        let depth = self.lists.len().max(1) - 1;
        let marker = match self.lists.last_mut() {
            Some(Some(number)) => {
                *number += 1;
                format!("{}. ", *number - 1)
            }
            _ => "- ".to_owned(),
        };
        self.line.push_str(&"    ".repeat(depth));
        self.line.push_str(&marker);
    }

    fn end_cell(&mut self) {
        self.cell = self.cell.saturating_sub(1);
        let text = std::mem::take(&mut self.line);
        let text = text.trim().replace('|', "\\|");
        self.row.get_or_insert_with(Vec::new).push(text);
    }

    /// A table row as a Markdown table row; the first row is the header (blank cells when
    /// the table has no `<th>`), followed by its delimiter row.
    fn end_row(&mut self) {
        let Some(cells) = self.row.take().filter(|c| !c.is_empty()) else {
            return;
        };
        let row = |cells: &[String]| format!("| {} |", cells.join(" | "));
        if self.table_rows == 0 {
            if !self.header_cells {
                self.lines.push(row(&vec![String::new(); cells.len()]));
                self.lines.push(row(&vec!["---".to_owned(); cells.len()]));
                self.lines.push(row(&cells));
            } else {
                self.lines.push(row(&cells));
                self.lines.push(row(&vec!["---".to_owned(); cells.len()]));
            }
        } else {
            self.lines.push(row(&cells));
        }
        self.table_rows += 1;
    }

    fn finish(mut self) -> String {
        self.end_line(false);
        let mut text = String::new();
        let mut blank = true;
        for line in &self.lines {
            if line.is_empty() {
                if !blank {
                    text.push('\n');
                }
                blank = true;
            } else {
                text.push_str(line);
                text.push('\n');
                blank = false;
            }
        }
        let end = text.trim_end_matches('\n').len();
        text.truncate(end);
        if !text.is_empty() {
            text.push('\n');
        }
        text
    }
}

/// A line holding only a list marker or a heading's `#`s: nothing a reader sees.
fn is_only_marker(line: &str) -> bool {
    let rest = line.trim().trim_start_matches('#').trim();
    rest.is_empty()
        || rest == "-"
        || (rest.ends_with('.') && rest[..rest.len() - 1].chars().all(|c| c.is_ascii_digit()))
}

fn heading_level(name: &str) -> Option<usize> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(usize::from(level - b'0')),
        _ => None,
    }
}

/// `style="font-weight: 700"` or `bold` (Google Docs and Apple Notes bold with spans).
fn is_bold_style(attributes: &str) -> bool {
    let lower = attributes.to_ascii_lowercase().replace(' ', "");
    [
        "font-weight:bold",
        "font-weight:700",
        "font-weight:800",
        "font-weight:900",
    ]
    .iter()
    .any(|bold| lower.contains(bold))
}

/// An ordered list's `start="3"`, else 1.
fn start_number(attributes: &str) -> u32 {
    let lower = attributes.to_ascii_lowercase();
    lower
        .find("start=")
        .and_then(|i| {
            lower[i + 6..]
                .trim_start_matches(['"', '\''])
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(1)
}

/// `&amp;`, `&nbsp;`, `&#8212;`, `&#x2014;` and the named entities notes hold; an unknown
/// name is kept as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let terminated = rest[end..].starts_with(';');
        match entity(name) {
            Some(c) if terminated || !name.starts_with('#') => {
                out.push(c);
                rest = &rest[end + usize::from(terminated)..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ensp" | "emsp" | "thinsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "rarr" => '→',
        "larr" => '←',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "frac12" => '½',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "shy" => '\u{ad}',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "aacute" => 'á',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        "oacute" => 'ó',
        "iacute" => 'í',
        "uacute" => 'ú',
        "Eacute" => 'É',
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
