//! The four ways to get the 20 fields out of a record.

pub mod full;
pub mod regex;
pub mod scan;
pub mod stream;

use crate::error::PickError;
use crate::fields::{PathTrie, Picked};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Strategy {
    /// XML -> nested map like xmltodict, then pick.
    Full,
    /// Compiled regexes per segment and field (the story's fix).
    Regex,
    /// quick-xml events, keeping only the wanted paths.
    Stream,
    /// memchr scanner, falling back to the parser when unsure.
    Scan,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::Full,
        Strategy::Regex,
        Strategy::Stream,
        Strategy::Scan,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Strategy::Full => "full conversion (1)",
            Strategy::Regex => "regex (2)",
            Strategy::Stream => "quick-xml stream (3)",
            Strategy::Scan => "memchr scan (4)",
        }
    }

    /// Short id for metric groups and `--strategies`.
    pub fn id(self) -> &'static str {
        match self {
            Strategy::Full => "full",
            Strategy::Regex => "regex",
            Strategy::Stream => "stream",
            Strategy::Scan => "scan",
        }
    }
}

/// Everything the strategies need prepared once: the path trie and the compiled regexes.
pub struct Picker {
    trie: PathTrie,
    regex: regex::RegexPicker,
}

impl Default for Picker {
    fn default() -> Self {
        Self::new()
    }
}

impl Picker {
    pub fn new() -> Self {
        Self {
            trie: PathTrie::new(),
            regex: regex::RegexPicker::new(),
        }
    }

    pub fn pick(&self, strategy: Strategy, record: &[u8]) -> Result<Picked, PickError> {
        match strategy {
            Strategy::Full => full::pick(record),
            Strategy::Regex => self.regex.pick(record),
            Strategy::Stream => stream::pick(&self.trie, record),
            Strategy::Scan => scan::pick(&self.trie, record),
        }
    }

    /// Strategy 4, also saying whether the record needed the parser.
    pub fn scan_with_path(&self, record: &[u8]) -> (Result<Picked, PickError>, scan::Path) {
        scan::pick_with_path(&self.trie, record)
    }
}
