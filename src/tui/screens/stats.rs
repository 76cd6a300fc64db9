//! Statistics: a 12-week review heatmap, retention, the 14-day due forecast, the coverage
//! matrix of competencies x stories, beside it the job description's ranking when one is given
//! (`--job` or `[mock] job`), and leeches.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

use super::{block, truncate};
use crate::practice::Stats;
use crate::story::coverage;
use crate::tui::app::{App, JobView};
use crate::tui::theme::{HEAT_GLYPHS, Theme};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let Some(stats) = app.stats.as_ref() else {
        frame.render_widget(
            Paragraph::new(Line::styled("Loading…", theme.dim()))
                .block(block(" Stats ", theme, true)),
            area,
        );
        return;
    };
    let [top, bottom] = Layout::vertical([Constraint::Length(12), Constraint::Fill(1)]).areas(area);
    let [heat_area, forecast_area] =
        Layout::horizontal([Constraint::Length(44), Constraint::Fill(1)]).areas(top);
    let [coverage_area, leech_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bottom);
    heatmap(theme, stats, frame, heat_area);
    forecast(theme, stats, frame, forecast_area);
    coverage(app, frame, coverage_area);
    // The right column: the job's ranking, how spoken answers moved, the leeches; each only
    // when there is something to show (the leeches always).
    let spoken_rows = if stats.spoken.is_empty() {
        0
    } else {
        stats.spoken.len() as u16 * 5 + 2
    };
    let [job_area, spoken_area, leech_area] = match &app.job {
        Some(_) => Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(spoken_rows),
            Constraint::Length(5),
        ]),
        None if spoken_rows > 0 => Layout::vertical([
            Constraint::Length(0),
            Constraint::Fill(1),
            Constraint::Length(5),
        ]),
        None => Layout::vertical([
            Constraint::Length(0),
            Constraint::Length(0),
            Constraint::Fill(1),
        ]),
    }
    .areas(leech_area);
    if let Some(job) = &app.job {
        job_ranking(app, job, frame, job_area);
    }
    if spoken_rows > 0 {
        spoken(theme, stats, frame, spoken_area);
    }
    leeches(theme, stats, frame, leech_area);
}

/// Per story, its spoken answers from the first to the latest: coverage, key numbers said,
/// fillers a minute and pace.
fn spoken(theme: Theme, stats: &Stats, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = Vec::new();
    for trend in &stats.spoken {
        let (first, latest) = (&trend.first, &trend.latest);
        let better = |up: bool| if up { theme.ok() } else { theme.warn() };
        lines.push(Line::from(vec![
            Span::styled(
                truncate(&trend.story_id, width.saturating_sub(14)),
                theme.strong(),
            ),
            Span::styled(format!(" · {} attempt(s)", trend.attempts), theme.dim()),
        ]));
        let row = |name: &str, from: String, to: String, up: bool| {
            Line::from(vec![
                Span::styled(format!("  {name:<9}"), theme.dim()),
                Span::raw(format!("{from} → ")),
                Span::styled(to, better(up)),
            ])
        };
        lines.push(row(
            "coverage",
            format!("{:.0}%", first.coverage * 100.0),
            format!("{:.0}%", latest.coverage * 100.0),
            latest.coverage >= first.coverage,
        ));
        lines.push(row(
            "numbers",
            format!("{}/{}", first.numbers_said, first.numbers_total),
            format!(
                "{}/{} said{}",
                latest.numbers_said,
                latest.numbers_total,
                if latest.numbers_wrong > 0 {
                    format!(", {} wrong", latest.numbers_wrong)
                } else {
                    String::new()
                }
            ),
            latest.numbers_said >= first.numbers_said && latest.numbers_wrong == 0,
        ));
        lines.push(row(
            "fillers",
            format!("{:.1}", first.fillers_per_minute),
            format!("{:.1} a minute", latest.fillers_per_minute),
            latest.fillers_per_minute <= first.fillers_per_minute,
        ));
        lines.push(row(
            "pace",
            format!("{:.0}", first.words_per_minute),
            format!("{:.0} words a minute", latest.words_per_minute),
            true,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" Spoken answers: first → latest ", theme, false)),
        area,
    );
}

