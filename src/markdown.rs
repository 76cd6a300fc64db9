//! The one Markdown renderer: pulldown-cmark events to lines of text with a semantic look
//! (heading, emphasis, code, ...), never raw markup. `rehearse show` turns the looks into ANSI
//! codes, the TUI into its theme's styles, so both show a story the same way.
//!
//! Headings, emphasis, strong, strikethrough, inline code, code blocks, lists (nested,
//! numbered), quotes, links, rules and tables. HTML comments (an author's private notes) are
//! dropped; other inline HTML is shown as text. Wrapping is left to the front end.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How a piece of text should look; a front end maps each flag to its own styling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// 1 (title), 2 (section) or 3 (smaller).
    pub heading: Option<u8>,
    pub emphasis: bool,
    pub strong: bool,
    pub strike: bool,
    pub link: bool,
    pub code: bool,
    /// Secondary text: quotes, code-block frames, rules.
    pub dim: bool,
    /// List bullets and numbers.
    pub accent: bool,
}

/// A run of text with one look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub look: Look,
}

/// One line; an empty one separates blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    /// The line's text without its looks.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Renders `markdown` as lines (no trailing blank line).
pub fn render(markdown: &str) -> Vec<Line> {
    let mut r = Renderer::default();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    r.lines
}

/// The plain text of rendered lines, one per line.
pub fn plain(lines: &[Line]) -> String {
    lines.iter().map(Line::text).collect::<Vec<_>>().join("\n")
}

#[derive(Default)]
struct Renderer {
    lines: Vec<Line>,
    current: Vec<Span>,
    looks: Vec<Look>,
    /// One entry per open list: the next number of an ordered list.
    lists: Vec<Option<u64>>,
    quote: usize,
    in_code_block: bool,
    /// The bullet of a list item not yet written.
    pending_item: Option<String>,
    /// Inside an HTML comment that spans events.
    in_comment: bool,
}

fn span(text: impl Into<String>, look: Look) -> Span {
    Span {
        text: text.into(),
        look,
    }
}

const DIM: Look = Look {
    heading: None,
    emphasis: false,
    strong: false,
    strike: false,
    link: false,
    code: false,
    dim: true,
    accent: false,
};

impl Renderer {
    fn look(&self) -> Look {
        self.looks.last().copied().unwrap_or_default()
    }

    fn push_look(&mut self, change: impl FnOnce(&mut Look)) {
        let mut look = self.look();
        change(&mut look);
        self.looks.push(look);
    }

    fn pop_look(&mut self) {
        self.looks.pop();
    }

    /// Indentation and quote bars for a new line.
    fn prefix(&mut self) -> Vec<Span> {
        let mut spans = Vec::new();
        for _ in 0..self.quote {
            spans.push(span("▎ ", DIM));
        }
        let depth = self.lists.len();
        if let Some(bullet) = self.pending_item.take() {
            let indent = "  ".repeat(depth.saturating_sub(1));
            let accent = Look {
                accent: true,
                ..Look::default()
            };
            spans.push(span(format!("{indent}{bullet}"), accent));
        } else if depth > 0 {
            let width = 2 * depth.saturating_sub(1) + 2;
            spans.push(span(" ".repeat(width), Look::default()));
        }
        spans
    }

    fn text(&mut self, text: &str) {
        if self.current.is_empty() {
            self.current = self.prefix();
        }
        let look = self.look();
        self.current.push(span(text, look));
    }

    /// Ends the line being built (if any).
    fn flush(&mut self) {
        if !self.current.is_empty() {
            let spans = std::mem::take(&mut self.current);
            self.lines.push(Line { spans });
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if self.in_code_block {
                    for line in text.lines() {
                        self.flush();
                        let mut spans = self.prefix();
                        spans.push(span("│ ", DIM));
                        let code = Look {
                            code: true,
                            ..Look::default()
                        };
                        spans.push(span(line, code));
                        self.lines.push(Line { spans });
                    }
                } else {
                    self.text(&text);
                }
            }
            Event::Code(code) => {
                if self.current.is_empty() {
                    self.current = self.prefix();
                }
                let mut look = self.look();
                look.code = true;
                self.current.push(span(code.into_string(), look));
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.blank();
                self.lines.push(Line {
                    spans: vec![span("─".repeat(40), DIM)],
                });
                self.lines.push(Line::default());
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::InlineMath(m) | Event::DisplayMath(m) => self.text(&m),
        }
    }

