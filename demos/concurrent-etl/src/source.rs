//! Extract: one feed file read page by page, each line split, transformed and checked; a line
//! that fails becomes a reject with its file and line, never an error of the job.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use rusqlite::types::Value;

use crate::csvline;
use crate::db::Reject;
use crate::error::EtlError;
use crate::feed::Feed;
use crate::transform::{References, transform};

/// A feed file being read: the reader, the line number and reusable buffers.
pub(crate) struct Source {
    feed: Feed,
    path: PathBuf,
    file: String,
    reader: BufReader<File>,
    /// Data lines read so far (the header is line 1 of the file, not counted here).
    pub lines: u64,
    buf: Vec<u8>,
}

pub(crate) struct Page {
    pub values: Vec<Value>,
    pub rejects: Vec<Reject>,
    pub last: bool,
}

impl Source {
    pub fn open(feed: Feed, path: PathBuf, file: String) -> Result<Source, EtlError> {
        let handle = File::open(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => EtlError::MissingSource {
                feed,
                path: path.clone(),
            },
            _ => EtlError::Read {
                path: path.clone(),
                source,
            },
        })?;
        let mut source = Source {
            feed,
            path,
            file,
            reader: BufReader::with_capacity(1 << 16, handle),
            lines: 0,
            buf: Vec::new(),
        };
        let header = source.next_line()?.unwrap_or_default();
        let expected = feed.header();
        if header.trim_end() != expected {
            return Err(EtlError::Header {
                path: source.path,
                expected,
                found: header,
            });
        }
        Ok(source)
    }

    fn next_line(&mut self) -> Result<Option<String>, EtlError> {
        self.buf.clear();
        let read = self
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| self.read_error(source))?;
        Ok((read > 0).then(|| String::from_utf8_lossy(&self.buf).into_owned()))
    }

    fn read_error(&self, source: std::io::Error) -> EtlError {
        EtlError::Read {
            path: self.path.clone(),
            source,
        }
    }

    pub fn read_page(&mut self, refs: &References, page_size: usize) -> Result<Page, EtlError> {
        let width = self.feed.table_columns().count();
        let mut page = Page {
            values: Vec::with_capacity(page_size * width),
            rejects: Vec::new(),
            last: false,
        };
        for _ in 0..page_size {
            self.buf.clear();
            let read = self
                .reader
                .read_until(b'\n', &mut self.buf)
                .map_err(|source| self.read_error(source))?;
            if read == 0 {
                page.last = true;
                return Ok(page);
            }
            self.lines += 1;
            let outcome = match std::str::from_utf8(&self.buf) {
                Ok(line) => {
                    let mut fields = Vec::with_capacity(width);
                    let line = line.trim_end_matches(['\n', '\r']);
                    csvline::split(line, &mut fields)
                        .and_then(|()| transform(self.feed, &fields, refs, &mut page.values))
                }
                Err(_) => Err("not valid UTF-8".to_owned()),
            };
            if let Err(reason) = outcome {
                page.rejects.push(Reject {
                    file: self.file.clone(),
                    // Line numbers as an editor shows them: the header is line 1.
                    line: self.lines + 1,
                    reason,
                });
            }
        }
        page.last = match self.reader.fill_buf() {
            Ok(rest) => rest.is_empty(),
            Err(source) => return Err(self.read_error(source)),
        };
        Ok(page)
    }
}
