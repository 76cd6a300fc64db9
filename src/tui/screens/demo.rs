//! A demo run, live: state, a progress gauge, the log, the results table and a chart (bars
//! for throughput, a Gantt of jobs, lines over time).

use demo_kit::{Bar, ChartData, GanttTask, Level, Series};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Axis, Cell, Chart, Dataset, Gauge, GraphType, Paragraph, Row, Table, Wrap};

use super::{block, truncate, wrapped_rows};
use crate::tui::app::{App, DemoProgress, DemoView, RunState};
use crate::tui::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(view) = app.demo.as_ref() else {
        return;
    };
    let theme = app.theme;
    let [head, main] = Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(area);
    header(app, view, frame, head);
    // Wide: the results get the whole width; the gauge, if any, stays above them.
    let gauge_height = if view.progress.is_some() { 3 } else { 0 };
    let (gauge_area, log_area, right) = if view.wide {
        let [gauge_area, right] =
            Layout::vertical([Constraint::Length(gauge_height), Constraint::Fill(1)]).areas(main);
        (gauge_area, Rect::default(), right)
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(main);
        let [gauge_area, log_area] =
            Layout::vertical([Constraint::Length(gauge_height), Constraint::Fill(1)]).areas(left);
        (gauge_area, log_area, right)
    };
    if let Some(DemoProgress {
        phase,
        done,
        total,
        unit,
    }) = &view.progress
    {
        let (ratio, label) = match total {
            Some(total) if *total > 0 => (
                (*done as f64 / *total as f64).clamp(0.0, 1.0),
                format!("{done} / {total} {unit}"),
            ),
            _ => (0.0, format!("{done} {unit}")),
        };
        frame.render_widget(
            Gauge::default()
                .ratio(ratio)
                .label(label)
                .gauge_style(theme.gauge())
                .block(block(format!(" {phase} "), theme, false)),
            gauge_area,
        );
    }
    if !view.wide {
        log(theme, view, frame, log_area);
    }

    let has_table = !view.tables.is_empty();
    let has_chart = !view.charts.is_empty();
    let [table_area, chart_area] = match (has_table, has_chart) {
        (true, true) => {
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right)
        }
        (true, false) => [right, Rect::default()],
        (false, _) => [Rect::default(), right],
    };
    if has_table {
        table(theme, view, frame, table_area);
    }
    if has_chart {
        chart(theme, view, frame, chart_area);
    } else if !has_table {
        let text = match &view.state {
            RunState::Running => "Results appear here as the demo reports them.",
            _ => "No results.",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim())).block(block(" Results ", theme, false)),
            right,
        );
    }
}

fn header(app: &App, view: &DemoView, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let (state, style, detail) = match &view.state {
        RunState::Idle => (
            "ready",
            theme.dim(),
            "type the parameters, enter runs".to_owned(),
        ),
        RunState::Running => (
            "running",
            theme.warn(),
            view.phase
                .clone()
                .map(|p| format!("phase: {p}"))
                .unwrap_or_default(),
        ),
        RunState::Finished(summary) => ("finished", theme.ok(), summary.headline.clone()),
        RunState::Failed(error) => ("failed", theme.error(), error.clone()),
        RunState::Cancelled => (
            "cancelled",
            theme.warn(),
            "killed; no result stored".to_owned(),
        ),
    };
    let status = Line::from(vec![
        Span::styled(
            format!("{state}  "),
            style.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::raw(truncate(
            &detail,
            usize::from(area.width.saturating_sub(14)),
        )),
    ]);
    let params = match &app.params_input {
        Some(input) => Line::from(vec![
            Span::styled("params: ", theme.key()),
            Span::raw(input.clone()),
            Span::styled("▏", theme.key()),
            Span::styled(
                format!(
                    "  e.g. `{}`; empty: defaults",
                    example_params(&view.demo_id)
                ),
                theme.dim(),
            ),
        ]),
        None => Line::from(vec![
            Span::styled("params: ", theme.dim()),
            Span::raw(if view.params.is_empty() {
                "(defaults)".to_owned()
            } else {
                view.params.clone()
            }),
            Span::styled("  p changes them", theme.dim()),
        ]),
    };
    let line = vec![status, params];
    frame.render_widget(
        Paragraph::new(line).block(block(format!(" Demo: {} ", view.demo_id), theme, true)),
        area,
    );
}

fn log(theme: Theme, view: &DemoView, frame: &mut Frame, area: Rect) {
    let height = usize::from(area.height.saturating_sub(2));
    let width = usize::from(area.width.saturating_sub(2));
    let end = view
        .log
        .len()
        .saturating_sub(if view.follow { 0 } else { view.scroll });
    // Lines wrap, not cut: a demo's error (clap's, say) is often wider than the pane. Take
    // the newest lines that fit; a first line too tall for the pane shows its end.
    let mut start = end;
    let mut rows = 0;
    while start > 0 {
        let line_rows = wrapped_rows(&Text::raw(view.log[start - 1].text.as_str()), width);
        if start < end && rows + line_rows > height {
            break;
        }
        rows += line_rows;
        start -= 1;
    }
    let lines: Vec<Line> = view
        .log
        .range(start..end)
        .map(|line| {
            let style = match line.level {
                Level::Info => theme.text(),
                Level::Warn => theme.warn(),
                Level::Error => theme.error(),
            };
            Line::styled(line.text.as_str(), style)
        })
        .collect();
    let overflow = u16::try_from(rows.saturating_sub(height)).unwrap_or(u16::MAX);
    let title = if view.follow {
        format!(" Log ({}) ", view.log.len())
    } else {
        format!(" Log ({}, scrolled: f follows) ", view.log.len())
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((overflow, 0))
            .block(block(title, theme, false)),
        area,
    );
}

/// A result's title, led by where it stands among the others (long titles are cut at the end).
fn numbered(title: &str, at: usize, count: usize) -> String {
    if count > 1 {
        format!(" {}/{count} · {title} ", at + 1)
    } else {
        format!(" {title} ")
    }
}

/// Column widths that fit `room`: each column as wide as its widest cell, and when they do not
/// all fit, only the widest are cut, to one common width, so short columns stay whole.
fn fit_columns(natural: &[usize], room: usize) -> Vec<usize> {
    const MIN: usize = 3;
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let fits = |cap: usize| natural.iter().map(|&w| w.min(cap)).sum::<usize>() <= room;
    let (mut low, mut high) = (MIN, natural.iter().copied().max().unwrap_or(MIN));
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fits(mid) { low = mid } else { high = mid - 1 }
    }
    natural.iter().map(|&w| w.min(low)).collect()
}

