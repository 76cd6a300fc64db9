//! One story: rendered in full (its file's path under it), its cards with their next due
//! dates, its latest demo result and its lint findings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::{block, scroll_limit, truncate};
use crate::practice::due::due_text;
use crate::srs::{CardKind, Phase};
use crate::story::Story;
use crate::story::numbers::{self, Verdict};
use crate::tui::app::App;
use crate::tui::data::{CardInfo, StoryEntry};
use crate::tui::markdown;
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(entry) = app.data.stories.get(app.story.index) else {
        return;
    };
    let meta = &entry.story.meta;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(area);
    text_pane(app, entry, frame, left);

    let lint = app.data.lint(entry);
    let findings = lint.findings.len().min(4);
    let [cards_area, demo_area, lint_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(if meta.demo.is_some() { 9 } else { 0 }),
        Constraint::Length(if findings > 0 {
            findings as u16 * 2 + 2
        } else {
            0
        }),
    ])
    .areas(right);
    cards_pane(app, entry, frame, cards_area);
    if let Some(demo) = &meta.demo {
        demo_pane(app, entry, demo, frame, demo_area);
    }
    if findings > 0 {
        let theme = app.theme;
        let lines: Vec<Line> = lint
            .findings
            .iter()
            .take(findings)
            .map(|f| {
                let style = if f.contains(": error:") {
                    theme.error()
                } else {
                    theme.warn()
                };
                Line::styled(f.clone(), style)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
                format!(" Lint ({}) ", lint.findings.len()),
                theme,
                false,
            )),
            lint_area,
        );
    }
}

/// The story in full under its tags, questions and key numbers; its file's path at the foot.
fn text_pane(app: &App, entry: &StoryEntry, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let story = &entry.story;
    let meta = &story.meta;
    let mut lines: Vec<Line> = Vec::new();
    if !meta.tags.is_empty() {
        lines.push(Line::styled(
            format!("tags: {}", meta.tags.join(", ")),
            theme.accent(),
        ));
    }
    if !meta.questions.is_empty() {
        lines.push(Line::styled("Answers:", theme.dim()));
        for q in &meta.questions {
            lines.push(Line::from(vec![
                Span::styled("  ? ", theme.key()),
                Span::raw(q.clone()),
            ]));
        }
    }
    key_numbers(theme, story, &mut lines);
    if !lines.is_empty() {
        lines.push(Line::default());
    }
    let mut text = Text::from(lines);
    text.extend(markdown::render(&story.body, theme));
    let title = format!(" {} ", meta.title);
    let limit = scroll_limit(&text, area);
    app.story.max_scroll.set(limit);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((app.story.scroll.min(limit), 0))
            .block(block(title, theme, true).title_bottom(Line::styled(
                format!(
                    " {} ",
                    truncate(
                        &story.path.display().to_string(),
                        usize::from(area.width.saturating_sub(4))
                    )
                ),
                theme.dim(),
            ))),
        area,
    );
}

/// `Key numbers:`, each with the numbers check's mark and its note.
fn key_numbers(theme: Theme, story: &Story, lines: &mut Vec<Line<'static>>) {
    if story.meta.metrics.is_empty() {
        return;
    }
    lines.push(Line::styled("Key numbers:", theme.dim()));
    for metric in &story.meta.metrics {
        let change = match (&metric.before, &metric.after) {
            (Some(b), Some(a)) => format!(": {b} → {a}"),
            _ => String::new(),
        };
        let (mark, style) = match numbers::check(metric) {
            Verdict::Contradicted { .. } | Verdict::Incomparable { .. } => ("✗", theme.error()),
            Verdict::Supported { .. } => ("✓", theme.ok()),
            Verdict::Unchecked { .. } => ("·", theme.dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {mark} "), style),
            Span::raw(format!("{}{change}", metric.name)),
            Span::styled(
                metric
                    .claim
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                theme.dim(),
            ),
        ]));
        // An example or an implied number says so wherever it is shown.
        if let Some(note) = &metric.note {
            lines.push(Line::styled(format!("    ({})", note.trim()), theme.dim()));
        }
    }
}

/// The story's cards, each with when it comes up.
fn cards_pane(app: &App, entry: &StoryEntry, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let meta = &entry.story.meta;
    let cards: Vec<&CardInfo> = app.data.cards_of(meta.id.as_str()).collect();
    let width = usize::from(area.width.saturating_sub(12));
    let mut card_lines: Vec<Line> = Vec::new();
    if cards.is_empty() {
        card_lines.push(Line::styled(
            if meta.draft {
                "A draft: no cards until it is ready."
            } else {
                "No cards."
            },
            theme.dim(),
        ));
    }
    for card in &cards {
        let kind = match card.kind {
            CardKind::Question => "Q",
            CardKind::FollowUp => "F",
            CardKind::Numbers => "#",
            CardKind::Pick => "P",
        };
        card_lines.push(Line::from(vec![
            Span::styled(
                format!("{:>8} ", due_text(&card.state, app.now)),
                due_style(card, app),
            ),
            Span::styled(format!("{kind} "), theme.accent()),
            Span::raw(truncate(&card.prompt, width)),
        ]));
    }
    frame.render_widget(
        Paragraph::new(card_lines).block(block(format!(" Cards ({}) ", cards.len()), theme, false)),
        area,
    );
}

/// The linked demo's latest run beside the story's claims, or how to run it.
fn demo_pane(app: &App, entry: &StoryEntry, demo: &str, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut lines = Vec::new();
    match app.data.demo_runs.get(demo) {
        Some(run) => match &run.outcome {
            Ok(summary) => {
                lines.push(Line::raw(summary.headline.clone()));
                for check in crate::demo::claims::compare(&entry.story, Some(summary)) {
                    let style = if check.contradicts() {
                        theme.warn()
                    } else {
                        theme.accent()
                    };
                    lines.push(Line::styled(check.line(), style));
                }
                for metric in summary.metrics.iter().take(3) {
                    lines.push(Line::styled(
                        format!("  {}: {:.3} {}", metric.name, metric.value, metric.unit),
                        theme.dim(),
                    ));
                }
                lines.push(Line::styled(
                    format!("run {}", run.finished_at.strftime("%Y-%m-%d %H:%M")),
                    theme.dim(),
                ));
            }
            Err(error) => lines.push(Line::styled(error.clone(), theme.error())),
        },
        None => lines.push(Line::styled("Not run yet: press d.", theme.dim())),
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
            format!(" Demo: {demo} "),
            theme,
            false,
        )),
        area,
    );
}

fn due_style(card: &CardInfo, app: &App) -> ratatui::style::Style {
    if card.state.phase == Phase::New || card.state.due <= app.now {
        app.theme.warn()
    } else {
        app.theme.dim()
    }
}