/// The job's competencies, strongest first: score, the finished stories that answer each
/// (none: a gap), and the words that matched with their lines.
fn job_ranking(app: &App, job: &JobView, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let width = usize::from(area.width.saturating_sub(2));
    let loaded: Vec<_> = app.data.stories.iter().map(|e| &e.story).collect();
    let matrix = coverage::coverage(&app.data.bank, &loaded);
    let mut lines = Vec::new();
    if job.ranking.ranked.is_empty() {
        lines.push(Line::styled(
            "None of the bank's job words appear in it.",
            theme.dim(),
        ));
    }
    for ranked in &job.ranking.ranked {
        let ready = matrix
            .rows
            .iter()
            .find(|r| r.key == ranked.key)
            .map_or(0, |r| r.finished);
        let (cover, style) = match ready {
            0 => ("gap".to_owned(), theme.error()),
            1 => ("1 story".to_owned(), theme.warn()),
            n => (format!("{n} stories"), theme.ok()),
        };
        let head = format!("{:>3} {} ", ranked.score, ranked.key);
        lines.push(Line::from(vec![
            Span::styled(
                truncate(&head, width.saturating_sub(cover.len())),
                theme.strong(),
            ),
            Span::styled(cover, style),
        ]));
        let words: Vec<String> = ranked
            .matches
            .iter()
            .map(|m| {
                let at: Vec<String> = m.lines.iter().map(ToString::to_string).collect();
                format!("{} l{}", m.word, at.join(","))
            })
            .collect();
        lines.push(Line::styled(
            truncate(&format!("    {}", words.join("; ")), width),
            theme.dim(),
        ));
    }
    let file = std::path::Path::new(&job.file)
        .file_name()
        .map_or_else(|| job.file.clone(), |f| f.to_string_lossy().into_owned());
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" Job: {file} "), theme, false)),
        area,
    );
}

fn level(count: usize, max: usize) -> u8 {
    if count == 0 {
        0
    } else {
        (1 + (count * 3) / max.max(1)).min(4) as u8
    }
}

fn heatmap(theme: Theme, stats: &Stats, frame: &mut Frame, area: Rect) {
    let days = &stats.per_day;
    let max = days.iter().map(|d| d.count).max().unwrap_or(0);
    // Columns are weeks (Monday first), rows weekdays; the last column ends today.
    let offset = days
        .first()
        .map(|d| usize::from(d.date.weekday().to_monday_zero_offset() as u8))
        .unwrap_or(0);
    let weeks = (offset + days.len()).div_ceil(7);
    let names = ["Mon", "", "Wed", "", "Fri", "", "Sun"];
    let mut lines = Vec::new();
    for (row, name) in names.iter().enumerate() {
        let mut spans = vec![Span::styled(format!("{name:<4}"), theme.dim())];
        for week in 0..weeks {
            let slot = week * 7 + row;
            match slot.checked_sub(offset).and_then(|i| days.get(i)) {
                Some(day) => {
                    let l = level(day.count, max);
                    let glyph = if theme.has_color() {
                        "■"
                    } else {
                        HEAT_GLYPHS[usize::from(l)]
                    };
                    spans.push(Span::styled(format!("{glyph} "), theme.heat(l)));
                }
                None => spans.push(Span::raw("  ")),
            }
        }
        lines.push(Line::from(spans));
    }
    let total: usize = days.iter().map(|d| d.count).sum();
    lines.push(Line::styled(
        format!(
            "{total} reviews in 12 weeks · {} in all",
            stats.total_reviews
        ),
        theme.dim(),
    ));
    let retention = match stats.retention {
        Some(r) => Line::from(vec![
            Span::raw("Retention (30 d): "),
            Span::styled(
                format!("{:.0}%", r * 100.0),
                if r + 0.05 >= stats.target_retention {
                    theme.ok()
                } else {
                    theme.warn()
                },
            ),
            Span::styled(
                format!(
                    " of {} · target {:.0}%",
                    stats.retention_reviews,
                    stats.target_retention * 100.0
                ),
                theme.dim(),
            ),
        ]),
        None => Line::styled("Retention: no graduated reviews yet", theme.dim()),
    };
    lines.push(retention);
    frame.render_widget(
        Paragraph::new(lines).block(block(" Reviews, last 12 weeks ", theme, true)),
        area,
    );
}

