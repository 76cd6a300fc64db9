//! The core Markdown renderer's lines ([`crate::markdown`]) in the theme's styles: the TUI
//! and `rehearse show` render a story with the same code.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};

use super::theme::Theme;
use crate::markdown::Look;

/// Renders `markdown` as styled lines.
pub fn render(markdown: &str, theme: Theme) -> Text<'static> {
    let lines: Vec<Line<'static>> = crate::markdown::render(markdown)
        .into_iter()
        .map(|line| {
            let heading = line.spans.first().and_then(|s| s.look.heading);
            let marker = match heading {
                Some(2) => Some("▌ "),
                Some(3) => Some("  "),
                _ => None,
            };
            let mut spans: Vec<Span<'static>> = Vec::new();
            if let (Some(marker), Some(first)) = (marker, line.spans.first()) {
                spans.push(Span::styled(marker, style(first.look, theme)));
            }
            spans.extend(
                line.spans
                    .into_iter()
                    .map(|s| Span::styled(s.text, style(s.look, theme))),
            );
            Line::from(spans)
        })
        .collect();
    Text::from(lines)
}

/// A look in the theme's styles.
fn style(look: Look, theme: Theme) -> Style {
    let mut style = Style::new();
    if look.dim {
        style = style.patch(theme.dim());
    }
    if let Some(level) = look.heading {
        style = style.patch(theme.heading(level));
    }
    if look.link {
        style = style.patch(theme.link());
    }
    if look.emphasis {
        style = style.patch(theme.emphasis());
    }
    if look.strong {
        style = style.patch(theme.strong());
    }
    if look.strike {
        style = style.add_modifier(Modifier::CROSSED_OUT);
    }
    if look.code {
        style = style.patch(theme.code());
    }
    if look.accent {
        style = style.patch(theme.accent());
    }
    style
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