    /// Shows HTML as text, except comments: they are private notes and never leave the story
    /// file (a block comment arrives one line at a time).
    fn html(&mut self, mut html: &str) {
        while !html.is_empty() {
            if self.in_comment {
                match html.find("-->") {
                    Some(end) => {
                        html = &html[end + 3..];
                        self.in_comment = false;
                    }
                    None => return,
                }
            } else {
                let (shown, rest) = match html.find("<!--") {
                    Some(start) => {
                        self.in_comment = true;
                        (&html[..start], &html[start + 4..])
                    }
                    None => (html, ""),
                };
                let shown = shown.trim_end_matches('\n');
                if !shown.trim().is_empty() {
                    self.text(shown);
                }
                html = rest;
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph if self.pending_item.is_none() && self.lists.is_empty() => self.blank(),
            Tag::Heading { level, .. } => {
                self.blank();
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                // A front end may mark the level (the TUI draws `▌ ` before a section).
                self.push_look(|l| l.heading = Some(n));
            }
            Tag::BlockQuote(_) => {
                self.blank();
                self.quote += 1;
                self.push_look(|l| l.dim = true);
            }
            Tag::CodeBlock(kind) => {
                self.blank();
                self.in_code_block = true;
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    let mut spans = self.prefix();
                    spans.push(span(format!("╭ {lang}"), DIM));
                    self.lines.push(Line { spans });
                }
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.flush();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let bullet = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let bullet = format!("{n}. ");
                        *n += 1;
                        bullet
                    }
                    _ => "• ".to_owned(),
                };
                self.pending_item = Some(bullet);
            }
            Tag::Emphasis => self.push_look(|l| l.emphasis = true),
            Tag::Strong => self.push_look(|l| l.strong = true),
            Tag::Strikethrough => self.push_look(|l| l.strike = true),
            Tag::Link { .. } => self.push_look(|l| l.link = true),
            Tag::Table(_) | Tag::TableHead | Tag::TableRow => self.flush(),
            Tag::TableCell => self.text("│ "),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.pop_look();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.pop_look();
            }
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.flush();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                if self.pending_item.is_some() {
                    // An empty item still shows its bullet.
                    self.current = self.prefix();
                }
                self.flush();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.pop_look();
            }
            TagEnd::TableHead | TagEnd::TableRow => self.flush(),
            TagEnd::TableCell => self.text(" "),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_looks_not_characters() {
        let lines = render("## Action\n\nI *profiled* it with **cProfile** and `xmltodict`.\n");
        assert_eq!(
            plain(&lines),
            "Action\n\nI profiled it with cProfile and xmltodict."
        );
        let find = |word: &str| lines[2].spans.iter().find(|s| s.text == word).unwrap().look;
        assert!(find("profiled").emphasis);
        assert!(find("cProfile").strong);
        assert!(find("xmltodict").code);
        assert_eq!(lines[0].spans[0].look.heading, Some(2));
    }

    #[test]
    fn lists_nest_and_number_and_code_blocks_keep_their_lines() {
        let lines = render(
            "- one\n- two\n  1. first\n  2. second\n\n```rust\nfn main() {}\nlet x = 1;\n```\n",
        );
        assert_eq!(
            plain(&lines),
            "• one\n• two\n  1. first\n  2. second\n\n╭ rust\n│ fn main() {}\n│ let x = 1;"
        );
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        let lines = render("first\nline\n\nsecond\n\n> quoted\n");
        assert_eq!(plain(&lines), "first line\n\nsecond\n\n▎ quoted");
    }

    #[test]
    fn html_comments_never_show() {
        let lines = render(
            "Said it. <!-- private: ask Sam -->Done.\n\n<!--\nnote to self\n-->\n\nEnd <b>bold</b>\n",
        );
        let text = plain(&lines);
        assert!(
            !text.contains("private") && !text.contains("note to self"),
            "{text}"
        );
        assert!(text.contains("Said it. Done."), "{text}");
        assert!(text.contains("<b>"), "other HTML is shown as text: {text}");
    }
}
