//! The stories shipped inside the binary, installed on first run to the user's data dir.

use std::path::Path;

/// (file name, contents) of every story in `stories/`.
pub const STORIES: &[(&str, &str)] = &[
    (
        "daily-refresh-18m.md",
        include_str!("../../stories/daily-refresh-18m.md"),
    ),
    (
        "lambda-limits-to-containers.md",
        include_str!("../../stories/lambda-limits-to-containers.md"),
    ),
    (
        "recursive-lambda-failure.md",
        include_str!("../../stories/recursive-lambda-failure.md"),
    ),
    (
        "scrum-kanban-bugs.md",
        include_str!("../../stories/scrum-kanban-bugs.md"),
    ),
    (
        "silent-permission-stop.md",
        include_str!("../../stories/silent-permission-stop.md"),
    ),
    (
        "tight-deadlines.md",
        include_str!("../../stories/tight-deadlines.md"),
    ),
    (
        "what-looking-for.md",
        include_str!("../../stories/what-looking-for.md"),
    ),
    (
        "xml-etl-lambda.md",
        include_str!("../../stories/xml-etl-lambda.md"),
    ),
];

/// Writes the bundled stories into `dir` unless it already holds Markdown files.
/// Returns how many files were written.
pub fn install(dir: &Path) -> std::io::Result<usize> {
    let has_stories = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "md"))
    });
    if has_stories {
        return Ok(0);
    }
    std::fs::create_dir_all(dir)?;
    for (name, text) in STORIES {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(STORIES.len())
}

/// What to tell the user once [`install`] wrote `count` stories into `dir`: where they are,
/// so they know which files to edit.
pub fn installed_note(count: usize, dir: &Path) -> String {
    let shown = std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .and_then(|home| dir.strip_prefix(home).ok())
        .map_or_else(
            || dir.display().to_string(),
            |rest| format!("~/{}", rest.display()),
        );
    format!("copied the {count} bundled stories to {shown} (edit them there)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_stories_is_bundled() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("stories");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".md"))
            .collect();
        on_disk.sort();
        let bundled: Vec<&str> = STORIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, bundled);
    }

    fn bundled(name: &str) -> crate::story::Story {
        let (file, text) = STORIES
            .iter()
            .find(|(file, _)| file.starts_with(name))
            .unwrap();
        crate::story::parse(Path::new(file), text).unwrap()
    }

    /// What is spoken is the story: no remarks about where a sentence came from. Those belong
    /// in comments, and in a metric's note.
    #[test]
    fn the_spoken_parts_carry_no_remarks_about_the_notes() {
        for (file, text) in STORIES {
            let story = crate::story::parse(Path::new(file), text).unwrap();
            for section in &story.sections {
                let spoken = crate::story::SectionKind::STAR.contains(&section.kind)
                    || section.kind == crate::story::SectionKind::Answer;
                let lower = section.text.to_lowercase();
                for remark in ["arithmetic", "the notes", "story's own", "not measured"] {
                    assert!(
                        !spoken || !lower.contains(remark),
                        "{file}:{}: \"{remark}\" in the spoken {}",
                        section.line,
                        section.kind.title()
                    );
                }
            }
        }
    }

    /// A number the notes give only as an example, or that follows from them, says so.
    #[test]
    fn examples_and_implied_numbers_carry_their_note() {
        let note = |story: &str, metric: &str| {
            bundled(story)
                .meta
                .metrics
                .iter()
                .find(|m| m.name.starts_with(metric))
                .and_then(|m| m.note.clone())
                .unwrap_or_default()
        };
        assert!(
            note("xml-etl-lambda", "processing time for one minute")
                .starts_with("an example from the notes, not measured")
        );
        assert!(note("daily-refresh-18m", "records per second").starts_with("implied by"));
        assert!(note("scrum-kanban-bugs", "time from bug report").starts_with("implied by"));
        // The correction of the notes' "around 400%" is in view wherever the number is.
        assert!(note("xml-etl-lambda", "time per XML, end to end").contains("around 400"));
    }

    /// Where a story corrects the notes, its visible text says so (not only a comment).
    #[test]
    fn corrections_of_the_notes_are_in_the_visible_text() {
        let lessons = |story: &str| {
            bundled(story)
                .section(crate::story::SectionKind::Lessons)
                .map(|s| s.text.clone())
                .unwrap_or_default()
        };
        let containers = lessons("lambda-limits-to-containers");
        assert!(
            containers.contains("no limits") && containers.contains("not true"),
            "{containers}"
        );
        let xml = lessons("xml-etl-lambda");
        assert!(xml.contains("around 400%") && xml.contains("3.9x"), "{xml}");
    }

    #[test]
    fn install_fills_an_empty_folder_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("stories");
        assert_eq!(install(&target).unwrap(), STORIES.len());
        let edited = target.join(STORIES[0].0);
        std::fs::write(&edited, "my edits").unwrap();
        assert_eq!(install(&target).unwrap(), 0);
        assert_eq!(std::fs::read_to_string(&edited).unwrap(), "my edits");
    }
}
