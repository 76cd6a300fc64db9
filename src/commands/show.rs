//! `rehearse show ID`: one story, styled for a terminal (plain when piped or NO_COLOR is set).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rehearse::story::numbers::{self, Verdict};
use rehearse::story::{LoadReport, Story};

use super::{Env, load_stories, open_store};

pub fn run(env: &Env, id: &str) -> Result<ExitCode> {
    let report = load_stories(env)?;
    let story = find(&report, id)?;
    let style = Style::detect();
    let mut out = String::new();
    out.push_str(&style.title(&story.meta.title));
    out.push('\n');
    out.push_str(&style.dim(&format!(
        "{}  ·  {}  ·  {}",
        story.id(),
        story.meta.tags.join(", "),
        story.path.display()
    )));
    out.push('\n');
    if let Some(demo) = &story.meta.demo {
        out.push_str(&format!("demo: {demo}  (rehearse demo run {demo})\n"));
    }
    if !story.meta.questions.is_empty() {
        out.push_str(&style.heading("Answers"));
        for question in &story.meta.questions {
            out.push_str(&format!("  • {question}\n"));
        }
    }
    if !story.meta.metrics.is_empty() {
        out.push_str(&style.heading("Key numbers"));
        for metric in &story.meta.metrics {
            let change = match (&metric.before, &metric.after) {
                (Some(b), Some(a)) => format!("{b} → {a}"),
                (Some(b), None) => format!("was {b}"),
                (None, Some(a)) => format!("now {a}"),
                (None, None) => String::new(),
            };
            let claim = metric.claim.as_deref().unwrap_or("");
            let check = match numbers::check(metric) {
                Verdict::Contradicted { supported, .. } => {
                    style.warn(&format!("  ✘ the numbers say {supported}"))
                }
                Verdict::Supported { .. } | Verdict::Unchecked { .. } => String::new(),
            };
            out.push_str(&format!("  {}: {change}  {claim}{check}\n", metric.name));
        }
    }
    if let Some(demo) = &story.meta.demo {
        let store = open_store(env)?;
        let latest = store.latest_demo_run(demo)?;
        out.push_str(&claims_beside_demo(story, latest.as_ref(), &style));
        if let Some(run) = latest
            && let Ok(summary) = &run.outcome
        {
            out.push_str(&style.heading("Latest demo result"));
            out.push_str(&format!(
                "  {} ({})\n",
                summary.headline,
                rehearse::export::when(run.finished_at)
            ));
        }
    }
    out.push_str(&render_markdown(&story.body, &style));
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The story's key numbers beside the demo's latest result; a contradiction as a warning.
fn claims_beside_demo(
    story: &Story,
    latest: Option<&rehearse::store::DemoRun>,
    style: &Style,
) -> String {
    let summary = latest.and_then(|run| run.outcome.as_ref().ok());
    let checks = rehearse::demo::claims::compare(story, summary);
    if checks.is_empty() {
        return String::new();
    }
    let mut out = style.heading("Story claim beside the demo");
    for check in checks {
        let line = format!("  {}", check.line());
        out.push_str(&if check.contradicts() {
            style.warn(&line)
        } else {
            line
        });
        out.push('\n');
    }
    out
}

/// By exact id, else by unique prefix.
pub fn find<'a>(report: &'a LoadReport, id: &str) -> Result<&'a Story> {
    if let Some(story) = report.find(id) {
        return Ok(story);
    }
    let matches: Vec<&Story> = report
        .stories
        .iter()
        .filter(|s| s.id().starts_with(id))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no story with id `{id}` (see `rehearse list`)"),
        many => bail!(
            "`{id}` matches several stories: {}",
            many.iter().map(|s| s.id()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// ANSI styling, or none.
struct Style {
    color: bool,
}

impl Style {
    fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn wrap(&self, codes: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn title(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn heading(&self, text: &str) -> String {
        format!("\n{}\n", self.wrap("1;36", text))
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }

    fn warn(&self, text: &str) -> String {
        self.wrap("33", text)
    }
}

/// Markdown to terminal text: headings, emphasis, lists and code, not raw markup.
fn render_markdown(markdown: &str, style: &Style) -> String {
    let mut out = String::new();
    let mut list_depth: Vec<Option<u64>> = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                let text = heading.take().unwrap_or_default();
                let text = if level == HeadingLevel::H3 {
                    format!("\n{}\n", style.wrap("1", &text))
                } else {
                    style.heading(&text)
                };
                out.push_str(&text);
            }
            Event::Start(Tag::List(start)) => list_depth.push(start),
            Event::End(TagEnd::List(_)) => {
                list_depth.pop();
                if list_depth.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let indent = "  ".repeat(list_depth.len());
                let bullet = match list_depth.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_owned(),
                };
                out.push_str(&format!("{indent}{bullet} "));
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                out.push('\n');
                if list_depth.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Emphasis) if style.color => out.push_str("\x1b[3m"),
            Event::Start(Tag::Strong) if style.color => out.push_str("\x1b[1m"),
            Event::End(TagEnd::Emphasis | TagEnd::Strong) if style.color => out.push_str("\x1b[0m"),
            Event::Text(text) => match heading.as_mut() {
                Some(h) => h.push_str(&text),
                None => out.push_str(&text),
            },
            Event::Code(code) => {
                let code = style.wrap("33", &code);
                match heading.as_mut() {
                    Some(h) => h.push_str(&code),
                    None => out.push_str(&code),
                }
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::CodeBlock(_)) => out.push('\n'),
            Event::End(TagEnd::CodeBlock) => out.push('\n'),
            // HTML comments (a draft's notes to its author) stay out of the spoken text.
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_without_markup_when_plain() {
        let text = render_markdown(
            "## Action\n\n- I *profiled* with `cProfile`\n- then **fixed** it\n\n<!-- note -->\n",
            &Style { color: false },
        );
        assert_eq!(
            text,
            "\nAction\n  • I profiled with cProfile\n  • then fixed it\n\n"
        );
    }
}
