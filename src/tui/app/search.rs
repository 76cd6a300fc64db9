//! The library's search: fuzzy title matching and word prefixes over the packed index, fast
//! enough to refilter 10,000 stories on every keystroke.

use fuzzy_matcher::FuzzyMatcher;

use super::App;
use super::library::Hit;

impl App {
    /// Recomputes the library's list for the query and filters, over every story.
    pub fn refilter(&mut self) {
        self.library.searched.clear();
        self.refilter_typed();
    }

    /// [`App::refilter`] after a character was typed: a query that extends the last one
    /// only searches the last hits (a match of `abc` implies one of `ab`, and the filters
    /// have not changed).
    pub(super) fn refilter_typed(&mut self) {
        let query = self.library.query.trim().to_owned();
        let narrowing = !self.library.searched.is_empty()
            && query.starts_with(&self.library.searched)
            && !query.is_empty();
        let candidates: Vec<usize> = if narrowing {
            self.library.hits.iter().map(|h| h.index).collect()
        } else {
            (0..self.data.stories.len()).collect()
        };
        let tag = self.library.tag.as_ref();
        let competency = self.library.competency.as_ref();
        let query_lower = query.to_lowercase();
        let index = &self.data.index;
        let terms: Vec<std::ops::Range<u32>> = query_lower
            .split_whitespace()
            .map(|term| index.prefix_range(term))
            .collect();
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter_map(|i| {
                if tag.is_some() || competency.is_some() {
                    let meta = &self.data.stories[i].story.meta;
                    if tag.is_some_and(|t| !meta.tags.contains(t))
                        || competency.is_some_and(|c| !meta.competencies.contains(c))
                    {
                        return None;
                    }
                }
                if query.is_empty() {
                    return Some(Hit { index: i, score: 0 });
                }
                let title = quick_score(index.title(i), &query_lower);
                let words = terms.iter().all(|range| index.has_word_in(i, range));
                match (title, words) {
                    (Some(score), _) => Some(Hit {
                        index: i,
                        score: score + if words { WORDS_BONUS } else { 0 },
                    }),
                    (None, true) => Some(Hit { index: i, score: 0 }),
                    (None, false) => None,
                }
            })
            .collect();
        if !query.is_empty() {
            // Few enough hits: rank titles with fuzzy-matcher's (slower, finer) skim score.
            if hits.len() <= FINE_RANKING {
                for hit in hits.iter_mut().filter(|h| h.score > 0) {
                    let title = &self.data.stories[hit.index].story.meta.title;
                    let words = hit.score >= WORDS_BONUS;
                    hit.score = self.matcher.fuzzy_match(title, &query).unwrap_or(0)
                        + if words { WORDS_BONUS } else { 0 };
                }
            }
            // Stable: equal scores keep story order.
            hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        }
        let selected_story = self.selected_index();
        self.library.hits = hits;
        self.library.searched = query;
        self.library.selected = selected_story
            .and_then(|s| self.library.hits.iter().position(|h| h.index == s))
            .filter(|_| self.library.query.is_empty())
            .unwrap_or(0);
    }

    /// Sets the query and searches every story (no narrowing): the slowest keystroke.
    pub fn search(&mut self, query: &str) {
        self.library.query = query.to_owned();
        self.refilter();
    }

    /// Character positions of the query's fuzzy match in a title (for highlighting).
    pub fn title_matches(&self, title: &str) -> Vec<usize> {
        let query = self.library.query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        self.matcher
            .fuzzy_indices(title, query)
            .map(|(_, indices)| indices)
            .unwrap_or_default()
    }
}

/// Added to a title match when every query word also starts a word of the story.
const WORDS_BONUS: i64 = 100_000;
/// Up to this many hits are ranked with fuzzy-matcher's skim score.
const FINE_RANKING: usize = 1_000;

/// A fast fuzzy score of `title` (lower case) for `query` (lower case): None unless the query's
/// characters appear in the title in order. Matches at word starts and in runs score higher;
/// a contiguous match higher still. This filters and ranks 10,000 titles in well under the
/// 5 ms a keystroke may take; fuzzy-matcher then ranks the survivors when they are few.
pub(super) fn quick_score(title: &str, query: &str) -> Option<i64> {
    let mut score = 0i64;
    let mut wanted = query.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut previous: Option<char> = None;
    let mut run = 0i64;
    let mut first: Option<usize> = None;
    let mut last = 0;
    for (i, c) in title.chars().enumerate() {
        let Some(&want) = wanted.peek() else {
            break;
        };
        if c == want {
            wanted.next();
            let word_start = previous.is_none_or(|p| !p.is_alphanumeric());
            run += 1;
            score += 16 + if word_start { 12 } else { 0 } + if run > 1 { 8 * run } else { 0 };
            first.get_or_insert(i);
            last = i;
        } else {
            run = 0;
        }
        previous = Some(c);
    }
    if wanted.peek().is_some() {
        return None;
    }
    let spread = i64::try_from(last - first.unwrap_or(0)).unwrap_or(0);
    if title.contains(query) {
        score += 50;
    }
    Some((score - spread).max(1))
}