fn table(theme: Theme, view: &DemoView, frame: &mut Frame, area: Rect) {
    let Some((at, table)) = view.shown_table() else {
        return;
    };
    let columns = table.columns.len().max(1);
    let mut natural = vec![1usize; columns];
    for row in std::iter::once(&table.columns).chain(&table.rows) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            natural[i] = natural[i].max(cell.chars().count());
        }
    }
    let room = usize::from(area.width.saturating_sub(2)).saturating_sub(columns - 1);
    let widths: Vec<Constraint> = fit_columns(&natural, room)
        .into_iter()
        .map(|w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .collect();
    let header =
        Row::new(table.columns.iter().map(|c| Cell::from(c.clone()))).style(theme.strong());
    let rows = table
        .rows
        .iter()
        .map(|row| Row::new(row.iter().map(|c| Cell::from(c.clone()))));
    frame.render_widget(
        Table::new(rows, widths).header(header).block(block(
            numbered(&table.title, at, view.tables.len()),
            theme,
            false,
        )),
        area,
    );
}

fn chart(theme: Theme, view: &DemoView, frame: &mut Frame, area: Rect) {
    let Some((at, chart)) = view.shown_chart() else {
        return;
    };
    let title = numbered(&chart.title, at, view.charts.len());
    match &chart.data {
        ChartData::Bar { unit, bars } => {
            let lines = bar_lines(theme, unit, bars, area);
            frame.render_widget(
                Paragraph::new(lines).block(block(title, theme, false)),
                area,
            );
        }
        ChartData::Gantt { tasks } => {
            let lines = gantt_lines(theme, tasks, area);
            frame.render_widget(
                Paragraph::new(lines).block(block(title, theme, false)),
                area,
            );
        }
        ChartData::Lines {
            x_label,
            y_label,
            series,
        } => line_chart(theme, (x_label, y_label), series, title, frame, area),
    }
}

/// Drawn by hand: a label, a bar in proportion to the largest, the value.
fn bar_lines(theme: Theme, unit: &str, bars: &[Bar], area: Rect) -> Vec<Line<'static>> {
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let inner = usize::from(area.width.saturating_sub(2));
    let label_width = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(inner / 3);
    let values: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {unit}", short(b.value)))
        .collect();
    let value_width = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    let bar_width = inner.saturating_sub(label_width + value_width + 3);
    let mut lines = Vec::new();
    for (i, (bar, value)) in bars.iter().zip(&values).enumerate() {
        let filled = ((bar.value.max(0.0) / max) * bar_width as f64).round() as usize;
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<label_width$} ",
                truncate(&bar.label, label_width)
            )),
            Span::styled("█".repeat(filled.max(1)), theme.series(i)),
            Span::raw(" ".repeat(bar_width.saturating_sub(filled.max(1)) + 1)),
            Span::styled(value.clone(), theme.strong()),
        ]));
    }
    lines
}

