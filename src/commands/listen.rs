//! `rehearse listen --story ID FILE`: a recorded answer heard on this machine and checked
//! against its story. Bad input gets a message naming the file; nothing is stored then.

use std::process::ExitCode;

use anyhow::{Result, bail};
use rehearse::speech::SectionMarks;
use rehearse::speech::listen::listen_file;
use rehearse::speech::report::{clock, render};
use rehearse::speech::{model, setup};

use super::{Env, load_stories};
use crate::cli::ListenArgs;

pub fn run(env: &Env, args: ListenArgs) -> Result<ExitCode> {
    let report = load_stories(env)?;
    let story = super::show::find(&report, &args.story)?;
    if args.marks.len() > 4 || args.marks.windows(2).any(|w| w[1] < w[0]) {
        bail!(
            "--marks takes up to four seconds in order (Situation,Task,Action,Result), e.g. 0,12,20,80"
        );
    }
    if !args.file.is_file() {
        bail!("{}: no such recording", args.file.display());
    }
    let home = super::speech::home()?;
    // The file is checked before the model, so a bad recording is named even without speech set up.
    rehearse::speech::audio::read_wav(&args.file)?;
    let helper = setup::helper_command(&home, &env.config.speech)?;
    let marks = SectionMarks::star(&args.marks);
    let heard = listen_file(story, &args.file, &marks, &helper)?;
    let model = model::model_name(&helper.model);
    if !args.no_save {
        super::practice(env, None)?.save_listened(
            args.question.as_deref(),
            &model,
            &heard.transcript,
            &heard.feedback,
        )?;
    }
    if args.json {
        let json = serde_json::json!({
            "story": story.id(),
            "question": args.question,
            "model": model,
            "audio_seconds": heard.audio_seconds,
            "feedback_seconds": heard.feedback_seconds,
            "load_seconds": heard.load_seconds,
            "transcript": heard.transcript,
            "feedback": heard.feedback,
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Heard {} of {} ({} Hz, {} channel{})\nagainst \"{}\" with {model}:\nfeedback {:.1} s after the request (model loaded in {:.1} s).",
        clock(heard.audio_seconds),
        args.file.display(),
        heard.source_rate,
        heard.source_channels,
        if heard.source_channels == 1 { "" } else { "s" },
        story.meta.title,
        heard.feedback_seconds,
        heard.load_seconds,
    );
    if let Some(question) = &args.question {
        println!("Question: {question}");
    }
    println!();
    print!("{}", render(&heard.feedback, &heard.transcript));
    if !args.no_save {
        println!("\nKept with the story's spoken attempts (`--no-save` to skip).");
    }
    Ok(ExitCode::SUCCESS)
}
