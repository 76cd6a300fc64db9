//! `?`: every key of the current screen, generated from the keymap table (with the name to
//! use under `[keys]` in the config).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Clear, Row, Table};

use super::{block, centered};
use crate::tui::app::App;
use crate::tui::keymap::Keymap;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    // The screen under the help.
    let mode = app.screen_mode();
    let table = app.keymap.table(mode);
    let rows: Vec<Row> = table
        .iter()
        .map(|b| {
            Row::new(vec![
                Cell::from(Line::styled(Keymap::keys_text(b), theme.key())),
                Cell::from(b.description),
                Cell::from(Line::styled(b.name, theme.dim())),
            ])
        })
        .collect();
    let height = (rows.len() as u16 + 3).min(area.height);
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(18),
                Constraint::Fill(1),
                Constraint::Length(18),
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
