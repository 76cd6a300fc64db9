//! Markdown to styled ratatui text: pulldown-cmark events, not raw Markdown on screen.
//! Headings, emphasis, strong, inline code, code blocks, lists (nested, numbered), quotes,
//! links and rules. Wrapping is left to the `Paragraph` that shows the text.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

use super::theme::Theme;

/// Renders `markdown` as styled lines.
pub fn render(markdown: &str, theme: Theme) -> Text<'static> {
    let mut r = Renderer {
        theme,
        lines: Vec::new(),
        current: Vec::new(),
        styles: vec![Style::new()],
        lists: Vec::new(),
        quote: 0,
        in_code_block: false,
        pending_item: None,
    };
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        r.event(event);
    }
    r.flush();
    while r.lines.last().is_some_and(|l| l.spans.is_empty()) {
        r.lines.pop();
    }
    Text::from(r.lines)
}

struct Renderer {
    theme: Theme,
    lines: Vec<Line<'static>>,
    current: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// One entry per open list: the next number of an ordered list.
    lists: Vec<Option<u64>>,
    quote: usize,
    in_code_block: bool,
    /// The bullet of a list item not yet written.
    pending_item: Option<String>,
}

impl Renderer {
    fn style(&self) -> Style {
        *self.styles.last().expect("base style")
    }

    fn push_style(&mut self, style: Style) {
        let merged = self.style().patch(style);
        self.styles.push(merged);
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    /// Indentation and quote bars for a new line.
    fn prefix(&mut self) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for _ in 0..self.quote {
            spans.push(Span::styled("▎ ", self.theme.dim()));
        }
        let depth = self.lists.len();
        if let Some(bullet) = self.pending_item.take() {
            let indent = "  ".repeat(depth.saturating_sub(1));
            spans.push(Span::styled(
                format!("{indent}{bullet}"),
                self.theme.accent(),
            ));
        } else if depth > 0 {
            let width = 2 * depth.saturating_sub(1) + 2;
            spans.push(Span::raw(" ".repeat(width)));
        }
        spans
    }

    fn text(&mut self, text: &str) {
        if self.current.is_empty() {
            self.current = self.prefix();
        }
        self.current
            .push(Span::styled(text.to_owned(), self.style()));
    }

    /// Ends the line being built (if any).
    fn flush(&mut self) {
        if !self.current.is_empty() {
            let spans = std::mem::take(&mut self.current);
            self.lines.push(Line::from(spans));
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
                        spans.push(Span::styled("│ ", self.theme.dim()));
                        spans.push(Span::styled(line.to_owned(), self.theme.code()));
                        self.lines.push(Line::from(spans));
                    }
                } else {
                    self.text(&text);
                }
            }
            Event::Code(code) => {
                if self.current.is_empty() {
                    self.current = self.prefix();
                }
                let style = self.style().patch(self.theme.code());
                self.current.push(Span::styled(code.into_string(), style));
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.blank();
                self.lines
                    .push(Line::styled("─".repeat(40), self.theme.dim()));
                self.lines.push(Line::default());
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::FootnoteReference(name) => self.text(&format!("[{name}]")),
            Event::InlineMath(m) | Event::DisplayMath(m) => self.text(&m),
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
                self.push_style(self.theme.heading(n));
                let marker = match n {
                    1 => "",
                    2 => "▌ ",
                    _ => "  ",
                };
                if !marker.is_empty() {
                    self.text(marker);
                }
            }
            Tag::BlockQuote(_) => {
                self.blank();
                self.quote += 1;
                self.push_style(self.theme.dim());
            }
            Tag::CodeBlock(kind) => {
                self.blank();
                self.in_code_block = true;
                if let CodeBlockKind::Fenced(lang) = kind
                    && !lang.is_empty()
                {
                    let mut spans = self.prefix();
                    spans.push(Span::styled(format!("╭ {lang}"), self.theme.dim()));
                    self.lines.push(Line::from(spans));
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
            Tag::Emphasis => self.push_style(self.theme.emphasis()),
            Tag::Strong => self.push_style(self.theme.strong()),
            Tag::Strikethrough => {
                self.push_style(Style::new().add_modifier(ratatui::style::Modifier::CROSSED_OUT));
            }
            Tag::Link { .. } => self.push_style(self.theme.link()),
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
                self.pop_style();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.pop_style();
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
                self.pop_style();
            }
            TagEnd::TableHead | TagEnd::TableRow => self.flush(),
            TagEnd::TableCell => self.text(" "),
            _ => {}
        }
    }
}

/// The plain text of styled lines (for tests and width checks).
pub fn plain(text: &Text<'_>) -> String {
    text.lines
        .iter()
        .map(|line| {
            line.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn markup_becomes_styles_not_characters() {
        let text = render(
            "## Action\n\nI *profiled* it with **cProfile** and `xmltodict`.\n",
            Theme::colored(),
        );
        let shown = plain(&text);
        assert_eq!(
            shown,
            "▌ Action\n\nI profiled it with cProfile and xmltodict."
        );
        let spans = &text.lines[2].spans;
        let find = |word: &str| spans.iter().find(|s| s.content == word).unwrap().style;
        assert!(find("profiled").add_modifier.contains(Modifier::ITALIC));
        assert!(find("cProfile").add_modifier.contains(Modifier::BOLD));
        assert_eq!(find("xmltodict"), Theme::colored().code());
        assert!(
            text.lines[0].spans[1]
                .style
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }

    #[test]
    fn lists_nest_and_number_and_code_blocks_keep_their_lines() {
        let text = render(
            "- one\n- two\n  1. first\n  2. second\n\n```rust\nfn main() {}\nlet x = 1;\n```\n",
            Theme::monochrome(),
        );
        assert_eq!(
            plain(&text),
            "• one\n• two\n  1. first\n  2. second\n\n╭ rust\n│ fn main() {}\n│ let x = 1;"
        );
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        let text = render("first\nline\n\nsecond\n\n> quoted\n", Theme::monochrome());
        assert_eq!(plain(&text), "first line\n\nsecond\n\n▎ quoted");
    }
}
