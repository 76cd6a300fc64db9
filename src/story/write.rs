//! Front matter + body -> the text of a story file. The front matter goes through the YAML
//! serializer, never string formatting, so any title (quotes, backslashes, `#`, `yes`, any
//! script) loads back exactly as written; the text is parsed back before it is handed out.

use std::path::Path;

use super::{FrontMatter, parse};

/// Why a story could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("the title is blank: a story needs a title, one line that says what happened")]
    BlankTitle,
    #[error("the title {0:?} has a line break or control character; a title is one line")]
    TitleNotOneLine(String),
    #[error("could not write the front matter as YAML: {0}")]
    Yaml(String),
    /// A bug guard: what was written must load back as the same front matter.
    #[error("the written story would not load back the same ({0})")]
    NoRoundTrip(String),
}

/// The whole file: `---`, the front matter as YAML, `---`, a blank line, the body.
pub fn story_text(meta: &FrontMatter, body: &str) -> Result<String, WriteError> {
    if meta.title.trim().is_empty() {
        return Err(WriteError::BlankTitle);
    }
    if meta.title.chars().any(char::is_control) {
        return Err(WriteError::TitleNotOneLine(meta.title.clone()));
    }
    let yaml = serde_saphyr::to_string(meta).map_err(|e| WriteError::Yaml(e.to_string()))?;
    let mut text = format!("---\n{yaml}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("---\n");
    let body = body.trim_start_matches(['\n', '\r']);
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let loaded = parse(Path::new("new story"), &text)
        .map_err(|e| WriteError::NoRoundTrip(e.message.clone()))?;
    if loaded.meta != *meta {
        return Err(WriteError::NoRoundTrip(format!(
            "wrote {meta:?}, read back {:?}",
            loaded.meta
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::super::{MetricClaim, Source, StoryKind};
    use super::*;

    fn meta(title: &str) -> FrontMatter {
        FrontMatter {
            id: "s".to_owned(),
            title: title.to_owned(),
            kind: StoryKind::Story,
            draft: true,
            tags: vec![],
            competencies: vec![],
            questions: vec![],
            demo: None,
            metrics: vec![],
            source: None,
        }
    }

    fn round_trip(meta: &FrontMatter) -> FrontMatter {
        let text = story_text(meta, "## Situation\n\nWhere.\n").unwrap();
        parse(Path::new("s.md"), &text).unwrap().meta
    }

    #[test]
    fn nasty_titles_load_back_exactly() {
        for title in [
            r"Fixed C:\temp\new build \u",
            r#"She said "no" and 'yes'"#,
            "key: value: more",
            "# not a comment",
            "a # comment?",
            "- a list?",
            "[not, a, list]",
            "{not: a map}",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "0x1F",
            "1.5",
            "2024-01-05",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick`",
            "|",
            ">",
            "---",
            "...",
            "  leading and trailing spaces  ",
            "Ünïcödé résumé",
            "面接の準備: 失敗から学んだこと",
            "emoji 🚀 story",
            "tab\tinside",
        ] {
            if title.contains('\t') {
                assert!(story_text(&meta(title), "").is_err(), "{title:?}");
                continue;
            }
            assert_eq!(round_trip(&meta(title)).title, title, "{title:?}");
        }
    }

    #[test]
    fn titles_with_line_breaks_are_refused_not_written() {
        for title in ["two\nlines", "carriage\rreturn", "nul\0byte"] {
            assert_eq!(
                story_text(&meta(title), ""),
                Err(WriteError::TitleNotOneLine(title.to_owned()))
            );
        }
    }

    #[test]
    fn blank_titles_are_refused_not_written() {
        for title in ["", "   ", "\u{3000}", " \u{a0} "] {
            assert_eq!(
                story_text(&meta(title), ""),
                Err(WriteError::BlankTitle),
                "{title:?}"
            );
        }
    }

    #[test]
    fn every_field_survives_the_round_trip() {
        let mut full = meta("Full");
        full.kind = StoryKind::Motivation;
        full.tags = vec!["yes".into(), "a: b".into(), "#x".into()];
        full.competencies = vec!["ownership".into()];
        full.questions = vec!["Tell me about a time: \"quoted\" \\ stuff?".into()];
        full.demo = Some("xml-cherry-pick".into());
        full.metrics = vec![MetricClaim {
            name: "time".into(),
            before: Some("19.5 s".into()),
            after: Some("5 s".into()),
            claim: Some("about 4x faster (74% less time)".into()),
            note: Some("an example: \"say 10 a minute\"".into()),
        }];
        full.source = Some(Source {
            file: r"C:\notes\a: b.md".into(),
            hash: Some("sha256:0123abcd".into()),
            front_matter: [
                ("aliases".to_owned(), serde_json::json!(["x", "null", 3])),
                ("created".to_owned(), serde_json::json!("2024-01-05")),
                ("nested".to_owned(), serde_json::json!({"a": {"b": true}})),
            ]
            .into(),
            unsplit: true,
        });
        assert_eq!(round_trip(&full), full);
        assert_eq!(round_trip(&meta("Plain")), meta("Plain"));
    }

    #[test]
    fn the_body_follows_one_blank_line_and_ends_with_a_newline() {
        let text = story_text(&meta("T"), "\n\n## Situation\n\nWhere.").unwrap();
        assert!(text.starts_with("---\nid: s\ntitle: T\n"), "{text}");
        assert!(text.ends_with("---\n\n## Situation\n\nWhere.\n"), "{text}");
    }
}
