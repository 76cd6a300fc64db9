//! A deterministic generator of one day's feed files, and what each file holds.
//!
//! Day 1 creates every record. Day 2 is the measured refresh: of its rows about 10% are new,
//! 30% changed and 60% unchanged. Every changed row differs from day 1 in at least one column,
//! so the expected created / updated / unchanged counts are exact.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::EtlError;
use crate::feed::{Feed, Kind};

const STATUSES: [&str; 4] = ["new", "paid", "packed", "shipped"];
const CARRIERS: [&str; 4] = ["DHL", "UPS", "FedEx", "La Poste"];
const SHIP_STATUSES: [&str; 3] = ["label", "in transit", "delivered"];
const EVENT_STATUSES: [&str; 3] = ["open", "settled", "void"];

/// How many records a feed has on day 1 (`base`) and day 2 (`total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedSize {
    pub base: u64,
    pub total: u64,
}

/// What a generated day holds, per feed: the loader's expected outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedManifest {
    pub feed: Feed,
    pub path: PathBuf,
    /// Data lines in the file (records plus injected malformed lines).
    pub lines: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub malformed: u64,
    pub bytes: u64,
}

/// Expected outcome per feed, from the generator.
pub(crate) fn manifest_by_feed(day: &[FeedManifest]) -> HashMap<Feed, &FeedManifest> {
    day.iter().map(|m| (m.feed, m)).collect()
}

/// The kinds of malformed line injected with `--bad-rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    Number,
    MissingKey,
    BrokenQuote,
    UnknownReference,
}

const BAD_KINDS: [Bad; 4] = [
    Bad::Number,
    Bad::MissingKey,
    Bad::BrokenQuote,
    Bad::UnknownReference,
];

/// A deterministic generator: the same records, seed and bad-row count give the same bytes.
#[derive(Debug, Clone)]
pub struct Generator {
    records: u64,
    seed: u64,
    bad_rows: u64,
}

/// A field value while generating.
enum Cell {
    Int(i64),
    Text(String),
}

impl Generator {
    /// `records` is the size of the day-2 refresh, over all feeds.
    pub fn new(records: u64, seed: u64, bad_rows: u64) -> Self {
        Self {
            records,
            seed,
            bad_rows,
        }
    }

    pub fn size(&self, feed: Feed) -> FeedSize {
        let total = (self.records * feed.share_per_mille() / 1000).max(10);
        FeedSize {
            base: total - total / 10,
            total,
        }
    }

    fn hash(&self, feed: Feed, id: u64, salt: u64) -> u64 {
        splitmix(self.seed ^ ((feed as u64) << 56) ^ (salt << 48) ^ id)
    }

    /// Whether an existing record changes on day 2: about a third of them, so 30% of the day.
    fn changes(&self, feed: Feed, id: u64) -> bool {
        self.hash(feed, id, 1).is_multiple_of(3)
    }

    /// A referenced key that exists on the day the record first appears, and stays the same.
    fn reference(&self, feed: Feed, id: u64, target: Feed, salt: u64) -> i64 {
        let own = self.size(feed);
        let target = self.size(target);
        let range = if id <= own.base {
            target.base
        } else {
            target.total
        };
        (self.hash(feed, id, salt) % range + 1) as i64
    }

