//! A job ad as the matcher reads it: sentences (the units BM25 ranks), each word lower-cased
//! and Snowball-stemmed, function words marked, and which language the ad is in.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// One word of the ad.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Snowball stem of the word (British spellings read as American first).
    pub stem: String,
    /// As written, lower-cased.
    pub text: String,
    /// A function word ("the", "with", "you"): it never counts on its own.
    pub stop: bool,
    /// 1-based line of the ad it is on (0 in a bank phrase).
    pub line: usize,
}

/// A sentence (or a list item, or a line without a full stop) and the line it starts on; a
/// sentence wrapped over several lines is one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// 1-based.
    pub line: usize,
    pub words: Vec<Word>,
}

impl Sentence {
    /// Words that are not function words.
    pub fn content_len(&self) -> usize {
        self.words.iter().filter(|w| !w.stop).count()
    }
}

/// The sentences of `text`: each line is split at `.`, `!`, `?` and `;` followed by a space,
/// and a sentence a long line leaves unfinished goes on on the next line (prose wrapped by
/// hand or by an email client). What an ad offers rather than asks for is left out (see
/// [`is_perks_heading`]).
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut in_perks = false;
    // A sentence the previous line left unfinished.
    let mut open: Option<Sentence> = None;
    let mut previous = "";
    for (index, line) in text.lines().enumerate() {
        let wrapped = open.is_some() && continues(previous, line);
        if !wrapped {
            finish(open.take(), &mut out);
            if let Some(heading) = heading(line) {
                in_perks = is_perks_heading(&heading);
            }
        }
        previous = line;
        if in_perks {
            continue;
        }
        let mut rest = line;
        while !rest.is_empty() {
            let cut = sentence_end(rest);
            let piece = &rest[..cut];
            let mut sentence = open.take().unwrap_or(Sentence {
                line: index + 1,
                words: Vec::new(),
            });
            sentence
                .words
                .extend(words(piece).into_iter().map(|w| Word {
                    line: index + 1,
                    ..w
                }));
            rest = &rest[cut..];
            if rest.is_empty() && !piece.trim_end().ends_with(['.', '!', '?', ';', ':']) {
                open = Some(sentence);
            } else {
                finish(Some(sentence), &mut out);
            }
        }
    }
    finish(open, &mut out);
    out
}

/// Keeps a sentence that has words and does not list what the employer offers.
fn finish(sentence: Option<Sentence>, out: &mut Vec<Sentence>) {
    if let Some(mut sentence) = sentence
        && !sentence.words.is_empty()
        && !offers(&sentence.words)
    {
        // Again over the whole sentence: a wrapped line may have cut "coding | test".
        read_in_context(&mut sentence.words);
        out.push(sentence);
    }
}

/// Whether `line` goes on with the sentence `previous` left unfinished: `previous` is long
/// enough to have been wrapped, and `line` starts with a word, not a list marker, a number
/// or a heading mark.
fn continues(previous: &str, line: &str) -> bool {
    let first = line.trim_start().chars().next();
    previous.trim().chars().count() >= WRAPPED_LINE && first.is_some_and(char::is_alphabetic)
}

/// Characters a line has when its text was wrapped rather than ended.
const WRAPPED_LINE: usize = 50;

/// A line that reads as a section heading, lower-cased without its marks: a Markdown
/// heading, or a short line that is not a list item and does not end a sentence
/// ("Benefits & perks", "**What we offer:**").
fn heading(line: &str) -> Option<String> {
    let trimmed = line.trim();
    let list_item = trimmed.starts_with(['-', '*', '•', '+'])
        && !trimmed.starts_with("**")
        && !trimmed.starts_with("* *");
    if trimmed.is_empty() || list_item || trimmed.ends_with(['.', ',', ';']) {
        return None;
    }
    let text: String = trimmed
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let short = text.split_whitespace().count() <= MAX_HEADING_WORDS;
    (short && !text.is_empty() || trimmed.starts_with('#')).then_some(text)
}

/// Words a line may have and still be a heading.
const MAX_HEADING_WORDS: usize = 6;