/// One row per task on a shared time axis, coloured by lane, with the lanes' legend.
fn gantt_lines(theme: Theme, tasks: &[GanttTask], area: Rect) -> Vec<Line<'static>> {
    let end = tasks
        .iter()
        .map(|t| t.end_ms)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let label_width = 16usize;
    let bar_width = usize::from(area.width.saturating_sub(4)).saturating_sub(label_width + 1);
    let mut lanes: Vec<String> = Vec::new();
    for task in tasks {
        let lane = task.lane.clone().unwrap_or_default();
        if !lanes.contains(&lane) {
            lanes.push(lane);
        }
    }
    let height = usize::from(area.height.saturating_sub(3));
    let mut lines: Vec<Line> = tasks
        .iter()
        .take(height)
        .map(|task| {
            let lane = lanes
                .iter()
                .position(|l| {
                    Some(l) == task.lane.as_ref() || (l.is_empty() && task.lane.is_none())
                })
                .unwrap_or(0);
            let from = ((task.start_ms / end) * bar_width as f64).round() as usize;
            let to = (((task.end_ms / end) * bar_width as f64).round() as usize).max(from + 1);
            Line::from(vec![
                Span::styled(
                    format!("{:<label_width$} ", truncate(&task.label, label_width)),
                    theme.dim(),
                ),
                Span::raw(" ".repeat(from)),
                Span::styled("█".repeat(to - from), theme.series(lane)),
            ])
        })
        .collect();
    let legend: Vec<Span> = lanes
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .flat_map(|(i, l)| {
            [
                Span::styled("█ ", theme.series(i)),
                Span::raw(format!("{l}  ")),
            ]
        })
        .collect();
    lines.push(Line::from(
        [
            vec![Span::styled(
                format!("0 … {} ms  ", short(end)),
                theme.dim(),
            )],
            legend,
        ]
        .concat(),
    ));
    lines
}

/// Series over an x axis, with both axes' bounds as labels.
fn line_chart(
    theme: Theme,
    (x_label, y_label): (&str, &str),
    series: &[Series],
    title: String,
    frame: &mut Frame,
    area: Rect,
) {
    let points = series.iter().flat_map(|s| s.points.iter());
    let (mut x_max, mut y_max) = (f64::MIN_POSITIVE, f64::MIN_POSITIVE);
    let (mut x_min, mut y_min) = (0.0_f64, 0.0_f64);
    for (x, y) in points {
        x_max = x_max.max(*x);
        y_max = y_max.max(*y);
        x_min = x_min.min(*x);
        y_min = y_min.min(*y);
    }
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            Dataset::default()
                .name(s.name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.series(i))
                .data(&s.points)
        })
        .collect();
    frame.render_widget(
        Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .title(x_label.to_owned())
                    .bounds([x_min, x_max])
                    .labels([short(x_min), short(x_max)])
                    .style(theme.dim()),
            )
            .y_axis(
                Axis::default()
                    .title(y_label.to_owned())
                    .bounds([y_min, y_max])
                    .labels([short(y_min), short(y_max)])
                    .style(theme.dim()),
            )
            .block(block(title, theme, false)),
        area,
    );
}

/// Small parameters for a quick run of each demo, shown as a hint.
fn example_params(demo_id: &str) -> &'static str {
    match demo_id {
        "xml-cherry-pick" => "--records 300 --no-python",
        "concurrent-etl" => "--records 20000",
        _ => "see rehearse demo list",
    }
}

/// A number in a few characters: `950`, `12.5k`, `3.1M`, `0.42`.
fn short(value: f64) -> String {
    let abs = value.abs();
    if abs >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if abs >= 1e4 {
        format!("{:.1}k", value / 1e3)
    } else if abs >= 100.0 || value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::fit_columns;

    #[test]
    fn columns_that_fit_keep_their_width() {
        assert_eq!(fit_columns(&[5, 10, 4], 19), [5, 10, 4]);
    }

    #[test]
    fn only_the_widest_columns_are_cut_when_the_table_is_too_wide() {
        // 50 too many: the two long columns share the cut, the short ones stay whole.
        let widths = fit_columns(&[8, 40, 5, 45], 58);
        assert_eq!(widths, [8, 22, 5, 22]);
        assert!(widths.iter().sum::<usize>() <= 58);
    }

    #[test]
    fn no_column_is_cut_below_three_characters() {
        assert_eq!(fit_columns(&[10, 10, 10], 4), [3, 3, 3]);
    }
}
