//! Rendering: one file per screen. Every function here reads the app and draws; none changes
//! state.

pub mod demo;
pub mod drill;
pub mod help;
pub mod library;
pub mod mock;
pub mod spoken;
pub mod stats;
pub mod story;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Notice, Screen};
pub use super::app::{MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;

/// Draws the whole screen. Records the terminal's size in the app (only resizing and quitting
/// act while it is too small) and how far the scrolled panes can scroll.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    app.size.set(Some((area.width, area.height)));
    if app.too_small() {
        too_small(app.theme, app.ignored_keys, frame, area);
        return;
    }
    let [top, body, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(app, frame, top);
    match app.screen() {
        Screen::Library => library::render(app, frame, body),
        Screen::Story => story::render(app, frame, body),
        Screen::Drill => drill::render(app, frame, body),
        Screen::Demo => demo::render(app, frame, body),
        Screen::Stats => stats::render(app, frame, body),
        Screen::Mock => mock::render(app, frame, body),
    }
    status_line(app, frame, status);
    help_bar(app, frame, bar);
    if app.help {
        help::render(app, frame, body);
    }
    if let Some(notice) = &app.notice {
        notice_panel(app.theme, notice, frame, body);
    }
}

/// A message shown whole, wrapped, over the screen until a key closes it.
fn notice_panel(theme: Theme, notice: &Notice, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(8).max(20);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for line in &notice.lines {
        lines.push(Line::styled(format!("• {line}"), theme.error()));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "j/k scroll · any other key closes this",
        theme.dim(),
    ));
    let text = Text::from(lines);
    let rows = wrapped_rows(&text, inner_width);
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let rect = centered(area, width, height);
    let limit = scroll_limit(&text, rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((notice.scroll.min(limit), 0))
            .block(block(format!(" {} ", notice.title), theme, true)),
        rect,
    );
}

/// Rows `text` takes once word-wrapped to `width` columns (as `Paragraph` wraps it, give or
/// take a word).
pub fn wrapped_rows(text: &Text<'_>, width: usize) -> usize {
    let width = width.max(1);
    text.lines
        .iter()
        .map(|line| {
            let content: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let mut rows = 1;
            let mut used = 0;
            for word in content.split_inclusive(' ') {
                let w = Line::raw(word).width();
                let visible = Line::raw(word.trim_end()).width();
                if used > 0 && used + visible > width {
                    rows += 1;
                    used = 0;
                }
                used += w;
                // A word longer than the line is broken across rows.
                while used > width {
                    rows += 1;
                    used -= width;
                }
            }
            rows
        })
        .sum()
}

/// The furthest a bordered pane in `area` showing `text` may scroll: the last line stays at
/// the bottom, never a blank pane.
pub fn scroll_limit(text: &Text<'_>, area: Rect) -> u16 {
    let inner_width = usize::from(area.width.saturating_sub(2));
    let inner_height = usize::from(area.height.saturating_sub(2));
    let rows = wrapped_rows(text, inner_width);
    u16::try_from(rows.saturating_sub(inner_height)).unwrap_or(u16::MAX)
}

fn too_small(theme: Theme, ignored: usize, frame: &mut Frame, area: Rect) {
    let mut text = vec![
        Line::styled("Terminal too small", theme.error()),
        Line::raw(format!(
            "{}x{}: rehearse needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::styled("Enlarge the window, or press ctrl-c to quit.", theme.dim()),
    ];
    // Keys pressed meanwhile did nothing: say so, so nobody wonders.
    match ignored {
        0 => {}
        1 => text.push(Line::styled("(1 key ignored)", theme.dim())),
        n => text.push(Line::styled(format!("({n} keys ignored)"), theme.dim())),
    }
    let height = u16::try_from(text.len()).unwrap_or(3).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    let rect = Rect::new(area.x, y, area.width, height);
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

fn title_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let screen = match app.screen() {
        Screen::Library => "Library",
        Screen::Story => "Story",
        Screen::Drill => "Drill",
        Screen::Demo => "Demo",
        Screen::Stats => "Stats",
        Screen::Mock => "Mock interview",
    };
    let due = app.data.due(app.now).total().now;
    let right = format!(
        "{} stories · {} cards · {due} due · ? keys ",
        app.data.stories.len(),
        app.data.cards.len()
    );
    let left = Line::from(vec![
        Span::styled(" rehearse ", theme.title()),
        Span::styled("│ ", theme.dim()),
        Span::styled(screen, theme.strong()),
    ]);
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(
        Paragraph::new(Span::styled(right, theme.dim())).alignment(Alignment::Right),
        area,
    );
}

fn status_line(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(status) = &app.status {
        let style = if status.error {
            app.theme.error()
        } else {
            app.theme.ok()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {}", status.text), style)),
            area,
        );
    }
}

/// The keys of the screen, as many whole hints as fit (`?` lists them all).
fn help_bar(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let room = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for binding in app.keymap.bar(app.mode()) {
        let key = binding
            .keys
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let separator = if used > 1 { " · " } else { "" };
        let width =
            separator.chars().count() + key.chars().count() + 1 + binding.bar.chars().count();
        if used + width > room {
            break;
        }
        used += width;
        if !separator.is_empty() {
            spans.push(Span::styled(separator, theme.dim()));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(binding.bar, theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered block with a title.
pub fn block(title: impl Into<Line<'static>>, theme: Theme, focus: bool) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focus {
            theme.border_focus()
        } else {
            theme.border()
        })
        .title(title.into().style(theme.title()))
}

/// `text` cut to `width` characters with an ellipsis.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `1:05`, `0:09`.
pub fn clock(duration: std::time::Duration) -> String {
    let secs = duration.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A rectangle of at most `width` x `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

#[cfg(test)]
mod tests;