/// A section about what the employer gives (pay, perks) or its legal notices (equal
/// opportunity): it says nothing about what the job asks for, and its words ("learning
/// budget", "committed to", "your dependants", "hiring process") would count as if it did.
fn is_perks_heading(heading: &str) -> bool {
    const PERKS: [&str; 9] = [
        "benefit",
        "perks",
        "we offer",
        "what you get",
        "equal opportunit",
        "diversity",
        "inclusion",
        "compensation",
        "salary",
    ];
    PERKS.iter().any(|p| heading.contains(p))
}

/// A sentence that lists what the employer offers ("We offer stable employment, ...").
fn offers(words: &[Word]) -> bool {
    let text: Vec<&str> = words.iter().take(3).map(|w| w.text.as_str()).collect();
    matches!(
        text.as_slice(),
        ["we", "offer", ..] | ["what", "we", "offer"] | ["benefits", ..] | ["perks", ..]
    )
}

/// The byte offset just past the first sentence of `line` (its length when it has one).
fn sentence_end(line: &str) -> usize {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?' | b';') && bytes.get(i + 1).is_some_and(|n| *n == b' ') {
            return i + 1;
        }
    }
    line.len()
}

/// The words of a phrase or sentence, split at anything that is not a letter or a digit.
pub fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let text = w.to_lowercase();
            Word {
                stem: stem(&text),
                stop: is_stop(&text),
                text,
                line: 0,
            }
        })
        .collect();
    read_in_context(&mut out);
    out
}

/// Words whose neighbours change what they mean. "your own work", "the client's own team":
/// an adjective, not "own" the verb an ad asks for. "A/B tests", "a coding test",
/// "end-to-end tests": a kind of test, not the tests that keep code right nor owning
/// something end to end. Running it again on the same words changes nothing.
fn read_in_context(words: &mut [Word]) {
    for i in 0..words.len() {
        // "test them", "test an idea": trying something out, not tests of code.
        let next = words.get(i + 1).map(|w| w.text.as_str());
        if matches!(words[i].text.as_str(), "test" | "testing")
            && next.is_some_and(|n| TESTED_THINGS.contains(&n))
        {
            words[i].stem = "test_other".to_owned();
        }
        // "drive units", "a hard drive", "autonomous robots", "battery packs": a machine's
        // parts and kinds, not driving work, working autonomously or a phone's battery life.
        let previous = i.checked_sub(1).map_or("", |p| words[p].text.as_str());
        let next = words.get(i + 1).map(|w| w.text.as_str());
        if let Some(thing) = machine_word(&words[i].text, previous, next) {
            words[i].stem = thing.to_owned();
        }
        if i == 0 {
            continue;
        }
        let previous = words[i - 1].text.as_str();
        let possessive = words[i].text == "own" && POSSESSIVES.contains(&previous);
        let other_test = is_other_test(&words[i].text, Some(previous));
        let end_to_end_test = words[i].stem == "test"
            && i >= 3
            && words[i - 3..i]
                .iter()
                .map(|w| w.text.as_str())
                .eq(["end", "to", "end"]);
        if possessive {
            words[i].stop = true;
        }
        // "your profile", "a user profile": a noun, not profiling code ("profile it").
        if words[i].text == "profile" && PROFILE_OWNERS.contains(&previous) {
            words[i].stem = stem("profiles");
        }
        // "test automation", "QA automation engineer": a field of work, not automating toil.
        let next = words.get(i + 1).map(|w| w.text.as_str());
        if words[i].text == "automation"
            && (matches!(previous, "test" | "testing" | "qa")
                || next.is_some_and(|n| matches!(n, "engineer" | "engineers" | "tester")))
        {
            words[i].stem = "automation_field".to_owned();
        }
        if other_test {
            words[i].stem = "test_other".to_owned();
        }
        if end_to_end_test {
            for word in &mut words[i - 3..i] {
                if !word.stem.ends_with("_test") {
                    word.stem.push_str("_test");
                }
            }
        }
    }
}

/// Words after "test" that make it a verb on something else than code.
const TESTED_THINGS: [&str; 8] = [
    "a",
    "an",
    "the",
    "them",
    "it",
    "whether",
    "ideas",
    "hypotheses",
];