    fn cells(&self, feed: Feed, id: u64, version: u64, out: &mut Vec<Cell>) {
        out.clear();
        let h = self.hash(feed, id, 2);
        let v = version as i64;
        out.push(Cell::Int(id as i64));
        match feed {
            Feed::Customers => {
                let name = if h.is_multiple_of(7) {
                    format!("Martin, Jr. {id}")
                } else {
                    format!("Customer {id}")
                };
                let email = format!("c{id}.v{version}@example.com");
                let email = if h.is_multiple_of(5) {
                    email.to_uppercase()
                } else {
                    email
                };
                out.push(Cell::Text(name));
                out.push(Cell::Text(email));
                out.push(Cell::Int((h >> 8) as i64 % 12));
                out.push(Cell::Int(((h >> 16) as i64 + v) % 4));
            }
            Feed::Products => {
                out.push(Cell::Text(format!("SKU-{id:08}")));
                let name = if h.is_multiple_of(11) {
                    format!("The \"Best\" widget {id}")
                } else {
                    format!("Widget {id}")
                };
                out.push(Cell::Text(name));
                out.push(Cell::Int((h >> 8) as i64 % 40));
                out.push(Cell::Int(100 + (h >> 16) as i64 % 5000 + 10 * v));
            }
            Feed::Prices => {
                out.push(Cell::Int(self.reference(feed, id, Feed::Products, 3)));
                out.push(Cell::Int((h >> 8) as i64 % 12));
                out.push(Cell::Int(99 + (h >> 16) as i64 % 100_000 + 25 * v));
            }
            Feed::Inventory => {
                out.push(Cell::Int(self.reference(feed, id, Feed::Products, 3)));
                out.push(Cell::Int((h >> 8) as i64 % 30));
                out.push(Cell::Int((h >> 16) as i64 % 1000 + 7 * v));
            }
            Feed::Orders => {
                out.push(Cell::Int(self.reference(feed, id, Feed::Customers, 3)));
                out.push(Cell::Int(20_000 + (h >> 8) as i64 % 365));
                out.push(Cell::Text(
                    STATUSES[((h >> 16) + version) as usize % STATUSES.len()].to_owned(),
                ));
            }
            Feed::OrderLines => {
                out.push(Cell::Int(self.reference(feed, id, Feed::Orders, 3)));
                out.push(Cell::Int(self.reference(feed, id, Feed::Products, 4)));
                out.push(Cell::Int(1 + (h >> 8) as i64 % 9 + v));
                out.push(Cell::Int(99 + (h >> 16) as i64 % 100_000));
            }
            Feed::Shipments => {
                out.push(Cell::Int(self.reference(feed, id, Feed::Orders, 3)));
                out.push(Cell::Text(
                    CARRIERS[(h >> 8) as usize % CARRIERS.len()].to_owned(),
                ));
                out.push(Cell::Int(20_000 + (h >> 16) as i64 % 365));
                out.push(Cell::Text(
                    SHIP_STATUSES[((h >> 24) + version) as usize % SHIP_STATUSES.len()].to_owned(),
                ));
            }
            _ => {
                out.push(Cell::Text(format!(
                    "{}-{:06x}",
                    &feed.name()[..3].to_uppercase(),
                    h & 0xff_ffff
                )));
                out.push(Cell::Int(20_000 + (h >> 24) as i64 % 365));
                out.push(Cell::Int((h >> 32) as i64 % 1_000_000 + 13 * v));
                out.push(Cell::Text(
                    EVENT_STATUSES[((h >> 40) + version) as usize % EVENT_STATUSES.len()]
                        .to_owned(),
                ));
            }
        }
    }

    /// Malformed lines for a feed, as (after this many records, kind), spread over the file.
    fn bad_lines(&self, feed: Feed, records: u64) -> Vec<(u64, Bad)> {
        let index = Feed::ALL.iter().position(|f| *f == feed).unwrap_or(0) as u64;
        let feeds = Feed::ALL.len() as u64;
        let mine: Vec<u64> = (0..self.bad_rows).filter(|k| k % feeds == index).collect();
        let count = mine.len() as u64;
        mine.iter()
            .enumerate()
            .map(|(i, k)| {
                let after = (records * (i as u64 + 1) / (count + 1)).clamp(1, records);
                // Kinds cycle independently of feeds, so a few bad rows show every kind.
                (after, BAD_KINDS[*k as usize % BAD_KINDS.len()])
            })
            .collect()
    }

    /// Writes day 1 or day 2 of every feed into `dir`, in parallel, and returns what each holds.
    pub fn write_day(&self, dir: &Path, day: u32) -> Result<Vec<FeedManifest>, EtlError> {
        std::fs::create_dir_all(dir).map_err(|source| EtlError::Write {
            path: dir.to_owned(),
            source,
        })?;
        // Two writers share the feeds: largest first keeps them about even.
        let mut order = Feed::ALL.to_vec();
        order.sort_by_key(|f| std::cmp::Reverse(self.size(*f).total));
        let lanes: [Vec<Feed>; 2] = {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let (mut wa, mut wb) = (0, 0);
            for feed in order {
                if wa <= wb {
                    wa += self.size(feed).total;
                    a.push(feed);
                } else {
                    wb += self.size(feed).total;
                    b.push(feed);
                }
            }
            [a, b]
        };
        let results: Vec<Result<FeedManifest, EtlError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = lanes
                .iter()
                .map(|lane| {
                    scope.spawn(move || {
                        lane.iter()
                            .map(|feed| self.write_feed(dir, *feed, day))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join().unwrap_or_else(|_| {
                        vec![Err(EtlError::Writer("a generator thread panicked".into()))]
                    })
                })
                .collect()
        });
        let mut manifests = results.into_iter().collect::<Result<Vec<_>, _>>()?;
        manifests.sort_by_key(|m| m.feed);
        Ok(manifests)
    }

