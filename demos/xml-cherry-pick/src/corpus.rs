//! A corpus: many XML records (one document each) in one buffer, and where they come from.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Separates records in a corpus file; XML can never contain a NUL byte.
pub const SEPARATOR: u8 = 0;

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    data: Vec<u8>,
    spans: Vec<Range<usize>>,
    /// Where each record came from (a file name, or `generated`).
    sources: Vec<String>,
}

impl Corpus {
    pub fn push(&mut self, record: &[u8], source: impl Into<String>) {
        let start = self.data.len();
        self.data.extend_from_slice(record);
        self.spans.push(start..self.data.len());
        self.sources.push(source.into());
    }

    pub fn from_records<S: AsRef<[u8]>>(records: &[S], source: &str) -> Self {
        let mut corpus = Corpus::default();
        for record in records {
            corpus.push(record.as_ref(), source);
        }
        corpus
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Total bytes of all records.
    pub fn bytes(&self) -> usize {
        self.spans.iter().map(|s| s.len()).sum()
    }

    pub fn record(&self, index: usize) -> &[u8] {
        &self.data[self.spans[index].clone()]
    }

    pub fn source(&self, index: usize) -> &str {
        &self.sources[index]
    }

    pub fn records(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.spans.iter().map(|s| &self.data[s.clone()])
    }

    /// The records joined by [`SEPARATOR`], as the Python side and the end-to-end run read them.
    pub fn write_joined(&self, path: &Path) -> Result<(), Error> {
        let mut out = Vec::with_capacity(self.data.len() + self.len());
        for (i, record) in self.records().enumerate() {
            if i > 0 {
                out.push(SEPARATOR);
            }
            out.extend_from_slice(record);
        }
        fs::write(path, out).map_err(|source| Error::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// Splits a joined buffer back into records.
    pub fn from_joined(data: Vec<u8>, source: &str) -> Self {
        let mut spans = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(SEPARATOR, &data) {
            spans.push(start..end);
            start = end + 1;
        }
        if !data.is_empty() {
            spans.push(start..data.len());
        }
        let sources = vec![source.to_owned(); spans.len()];
        Self {
            data,
            spans,
            sources,
        }
    }
}

/// Where a corpus is read from, for the end-to-end runs that pay the I/O.
#[derive(Debug, Clone)]
pub enum Source {
    /// One file of records joined by [`SEPARATOR`].
    Joined(PathBuf),
    /// One record per file.
    Files(Vec<PathBuf>),
}

impl Source {
    /// A file, or every `*.xml` file under a directory (sorted, recursive).
    pub fn from_input(path: &Path) -> Result<Source, Error> {
        let read_error = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        if fs::metadata(path).map_err(read_error)?.is_file() {
            return Ok(Source::Files(vec![path.to_owned()]));
        }
        let mut files = Vec::new();
        let mut dirs = vec![path.to_owned()];
        while let Some(dir) = dirs.pop() {
            let entries = fs::read_dir(&dir).map_err(|source| Error::Read {
                path: dir.clone(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| Error::Read {
                    path: dir.clone(),
                    source,
                })?;
                let p = entry.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                    files.push(p);
                }
            }
        }
        if files.is_empty() {
            return Err(Error::NoInput {
                path: path.to_owned(),
            });
        }
        files.sort();
        Ok(Source::Files(files))
    }

    pub fn read(&self) -> Result<Corpus, Error> {
        let read = |path: &Path| {
            fs::read(path).map_err(|source| Error::Read {
                path: path.to_owned(),
                source,
            })
        };
        match self {
            Source::Joined(path) => Ok(Corpus::from_joined(read(path)?, "generated")),
            Source::Files(files) => {
                let mut corpus = Corpus::default();
                for file in files {
                    let name = file.file_name().map_or_else(
                        || file.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    corpus.push(&read(file)?, name);
                }
                Ok(corpus)
            }
        }
    }
}

/// The real SAP IDocs shipped with the crate (see `testdata/idoc/PROVENANCE.md`).
pub fn real_idocs() -> Corpus {
    const FILES: [(&str, &[u8]); 5] = [
        (
            "DELVRY07_DESADV.xml",
            include_bytes!("../testdata/idoc/DELVRY07_DESADV.xml"),
        ),
        (
            "INVOIC01_INVOIC.xml",
            include_bytes!("../testdata/idoc/INVOIC01_INVOIC.xml"),
        ),
        (
            "INVOIC02_INVOIC.xml",
            include_bytes!("../testdata/idoc/INVOIC02_INVOIC.xml"),
        ),
        (
            "ORDERS05_ORDERS.xml",
            include_bytes!("../testdata/idoc/ORDERS05_ORDERS.xml"),
        ),
        (
            "ORDERS05_ORDRSP.xml",
            include_bytes!("../testdata/idoc/ORDERS05_ORDRSP.xml"),
        ),
    ];
    let mut corpus = Corpus::default();
    for (name, bytes) in FILES {
        corpus.push(bytes, name);
    }
    corpus
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_files_split_back_into_the_same_records() {
        let corpus = Corpus::from_records(&["<a/>", "<b>x</b>", ""], "t");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.xmls");
        corpus.write_joined(&path).unwrap();
        let back = Source::Joined(path).read().unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back.record(1), b"<b>x</b>");
        assert_eq!(back.record(2), b"");
    }

    #[test]
    fn a_directory_gives_its_xml_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("b.xml"), "<b/>").unwrap();
        fs::write(dir.path().join("a.XML"), "<a/>").unwrap();
        fs::write(dir.path().join("notes.txt"), "no").unwrap();
        let corpus = Source::from_input(dir.path()).unwrap().read().unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.source(0), "a.XML");
        assert_eq!(corpus.record(1), b"<b/>");
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            Source::from_input(empty.path()),
            Err(Error::NoInput { .. })
        ));
    }
}