/// An A/B test, a coding or take-home test, a driving test: not the tests that keep code
/// right.
fn is_other_test(word: &str, previous: Option<&str>) -> bool {
    matches!(word, "test" | "tests")
        && previous.is_some_and(|p| matches!(p, "b" | "coding" | "home" | "driving"))
}

/// A word that names a machine, its parts or its kind where its neighbours say so, with the
/// stem it gets then: "drive" before "unit" or after "hard", "autonomous" before "robots",
/// "battery" before "packs".
fn machine_word(word: &str, previous: &str, next: Option<&str>) -> Option<&'static str> {
    let next = next.unwrap_or("");
    match word {
        "drive" | "drives"
            if matches!(
                next,
                "unit" | "units" | "motor" | "motors" | "train" | "trains" | "shaft" | "system"
            ) || matches!(
                previous,
                "hard" | "disk" | "flash" | "usb" | "shared" | "google"
            ) =>
        {
            Some("drive_part")
        }
        "autonomous"
            if matches!(
                next,
                "robot"
                    | "robots"
                    | "robotics"
                    | "vehicle"
                    | "vehicles"
                    | "driving"
                    | "car"
                    | "cars"
                    | "drone"
                    | "drones"
                    | "mobile"
                    | "picking"
                    | "systems"
                    | "agents"
            ) =>
        {
            Some("autonomous_machine")
        }
        "battery" | "batteries"
            if matches!(
                next,
                "pack" | "packs" | "cell" | "cells" | "module" | "modules" | "chemistry"
            ) =>
        {
            Some("battery_part")
        }
        _ => None,
    }
}

/// Words before "profile" that make it a noun.
const PROFILE_OWNERS: [&str; 9] = [
    "your",
    "our",
    "my",
    "a",
    "the",
    "user",
    "success",
    "job",
    "candidate",
];

/// Words before "own" that make it an adjective; "s" is what is left of "client's".
const POSSESSIVES: [&str; 8] = ["my", "your", "our", "their", "his", "her", "its", "s"];

/// The Snowball (Porter 2) stem of a lower-cased word; "optimise" and "optimize" meet.
pub fn stem(word: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    let stemmer = STEMMER.get_or_init(|| Stemmer::create(Algorithm::English));
    if let Some(own) = false_friend(word) {
        return own.to_owned();
    }
    let word = american(word);
    let stem = stemmer.stem(&word).into_owned();
    // Forms Snowball leaves apart that an ad uses for one thing.
    match stem.as_str() {
        "decis" => "decid".to_owned(),
        "prioriti" => "priorit".to_owned(),
        "mistak" => "failur".to_owned(),
        "fail" => "failur".to_owned(),
        "client" => "custom".to_owned(),
        _ => stem,
    }
}

/// Words Snowball gives the stem of a bank word although ads use them for something else:
/// each group gets a stem of its own. "integration" is not "integrity", "your dependants"
/// not "dependable", "accounted for" not "accountable", "we're hiring" not "hire engineers",
/// "user profiles" not "profiling", "test-driven" not "drive", a designer not "design",
/// "people depend on it" not "dependable".
fn false_friend(word: &str) -> Option<&'static str> {
    Some(match word {
        "integrate" | "integrated" | "integrates" | "integrating" | "integration"
        | "integrations" => "integrat",
        "dependant" | "dependants" | "dependent" | "dependents" | "dependency" | "dependencies" => {
            "dependenc"
        }
        "dependable" | "dependability" => "dependabl",
        "account" | "accounts" | "accounted" | "accounting" => "accounting",
        "hiring" => "hiring",
        "profiles" => "profiles",
        "driven" => "driven",
        "designer" | "designers" => "designer",
        // "Your missions": the duties, as an ad translated from French or Spanish says it; a
        // company's mission is singular.
        "missions" => "missions_duties",
        // Jetpack Compose, Docker Compose, a composer: not staying composed.
        "compose" | "composes" | "composer" | "composing" | "composition" => "compose_tool",
        _ => return None,
    })
}

/// British spellings an ad may use, as the bank writes them.
fn american(word: &str) -> std::borrow::Cow<'_, str> {
    const ISE: [&str; 8] = [
        "optimis",
        "prioritis",
        "organis",
        "recognis",
        "analys",
        "standardis",
        "minimis",
        "maximis",
    ];
    for root in ISE {
        if let Some(rest) = word.strip_prefix(root) {
            let z = format!("{}z{rest}", &root[..root.len() - 1]);
            return z.into();
        }
    }
    match word {
        "judgement" => "judgment".into(),
        "behaviour" => "behavior".into(),
        "behaviours" => "behaviors".into(),
        _ => word.into(),
    }
}