fn forecast(theme: Theme, stats: &Stats, frame: &mut Frame, area: Rect) {
    let bars: Vec<Bar> = stats
        .forecast
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let label = if i == 0 {
                "td".to_owned()
            } else {
                format!("{:02}", day.date.day())
            };
            Bar::default()
                .value(day.count as u64)
                .label(Line::raw(label))
                .style(theme.bar())
        })
        .collect();
    let total: usize = stats.forecast.iter().map(|d| d.count).sum();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(2)
            .bar_gap(1)
            .value_style(theme.strong())
            .block(block(
                format!(" Due, next 14 days ({total}) "),
                theme,
                false,
            )),
        area,
    );
}

fn coverage(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let stories: Vec<_> = app.data.stories.iter().map(|e| &e.story.meta).collect();
    let name_width = 24usize;
    let max_columns = usize::from(area.width.saturating_sub(2)).saturating_sub(name_width + 6) / 2;
    let shown = stories.len().min(max_columns);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{:<name_width$}", "competency \\ story"),
            theme.dim(),
        ),
        Span::styled(
            (0..shown)
                .map(|i| format!("{:<2}", (i + 1) % 100 % 10))
                .collect::<String>(),
            theme.dim(),
        ),
        Span::styled(" n", theme.dim()),
    ])];
    let height = usize::from(area.height.saturating_sub(4));
    let loaded: Vec<_> = app.data.stories.iter().map(|e| &e.story).collect();
    let matrix = coverage::coverage(&app.data.bank, &loaded);
    for row in matrix.rows.iter().take(height) {
        let mut spans = vec![Span::raw(format!(
            "{:<name_width$}",
            truncate(row.name, name_width - 1)
        ))];
        for mark in row.marks.iter().take(shown) {
            // The export's symbols: ● primary, ○ secondary, ✎ a draft's (not counted).
            spans.push(match *mark {
                coverage::Mark::None => Span::styled("· ", theme.dim()),
                mark if mark.is_finished() => {
                    Span::styled(format!("{} ", mark.symbol()), theme.ok())
                }
                mark => Span::styled(format!("{} ", mark.symbol()), theme.warn()),
            });
        }
        let count = row.finished;
        spans.push(Span::styled(
            format!("{count:>2}"),
            match count {
                0 => theme.error(),
                1 => theme.warn(),
                _ => theme.text(),
            },
        ));
        lines.push(Line::from(spans));
    }
    let legend = stories
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, m)| format!("{}={}", (i + 1) % 10, truncate(&m.id, 10)))
        .collect::<Vec<_>>()
        .join(" ");
    lines.push(Line::styled(legend, theme.dim()));
    frame.render_widget(
        Paragraph::new(lines).block(block(
            " Coverage (● primary · ○ secondary · ✎ draft) ",
            theme,
            false,
        )),
        area,
    );
}

fn leeches(theme: Theme, stats: &Stats, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width.saturating_sub(4));
    let mut lines = Vec::new();
    if stats.leeches.is_empty() {
        lines.push(Line::styled(
            "None: no card keeps being forgotten.",
            theme.ok(),
        ));
    }
    for leech in &stats.leeches {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2}× ", leech.lapses), theme.error()),
            Span::raw(truncate(&leech.card.story_id, width.saturating_sub(4))),
        ]));
        lines.push(Line::styled(
            format!("   {}", truncate(&leech.prompt, width.saturating_sub(3))),
            theme.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(
            format!(" Leeches ({}) ", stats.leeches.len()),
            theme,
            false,
        )),
        area,
    );
}
