//! The library: stories with fuzzy search and filters, and a preview of the selected one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

use super::{block, truncate};
use crate::tui::app::App;
use crate::tui::data::{Lint, StoryEntry};
use crate::tui::markdown;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let lib = &app.library;
    let show_query =
        lib.searching || !lib.query.is_empty() || lib.tag.is_some() || lib.competency.is_some();
    let [query_area, main] = Layout::vertical([
        Constraint::Length(u16::from(show_query)),
        Constraint::Fill(1),
    ])
    .areas(area);
    if show_query {
        search_line(app, frame, query_area);
    }
    let [list_area, preview_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main);
    list(app, frame, list_area);
    match app.selected_index().and_then(|i| app.data.stories.get(i)) {
        Some(entry) => preview(app, entry, frame, preview_area),
        None => frame.render_widget(
            Paragraph::new(Line::styled(
                "No story matches. Esc clears the search and filters.",
                app.theme.dim(),
            ))
            .block(block(" Preview ", app.theme, false)),
            preview_area,
        ),
    }
}

fn search_line(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let lib = &app.library;
    let mut spans = vec![
        Span::styled(" / ", theme.key()),
        Span::raw(lib.query.clone()),
    ];
    if lib.searching {
        spans.push(Span::styled("▏", theme.key()));
    }
    if let Some(tag) = &lib.tag {
        spans.push(Span::styled("  tag: ", theme.dim()));
        spans.push(Span::styled(tag.clone(), theme.accent()));
    }
    if let Some(c) = &lib.competency {
        spans.push(Span::styled("  competency: ", theme.dim()));
        spans.push(Span::styled(c.clone(), theme.accent()));
    }
    spans.push(Span::styled(
        format!("  {} of {} stories", lib.hits.len(), app.data.stories.len()),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn list(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let due = app.data.due(app.now);
    // Only the rows that can be seen are built (10,000 stories stay cheap).
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let selected = app.library.selected;
    let offset = selected.saturating_sub(visible - 1);
    let title_width = usize::from(area.width.saturating_sub(2 + 5 + 7 + 3 + 3));
    let rows: Vec<Row> = app
        .library
        .hits
        .iter()
        .skip(offset)
        .take(visible)
        .map(|hit| {
            let entry = &app.data.stories[hit.index];
            let meta = &entry.story.meta;
            // A draft's " (draft)" mark must fit too.
            let room = title_width.saturating_sub(if meta.draft { DRAFT.len() } else { 0 });
            let title = highlighted(
                &truncate(&meta.title, room),
                &app.title_matches(&meta.title),
                theme,
                meta.draft,
            );
            let due_count = due.now_in(meta.id.as_str());
            let due_cell = if due_count > 0 {
                Span::styled(format!("{due_count:>3}"), theme.warn())
            } else {
                Span::styled("  ·", theme.dim())
            };
            let lint = lint_span(app.data.lint(entry), theme);
            let demo = match &meta.demo {
                Some(_) => Span::styled(" ▶", theme.accent()),
                None => Span::raw(""),
            };
            Row::new(vec![
                Cell::from(title),
                Cell::from(due_cell),
                Cell::from(lint),
                Cell::from(demo),
            ])
        })
        .collect();
    let header = Row::new(vec!["Story", "Due", "Lint", "Demo"]).style(theme.dim());
    let table = Table::new(
        rows,
        [
            Constraint::Fill(1),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(4),
        ],
    )
    .header(header)
    .row_highlight_style(theme.selected())
    .block(block(
        format!(
            " Stories {}/{} ",
            app.library.hits.len(),
            app.data.stories.len()
        ),
        theme,
        true,
    ));
    let mut state = TableState::default();
    if !app.library.hits.is_empty() {
        state.select(Some(selected - offset));
    }
    frame.render_stateful_widget(table, area, &mut state);
}

fn lint_span(lint: &Lint, theme: Theme) -> Span<'static> {
    match (lint.errors, lint.warnings) {
        (0, 0) => Span::styled("  ✓", theme.ok()),
        (0, w) => Span::styled(format!("{w:>2}w"), theme.warn()),
        (e, _) => Span::styled(format!("{e:>2}E"), theme.error()),
    }
}

const DRAFT: &str = " (draft)";

/// A title with the matched characters highlighted.
fn highlighted(title: &str, matches: &[usize], theme: Theme, draft: bool) -> Line<'static> {
    let base = if draft { theme.dim() } else { theme.text() };
    let mut spans: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in title.chars().enumerate() {
        let matched = matches.binary_search(&i).is_ok();
        if matched != run_matched && !run.is_empty() {
            let style = if run_matched { theme.matched() } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_matched = matched;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if run_matched { theme.matched() } else { base };
        spans.push(Span::styled(run, style));
    }
    if draft {
        spans.push(Span::styled(DRAFT, theme.dim()));
    }
    Line::from(spans)
}

fn preview(app: &App, entry: &StoryEntry, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let meta = &entry.story.meta;
    let mut lines: Vec<Line> = Vec::new();
    let label = |name: &'static str| Span::styled(format!("{name:<8}"), theme.dim());
    if !meta.tags.is_empty() {
        lines.push(Line::from(vec![
            label("tags"),
            Span::styled(meta.tags.join(", "), theme.accent()),
        ]));
    }
    if !meta.competencies.is_empty() {
        lines.push(Line::from(vec![
            label("covers"),
            Span::raw(meta.competencies.join(", ")),
        ]));
    }
    let cards = app.data.cards_of(meta.id.as_str()).count();
    let due = app.data.due_in(meta.id.as_str(), app.now);
    lines.push(Line::from(vec![
        label("cards"),
        Span::raw(format!("{cards} ({due} due)")),
        Span::styled("   lint ", theme.dim()),
        lint_span(app.data.lint(entry), theme),
    ]));
    if let Some(demo) = &meta.demo {
        let latest = app
            .data
            .demo_runs
            .get(demo)
            .and_then(|run| run.outcome.as_ref().ok())
            .map(|s| format!(" · {}", s.headline))
            .unwrap_or_else(|| " · not run yet".to_owned());
        lines.push(Line::from(vec![
            label("demo"),
            Span::styled(demo.clone(), theme.accent()),
            Span::styled(latest, theme.dim()),
        ]));
    }
    let mut text = Text::from(lines);
    text.lines.push(Line::default());
    text.extend(markdown::render(&entry.story.body, theme));
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: false }).block(block(
            format!(" {} ", meta.title),
            theme,
            false,
        )),
        area,
    );
}
