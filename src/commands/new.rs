//! `rehearse new TITLE`: scaffold a story with a fresh id, then open $VISUAL / $EDITOR. With
//! `--competency K`, the draft takes its questions and recall prompts from the question bank.

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{Env, load_stories_quietly};

const TEMPLATE: &str = include_str!("../../assets/story-template.md");

pub fn run(env: &Env, title: &str, no_edit: bool, competency: Option<&str>) -> Result<ExitCode> {
    let report = load_stories_quietly(env)?;
    let folder = env.paths.stories.path();
    let base = slug(title);
    anyhow::ensure!(
        !base.is_empty(),
        "the title needs at least one letter or digit"
    );
    let id = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| report.find(id).is_none() && !folder.join(format!("{id}.md")).exists())
        .expect("an unused id exists");
    let path = folder.join(format!("{id}.md"));
    let text = match competency {
        Some(key) => rehearse::story::scaffold::draft(
            &id,
            title,
            key,
            &rehearse::story::question_bank::QuestionBank::bundled(),
        )?,
        None => TEMPLATE
            .replace("{{id}}", &id)
            .replace("{{title}}", &title.replace('"', "'")),
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

/// "Cutting a Lambda from 19.5 s to 5 s!" -> "cutting-a-lambda-from-19-5-s-to-5-s"
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_dashes() {
        assert_eq!(
            slug("Cutting a Lambda from 19.5 s to 5 s!"),
            "cutting-a-lambda-from-19-5-s-to-5-s"
        );
        assert_eq!(slug("  Émigré   story "), "migr-story");
        assert_eq!(slug("!!!"), "");
    }
}
