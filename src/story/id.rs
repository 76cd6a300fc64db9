//! The one rule that turns a title into a story id: readable ASCII (`a-z`, `0-9`, `-`) for any
//! title in any script, made unique against the ids and files that already exist.
//!
//! Every place that makes a story id (`rehearse new`, `rehearse import`) goes through here, so
//! the same title always gets the same id. Card ids made from question text are a different
//! thing (`srs::card`), keyed into review history, and do not use this rule.

/// Longest id this rule makes, before a `-2` suffix: long enough to read, short for file names.
const MAX_LEN: usize = 60;

/// What a title with no letters or digits at all (`"!!!"`) becomes.
const FALLBACK: &str = "story";

/// "Ünïcödé résumé" -> "unicode-resume"; "Cutting a Lambda from 19.5 s to 5 s!" ->
/// "cutting-a-lambda-from-19-5-s-to-5-s". Other scripts are transliterated ("面接" -> "mian-jie").
/// Never empty: a title with no letters or digits gets [`FALLBACK`].
pub fn from_title(title: &str) -> String {
    let ascii = deunicode::deunicode(title);
    let mut id = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = shorten(id.trim_end_matches('-'));
    if id.is_empty() {
        FALLBACK.to_owned()
    } else {
        id
    }
}

/// `from_title(title)`, or with `-2`, `-3`, ... appended: the first that `taken` says is free.
pub fn unique(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = from_title(title);
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|id| !taken(id))
        .expect("an unused id exists")
}

/// Cuts at the last `-` within [`MAX_LEN`] so no word is cut in half (unless it is one word).
fn shorten(id: &str) -> String {
    if id.len() <= MAX_LEN {
        return id.to_owned();
    }
    // The id is ASCII, so byte offsets are character offsets.
    let head = &id[..MAX_LEN];
    let cut = match head.rfind('-') {
        Some(dash) if id.as_bytes()[MAX_LEN] != b'-' => &head[..dash],
        _ => head,
    };
    cut.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_valid(id: &str) -> bool {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !id.starts_with('-')
            && !id.ends_with('-')
            && !id.contains("--")
    }

    #[test]
    fn latin_titles_become_lowercase_words_joined_by_dashes() {
        assert_eq!(
            from_title("Cutting a Lambda from 19.5 s to 5 s!"),
            "cutting-a-lambda-from-19-5-s-to-5-s"
        );
        assert_eq!(from_title("Ünïcödé résumé"), "unicode-resume");
        assert_eq!(from_title("  Émigré   story "), "emigre-story");
        assert_eq!(
            from_title("Fixed C:\\temp\\new build \\u"),
            "fixed-c-temp-new-build-u"
        );
    }

    #[test]
    fn other_scripts_are_transliterated_not_refused() {
        for title in [
            "面接の準備",
            "Ошибка в продакшене",
            "Αποτυχία",
            "실패한 프로젝트",
            "مشروع",
        ] {
            let id = from_title(title);
            assert!(is_valid(&id), "{title} -> {id}");
            assert_ne!(
                id, FALLBACK,
                "{title} has letters, so its id comes from them"
            );
        }
        assert_eq!(from_title("Ошибка в продакшене"), "oshibka-v-prodakshene");
    }

    #[test]
    fn a_title_without_letters_or_digits_still_gets_an_id() {
        assert_eq!(from_title("!!!"), FALLBACK);
        assert_eq!(from_title(""), FALLBACK);
    }

    #[test]
    fn long_titles_are_cut_between_words() {
        let id = from_title(&"word ".repeat(40));
        assert!(id.len() <= MAX_LEN, "{id}");
        assert!(id.ends_with("word") && is_valid(&id), "{id}");
        let one_word = from_title(&"a".repeat(100));
        assert_eq!(one_word.len(), MAX_LEN);
    }

    #[test]
    fn unique_ids_get_the_first_free_number() {
        let taken = ["retro", "retro-2"];
        assert_eq!(unique("Retro", |id| taken.contains(&id)), "retro-3");
        assert_eq!(unique("Other", |id| taken.contains(&id)), "other");
    }
}
