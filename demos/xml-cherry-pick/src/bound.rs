//! The bound quick-xml itself puts on streaming: its events read and dropped. No picker built on
//! those events can be faster, so this says how much streaming can gain over the full
//! conversion at best (the bench prints it; the demo shows it beside the strategies). And the
//! reference for scanning: the same bytes searched for every `<` by `memmem`, nothing else done.

use crate::corpus::Corpus;
use crate::measure::Throughput;

/// How much of strategy 1's checking the bound includes: the checks quick-xml leaves to its
/// caller, each level adding to the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Checks {
    /// Events only.
    None,
    /// Attributes parsed (strategy 1 rejects malformed ones).
    Attributes,
    /// And the record validated as UTF-8 (quick-xml 0.41 does not).
    AttributesAndUtf8,
}

impl Checks {
    pub const ALL: [Checks; 3] = [Checks::None, Checks::Attributes, Checks::AttributesAndUtf8];

    pub fn label(self) -> &'static str {
        match self {
            Checks::None => "events, nothing kept",
            Checks::Attributes => "+ attributes parsed",
            Checks::AttributesAndUtf8 => "+ UTF-8 validated",
        }
    }
}

/// Reads every event of `record` and keeps nothing; returns how many it saw.
pub fn read_events(record: &[u8], checks: Checks) -> usize {
    if checks >= Checks::AttributesAndUtf8 && simdutf8::basic::from_utf8(record).is_err() {
        return 0;
    }
    let mut reader = quick_xml::Reader::from_reader(record);
    reader.config_mut().expand_empty_elements = true;
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return events,
            Ok(quick_xml::events::Event::Start(e)) if checks >= Checks::Attributes => {
                events += 1 + e.attributes().filter(Result::is_ok).count();
            }
            Ok(_) => events += 1,
        }
    }
}

/// How many `<` a record holds, found by `memchr::memmem` alone, one call per `<`: the
/// scanner's reference (issue 24's fixed yardstick). Not a hard bound: most of its time is the
/// call per `<`, and locating every `<` eight bytes at a time, as the scanner does, is faster
/// (the bench prints that floor beside it).
pub fn memmem_pass(record: &[u8]) -> usize {
    memchr::memmem::find_iter(record, b"<").count()
}

/// One pass of [`read_events`] over the corpus.
pub fn measure(corpus: &Corpus, checks: Checks) -> Throughput {
    let (events, throughput) = Throughput::measure(corpus.bytes(), || {
        corpus
            .records()
            .map(|r| read_events(std::hint::black_box(r), checks))
            .sum::<usize>()
    });
    std::hint::black_box(events);
    throughput
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_checks_more() {
        let good = br#"<r><a x="1">t</a><b/></r>"#;
        // r, a (with its attribute), t, /a, b, /b, /r
        assert_eq!(read_events(good, Checks::None), 7);
        assert_eq!(read_events(good, Checks::Attributes), 8);
        assert_eq!(read_events(good, Checks::AttributesAndUtf8), 8);
        let bad_utf8 = b"<r>\xFF</r>";
        assert!(read_events(bad_utf8, Checks::None) > 0);
        assert_eq!(read_events(bad_utf8, Checks::AttributesAndUtf8), 0);
    }

    #[test]
    fn the_memmem_pass_finds_every_tag_opening() {
        assert_eq!(memmem_pass(br#"<r><a x="1">t</a><b/></r>"#), 5);
        assert_eq!(memmem_pass(b"no markup"), 0);
    }
}