    fn write_feed(&self, dir: &Path, feed: Feed, day: u32) -> Result<FeedManifest, EtlError> {
        let path = dir.join(feed.file_name());
        let io_err = |source| EtlError::Write {
            path: path.clone(),
            source,
        };
        let size = self.size(feed);
        let mut out = BufWriter::with_capacity(1 << 16, File::create(&path).map_err(io_err)?);
        writeln!(out, "{}", feed.header()).map_err(io_err)?;
        let records = if day <= 1 { size.base } else { size.total };
        let bad = if day <= 1 {
            Vec::new()
        } else {
            self.bad_lines(feed, records)
        };
        let mut bad = bad.into_iter().peekable();
        let (mut updated, mut cells, mut line) = (0, Vec::new(), String::new());
        for id in 1..=records {
            let version = u64::from(day >= 2 && id <= size.base && self.changes(feed, id));
            updated += version;
            self.cells(feed, id, version, &mut cells);
            encode(&cells, &mut line);
            out.write_all(line.as_bytes()).map_err(io_err)?;
            while let Some((_, kind)) = bad.next_if(|(after, _)| *after == id) {
                // Keys far beyond the day's range, so a malformed line never shadows a record.
                self.cells(feed, size.total + 1_000_000 + id, 0, &mut cells);
                malform(feed, kind, &mut cells, &mut line);
                out.write_all(line.as_bytes()).map_err(io_err)?;
            }
        }
        let malformed = if day <= 1 {
            0
        } else {
            self.bad_lines(feed, records).len() as u64
        };
        out.flush().map_err(io_err)?;
        let bytes = std::fs::metadata(&path).map_err(io_err)?.len();
        let (created, unchanged) = if day <= 1 {
            (records, 0)
        } else {
            (size.total - size.base, size.base - updated)
        };
        Ok(FeedManifest {
            feed,
            path,
            lines: records + malformed,
            created,
            updated,
            unchanged,
            malformed,
            bytes,
        })
    }
}

/// One CSV line with a trailing newline; text is quoted when it holds a comma or a quote.
fn encode(cells: &[Cell], line: &mut String) {
    use std::fmt::Write as _;
    line.clear();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        match cell {
            Cell::Int(n) => {
                let _ = write!(line, "{n}");
            }
            Cell::Text(s) if s.contains([',', '"']) => {
                line.push('"');
                line.push_str(&s.replace('"', "\"\""));
                line.push('"');
            }
            Cell::Text(s) => line.push_str(s),
        }
    }
    line.push('\n');
}

fn malform(feed: Feed, kind: Bad, cells: &mut [Cell], line: &mut String) {
    let columns = feed.columns();
    match kind {
        Bad::Number => {
            let at = (1..columns.len())
                .find(|i| columns[*i].kind == Kind::Int)
                .unwrap_or(0);
            cells[at] = Cell::Text("12x".into());
            encode(cells, line);
        }
        Bad::MissingKey => {
            cells[0] = Cell::Text(String::new());
            encode(cells, line);
        }
        Bad::BrokenQuote => {
            encode(cells, line);
            // An opening quote that never closes, on the last field (never quoted itself).
            let comma = line.rfind(',').map_or(0, |c| c + 1);
            line.insert(comma, '"');
        }
        Bad::UnknownReference => {
            match columns.iter().position(|c| c.refs.is_some()) {
                Some(at) => cells[at] = Cell::Int(999_999_999_999),
                // No reference to break: drop a field instead.
                None => {
                    encode(&cells[..cells.len() - 1], line);
                    return;
                }
            }
            encode(cells, line);
        }
    }
}

/// A stable 64-bit mix (splitmix64's finaliser), so the data never depends on the std hasher.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_bytes_and_another_seed_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let a = Generator::new(2_000, 7, 3)
            .write_day(&dir.path().join("a"), 2)
            .unwrap();
        let b = Generator::new(2_000, 7, 3)
            .write_day(&dir.path().join("b"), 2)
            .unwrap();
        let c = Generator::new(2_000, 8, 3)
            .write_day(&dir.path().join("c"), 2)
            .unwrap();
        let read = |m: &FeedManifest| std::fs::read(&m.path).unwrap();
        for ((a, b), c) in a.iter().zip(&b).zip(&c) {
            assert_eq!(read(a), read(b), "{}", a.feed);
            assert_ne!(read(a), read(c), "{}", a.feed);
        }
    }

    #[test]
    fn day_two_is_about_ten_percent_new_and_thirty_percent_changed() {
        let dir = tempfile::tempdir().unwrap();
        let generator = Generator::new(100_000, 1, 0);
        let day1 = generator.write_day(&dir.path().join("1"), 1).unwrap();
        let day2 = generator.write_day(&dir.path().join("2"), 2).unwrap();
        let lines = |d: &[FeedManifest]| d.iter().map(|m| m.lines).sum::<u64>();
        assert_eq!(lines(&day2), 100_000);
        assert_eq!(lines(&day1), 90_000);
        let updated: u64 = day2.iter().map(|m| m.updated).sum();
        let created: u64 = day2.iter().map(|m| m.created).sum();
        assert_eq!(created, 10_000);
        assert!((28_000..32_000).contains(&updated), "{updated}");
        for m in &day2 {
            let text = std::fs::read_to_string(&m.path).unwrap();
            assert_eq!(text.lines().count() as u64, m.lines + 1, "{}", m.feed);
        }
    }

    #[test]
    fn malformed_lines_are_spread_over_the_feeds() {
        let dir = tempfile::tempdir().unwrap();
        let bad = Feed::ALL.len() as u64 + 2;
        let day2 = Generator::new(1_000, 1, bad)
            .write_day(dir.path(), 2)
            .unwrap();
        assert_eq!(day2.iter().map(|m| m.malformed).sum::<u64>(), bad);
        assert!(day2.iter().all(|m| m.malformed >= 1));
    }
}
