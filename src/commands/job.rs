//! `rehearse job FILE`: the bank's competencies ranked by what a job description asks for,
//! with the words that matched and their lines, the stories that cover each, and the gaps.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use rehearse::mock::bank::read_bank;
use rehearse::mock::job::{JobRanking, JobText, MAX_COUNTED, RankedCompetency, rank};
use rehearse::mock::pick::Declares;
use rehearse::story::Story;
use rehearse::story::question_bank::QuestionBank;

use super::{Env, load_stories};
use crate::cli::JobArgs;

pub fn run(env: &Env, args: JobArgs) -> Result<ExitCode> {
    let bank = bank(args.bank.as_deref())?;
    let job = JobText::read(&args.file)?;
    let report = load_stories(env)?;
    let ranking = rank(&bank, &job.text);
    let mut out = std::io::stdout().lock();
    write_ranking(&mut out, &job, &ranking, &bank, &report.stories)?;
    Ok(ExitCode::SUCCESS)
}

/// The bank from `--bank`, else the bundled one.
pub(super) fn bank(path: Option<&Path>) -> Result<QuestionBank> {
    Ok(match path {
        Some(path) => read_bank(path)?,
        None => QuestionBank::bundled(),
    })
}

/// `cache-latency (main), pager-outage`, or None when no finished story declares `key`.
pub(super) fn covering_stories(stories: &[Story], key: &str) -> Option<String> {
    let mut covering: Vec<(bool, &str)> = stories
        .iter()
        .filter(|s| !s.meta.draft)
        .filter_map(|s| match Declares::of(s, key) {
            Declares::Primary => Some((true, s.id())),
            Declares::Secondary => Some((false, s.id())),
            Declares::No => None,
        })
        .collect();
    covering.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    (!covering.is_empty()).then(|| {
        covering
            .iter()
            .map(|(main, id)| {
                if *main {
                    format!("{id} (main)")
                } else {
                    (*id).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn write_ranking(
    out: &mut impl Write,
    job: &JobText,
    ranking: &JobRanking,
    bank: &QuestionBank,
    stories: &[Story],
) -> Result<()> {
    writeln!(
        out,
        "{}: {} line(s). Competencies it asks for, strongest first.",
        job.path.display(),
        job.text.lines().count()
    )?;
    if let Some(language) = ranking.language {
        writeln!(
            out,
            "Note: this ad looks like {language}; matching reads English words only, so little or nothing will match."
        )?;
    }
    writeln!(
        out,
        "Score: each matched word or phrase weighed by how rare it is in the ad (BM25 over its sentences) \
         and how few competencies share it; a job word counts more than a sentence sharing two words with \
         one of the competency's questions, and one word counts in at most {MAX_COUNTED} sentences.\n"
    )?;
    if ranking.ranked.is_empty() {
        writeln!(
            out,
            "No competency's words appear in it enough to say it asks for one."
        )?;
    }
    let mut gaps = Vec::new();
    for (place, ranked) in ranking.ranked.iter().enumerate() {
        writeln!(
            out,
            "{:>2}. {} (`{}`): {}",
            place + 1,
            ranked.name,
            ranked.key,
            ranked.explain()
        )?;
        write_evidence(out, ranked)?;
        match covering_stories(stories, &ranked.key) {
            Some(list) => writeln!(out, "    stories: {list}")?,
            None => {
                writeln!(
                    out,
                    "    GAP: no finished story; start one: rehearse new --competency {} \"TITLE\"",
                    ranked.key
                )?;
                gaps.push(ranked.key.as_str());
            }
        }
    }
    let name = |key: &str| bank.get(key).map_or(key.to_owned(), |c| c.name.clone());
    if !ranking.in_passing.is_empty() {
        writeln!(
            out,
            "\nMentioned in passing (below the bar to count as asked for):"
        )?;
        for ranked in &ranking.in_passing {
            writeln!(
                out,
                "    {} (`{}`): {}",
                ranked.name,
                ranked.key,
                ranked.explain()
            )?;
        }
    }
    if !ranking.unmentioned.is_empty() {
        let names: Vec<String> = ranking
            .unmentioned
            .iter()
            .map(|k| format!("{} (`{k}`)", name(k)))
            .collect();
        writeln!(out, "\nNot mentioned: {}.", names.join(", "))?;
    }
    if !ranking.without_words.is_empty() {
        writeln!(
            out,
            "The bank gives no job words or questions for {} competenc{}, so they cannot be matched: {}.",
            ranking.without_words.len(),
            if ranking.without_words.len() == 1 {
                "y"
            } else {
                "ies"
            },
            ranking.without_words.join(", ")
        )?;
    }
    if gaps.is_empty() {
        if !ranking.ranked.is_empty() {
            writeln!(out, "\nEvery competency it asks for has a finished story.")?;
        }
    } else {
        writeln!(out, "\nGaps the job asks for: {}.", gaps.join(", "))?;
    }
    Ok(())
}

/// `    "on-call" on lines 7, 9 (as "on call")`, one line per matched word, each line once.
fn write_evidence(out: &mut impl Write, ranked: &RankedCompetency) -> Result<()> {
    for m in &ranked.matches {
        let lines: Vec<String> = m.lines.iter().map(ToString::to_string).collect();
        let written: Vec<String> = m.found_as.iter().map(|f| format!("\"{f}\"")).collect();
        let as_written = if m.found_as == [m.word.to_lowercase()] {
            String::new()
        } else {
            format!(" (as {})", written.join(", "))
        };
        let from = if m.from_question {
            " [words of this question]"
        } else {
            ""
        };
        writeln!(
            out,
            "    \"{}\" on line{} {}{as_written}{from}",
            m.word,
            if m.lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        )?;
    }
    Ok(())
}
