//! `?`: every key of the current screen, generated from the keymap table (with the name to
//! use under `[keys]` in the config).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Cell, Clear, Row, Table};

use super::{block, centered};
use crate::tui::app::App;
use crate::tui::keymap::Keymap;

/// The popup's width, and its key column's (the names' column fits the longest name).
const WIDTH: u16 = 76;
const KEYS: u16 = 18;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    // The screen under the help.
    let mode = app.screen_mode();
    let table = app.keymap.table(mode);
    let width = WIDTH.min(area.width);
    let names = table
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(usize::from(KEYS));
    let names = u16::try_from(names).unwrap_or(KEYS);
    // Borders and the two gaps between columns; a long description wraps, never cut.
    let does = usize::from(width.saturating_sub(2 + KEYS + names + 2)).max(8);
    let rows: Vec<Row> = table
        .iter()
        .map(|b| {
            let lines = wrap(b.description, does);
            let height = u16::try_from(lines.len()).unwrap_or(1).max(1);
            Row::new(vec![
                Cell::from(Line::styled(Keymap::keys_text(b), theme.key())),
                Cell::from(Text::from(
                    lines.into_iter().map(Line::raw).collect::<Vec<_>>(),
                )),
                Cell::from(Line::styled(b.name, theme.dim())),
            ])
            .height(height)
        })
        .collect();
    let body: u16 = table
        .iter()
        .map(|b| u16::try_from(wrap(b.description, does).len().max(1)).unwrap_or(1))
        .sum();
    let height = (body + 3).min(area.height);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(KEYS),
                Constraint::Fill(1),
                Constraint::Length(names),
            ],
        )
        .header(Row::new(vec!["Keys", "Does", "Config name"]).style(theme.dim()))
        .block(block(
            format!(" Keys: {} (q, esc or ? closes) ", mode.title()),
            theme,
            true,
        )),
        rect,
    );
}

/// `text` in lines of at most `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}