/// English function words: they join a phrase but never match alone.
pub fn is_stop(word: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "an", "and", "the", "to", "of", "in", "on", "for", "with", "you", "your", "yours",
        "me", "my", "i", "we", "our", "us", "it", "its", "that", "this", "these", "those", "is",
        "are", "was", "were", "be", "been", "being", "or", "at", "by", "from", "as", "so", "not",
        "do", "did", "does", "have", "has", "had", "will", "would", "can", "could", "should",
        "what", "how", "when", "who", "which", "there", "their", "they", "them", "he", "she",
        "her", "his", "about", "into", "if", "but", "than", "then", "also", "all", "any", "some",
        "more", "most", "very", "just", "up", "out", "over", "s", "t", "ll", "re", "ve", "d", "m",
    ];
    STOP.contains(&word)
}

/// Words every job ad uses whatever it asks for: they count for little.
pub fn is_generic(stem_: &str) -> bool {
    const GENERIC: &[&str] = &[
        "experi", "team", "work", "build", "strong", "skill", "abil", "role", "year", "engin",
        "softwar", "system", "product", "compani", "develop", "use", "make", "help", "good",
        "great", "new", "time", "job", "get", "peopl", "thing", "way", "like", "want", "need",
        "look", "part", "one", "two", "day", "week", "chang", "want", "find", "go", "come", "turn",
        "take", "done", "keep", "know", "set", "run", "see", "lot", "everi", "well",
    ];
    GENERIC.contains(&stem_)
}

/// The ad's language when it is reliably not English: the matcher reads English only. A text
/// of a few words is not judged: there is too little to tell.
pub fn not_english(text: &str) -> Option<&'static str> {
    if text.split_whitespace().count() < MIN_WORDS_TO_JUDGE {
        return None;
    }
    let info = whatlang::detect(text)?;
    (info.lang() != whatlang::Lang::Eng && info.is_reliable()).then(|| info.lang().eng_name())
}

