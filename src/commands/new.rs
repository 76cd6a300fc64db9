//! `rehearse new TITLE`: scaffold a story with a fresh id (the story id rule), written through
//! the story writer so any title loads back as typed, then open $VISUAL / $EDITOR. With
//! `--competency K`, the draft takes its questions and recall prompts from the question bank.

use std::process::ExitCode;

use anyhow::{Context, Result};

use rehearse::story::{self, FrontMatter, StoryKind};

use super::{Env, load_stories_quietly};

/// The body of a new story; the front matter is written from [`FrontMatter`].
const TEMPLATE: &str = include_str!("../../assets/story-template.md");

pub fn run(env: &Env, title: &str, no_edit: bool, competency: Option<&str>) -> Result<ExitCode> {
    let report = load_stories_quietly(env)?;
    let folder = env.paths.stories.path();
    let id = story::id::unique(title, |id| {
        report.find(id).is_some() || folder.join(format!("{id}.md")).exists()
    });
    let path = folder.join(format!("{id}.md"));
    let text = match competency {
        Some(key) => story::scaffold::draft(
            &id,
            title,
            key,
            &story::question_bank::QuestionBank::bundled(),
        )?,
        None => {
            let meta = FrontMatter {
                id,
                title: title.to_owned(),
                kind: StoryKind::Story,
                draft: false,
                tags: vec![],
                competencies: vec![],
                questions: vec!["Tell me about a time ...".to_owned()],
                demo: None,
                metrics: vec![],
                source: None,
            };
            story::write::story_text(&meta, TEMPLATE)?
        }
    };
    std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    // create_new: never overwrite a file that appeared since we looked.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .with_context(|| format!("writing {}", path.display()))?;
    println!("{}", path.display());
    if !no_edit {
        rehearse::editor::edit_if_set(&path)
            .with_context(|| format!("{} is written and kept", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