/// Words a text needs before its language is judged.
const MIN_WORDS_TO_JUDGE: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_word_meet_at_one_stem() {
        for group in [
            &[
                "collaborate",
                "collaboration",
                "collaborating",
                "collaborative",
            ][..],
            &["decide", "decision", "decisions", "decided"],
            &["optimise", "optimize", "optimisation", "optimization"],
            &["prioritise", "prioritize", "prioritization", "priorities"],
            &["failure", "failures", "mistake", "mistakes", "fail"],
            &["own", "owns", "owned", "owning"],
        ] {
            let first = stem(group[0]);
            for word in group {
                assert_eq!(stem(word), first, "{word} vs {}", group[0]);
            }
        }
        assert_ne!(stem("lead"), stem("leadership"));
    }

    #[test]
    fn sentences_split_at_stops_and_keep_their_line() {
        let found = sentences("Intro line\nWe build things. You own them; we help!\n- a bullet");
        let lines: Vec<(usize, usize)> = found.iter().map(|s| (s.line, s.words.len())).collect();
        assert_eq!(lines, [(1, 2), (2, 3), (2, 3), (2, 2), (3, 2)]);
        assert!(found[1].words[0].stop);
        assert_eq!(found[1].content_len(), 2);
        // "e.g." and "3.5" do not end a sentence.
        assert_eq!(sentences("Go, e.g.Rust, 3.5 years").len(), 1);
    }

    #[test]
    fn a_sentence_wrapped_over_lines_is_one_sentence_and_each_word_keeps_its_line() {
        let text = "You will work on client sites, usually in mixed teams with the client's own\n\
                    developers. There is no coding\n\
                    - a bullet of its own\n\
                    short line\n\
                    another line";
        let found = sentences(text);
        let lines: Vec<(usize, usize)> = found.iter().map(|s| (s.line, s.words.len())).collect();
        assert_eq!(lines, [(1, 16), (2, 4), (3, 5), (4, 2), (5, 2)]);
        let developers = found[0].words.last().unwrap();
        assert_eq!(
            (developers.text.as_str(), developers.line),
            ("developers", 2)
        );
        assert_eq!(found[0].words[0].line, 1);
        // The last part of a wrapped sentence is read with the rest: "client's own".
        assert!(found[0].words[14].stop);
    }

    #[test]
    fn words_that_only_look_like_a_bank_word_keep_a_stem_of_their_own() {
        for (word, not) in [
            ("integration", "integrity"),
            ("dependants", "dependable"),
            ("accounted", "accountable"),
            ("hiring", "hire"),
            ("designers", "design"),
            ("driven", "drive"),
            ("depend", "dependable"),
        ] {
            assert_ne!(stem(word), stem(not), "{word} vs {not}");
        }
        let stems =
            |text: &str| -> Vec<String> { words(text).into_iter().map(|w| w.stem).collect() };
        assert_eq!(stems("write tests")[1], stems("unit testing")[1]);
        assert_ne!(stems("A/B tests")[2], stems("write tests")[1]);
        assert_ne!(stems("a coding test")[2], stems("write tests")[1]);
        assert_ne!(stems("test an idea")[0], stems("write tests")[1]);
        assert_eq!(stems("testing for code")[0], stems("write tests")[1]);
        assert_ne!(stems("end-to-end tests")[0], stems("own it end to end")[3]);
        assert_ne!(stems("Your profile")[1], stems("profile it")[0]);
        // A machine's parts and kinds are not the work words they look like.
        let drive = stem("drive");
        assert_ne!(stems("the drive units")[1], drive);
        assert_ne!(stems("a hard drive")[2], drive);
        assert_eq!(stems("drive the roadmap")[0], drive);
        assert_eq!(stems("you drive change")[1], drive);
        let autonomous = stem("autonomous");
        assert_ne!(stems("our autonomous robots")[1], autonomous);
        assert_ne!(stems("autonomous vehicles")[0], autonomous);
        assert_eq!(stems("you are autonomous and rigorous")[2], autonomous);
        assert_eq!(stems("work autonomous")[1], autonomous);
        assert_ne!(stems("battery packs")[0], stem("battery"));
        assert_eq!(stems("the battery lasts")[1], stem("battery"));
        assert_ne!(stems("Your missions")[1], stem("mission"));
        assert_eq!(stems("our mission")[1], stem("mission"));
        assert_ne!(stems("a user profile")[2], stems("profiling")[0]);
        assert_eq!(stems("profile it")[0], stems("profiling")[0]);
        assert_ne!(stems("Test Automation Engineer")[1], stems("automate")[0]);
        assert_ne!(stems("QA automation")[1], stems("automate")[0]);
        assert_eq!(stems("automation of toil")[0], stems("automate")[0]);
        assert_ne!(stem("compose"), stem("composure"));
        assert_ne!(stems("Jetpack Compose")[1], stems("stay composed")[1]);
        // "the client's own team": "own" is an adjective there.
        assert!(words("the client's own team")[3].stop);
    }

    #[test]
    fn what_an_ad_offers_is_not_read_as_what_it_asks_for() {
        let ad = "What you'll do\n- Mentor engineers\n\nBenefits & perks\n- A learning budget\n\
                  - Private health insurance for you and your dependants\n\n\
                  Our commitment to diversity\nWe are committed to an inclusive workplace for all.\n\n\
                  About you\n- You own what you ship. We offer a gym.";
        let kept: Vec<(usize, String)> = sentences(ad)
            .into_iter()
            .map(|s| {
                (
                    s.line,
                    s.words
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                (1, "what you ll do".to_owned()),
                (2, "mentor engineers".to_owned()),
                (11, "about you".to_owned()),
                (12, "you own what you ship".to_owned()),
            ]
        );
    }

    #[test]
    fn a_german_ad_is_told_apart_from_an_english_one() {
        let german = include_str!("../../../tests/fixtures/job/german-ad.md");
        assert_eq!(not_english(german), Some("German"));
        let english = include_str!("../../../tests/fixtures/job/ads/sre.md");
        assert_eq!(not_english(english), None);
        assert_eq!(not_english("Entwickler gesucht"), None, "too short to tell");
    }
}
