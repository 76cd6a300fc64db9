//! The line-oriented sessions' one way of asking: a prompt, one trimmed line read, a line that
//! does not fit refused with a hint and the step asked again, end of input reported as None.
//! `drill --plain` and `mock --plain` both ask through it.

use std::io::{BufRead, IsTerminal, StdinLock, StdoutLock, Write};

use anyhow::{Context, Result};

pub struct Lines<R, W> {
    /// Input is not typed at a terminal, so end each prompt's line ourselves.
    echo: bool,
    input: R,
    pub out: W,
}

impl Lines<StdinLock<'static>, StdoutLock<'static>> {
    pub fn stdio() -> Self {
        Lines {
            echo: !std::io::stdin().is_terminal(),
            input: std::io::stdin().lock(),
            out: std::io::stdout().lock(),
        }
    }
}

impl<R: BufRead, W: Write> Lines<R, W> {
    #[cfg(test)]
    pub fn new(input: R, out: W, echo: bool) -> Self {
        Lines { echo, input, out }
    }

    /// Shows `prompt` and reads lines until `read` accepts one; a refused line prints the hint
    /// `read` returns and asks again. None at end of input.
    pub fn ask<T>(
        &mut self,
        prompt: &str,
        mut read: impl FnMut(&str) -> std::result::Result<T, String>,
    ) -> Result<Option<T>> {
        loop {
            write!(self.out, "{prompt}")?;
            self.out.flush()?;
            let Some(line) = self.read()? else {
                return Ok(None);
            };
            match read(&line) {
                Ok(value) => return Ok(Some(value)),
                Err(hint) => writeln!(self.out, "{hint}")?,
            }
        }
    }

    /// One trimmed line; None at end of input. Echoed shortened: a pasted page is not
    /// printed back whole.
    fn read(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        let n = self.input.read_line(&mut line).context("reading stdin")?;
        if n == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        if self.echo {
            writeln!(self.out, "{}", shortened(line.trim()))?;
        }
        Ok(Some(line.trim().to_owned()))
    }
}

/// Lines longer than this are shown cut, with their length.
const SHOWN_CHARS: usize = 60;

/// `line` as a hint quotes it: at most [`SHOWN_CHARS`] characters, then how long it was.
fn shortened(line: &str) -> String {
    let count = line.chars().count();
    if count <= SHOWN_CHARS {
        return line.to_owned();
    }
    let head: String = line.chars().take(SHOWN_CHARS).collect();
    format!("{head}… ({count} characters)")
}

/// The hint for a refused line: `` `x`: type y or n ``, or the hint alone for an empty line.
pub fn refused(line: &str, hint: &str) -> String {
    if line.trim().is_empty() {
        hint.to_owned()
    } else {
        format!("`{}`: {hint}", shortened(line))
    }
}

/// A grade typed as 1-4 or its name.
pub fn grade(line: &str) -> Option<rehearse::srs::Grade> {
    use rehearse::srs::Grade;
    match line.to_lowercase().as_str() {
        "1" | "again" => Some(Grade::Again),
        "2" | "hard" => Some(Grade::Hard),
        "3" | "good" => Some(Grade::Good),
        "4" | "easy" => Some(Grade::Easy),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_line_is_hinted_and_asked_again_and_eof_is_none() {
        let mut lines = Lines::new("x\n 3 \n".as_bytes(), Vec::new(), true);
        let got = lines
            .ask("Grade> ", |l| {
                grade(l).ok_or_else(|| refused(l, "type 1-4"))
            })
            .unwrap();
        assert_eq!(got, Some(rehearse::srs::Grade::Good));
        let ended = lines
            .ask("Grade> ", |l| grade(l).ok_or_else(|| "no".to_owned()))
            .unwrap();
        assert_eq!(ended, None);
        let out = String::from_utf8(lines.out).unwrap();
        assert_eq!(out, "Grade> x\n`x`: type 1-4\nGrade> 3\nGrade> \n");
    }

    #[test]
    fn an_empty_line_is_refused_without_empty_quotes_and_a_long_one_shown_once_and_short() {
        assert_eq!(refused("", "type y or n"), "type y or n");
        let long = "a".repeat(20 * 1024 * 1024);
        let input = format!("{long}\ny\n");
        let mut lines = Lines::new(input.as_bytes(), Vec::new(), true);
        let yes = lines
            .ask("Yes?> ", |l| {
                (l == "y")
                    .then_some(true)
                    .ok_or_else(|| refused(l, "type y or n"))
            })
            .unwrap();
        assert_eq!(yes, Some(true));
        let out = String::from_utf8(lines.out).unwrap();
        assert!(
            out.len() < 1000,
            "the 20 MB line is not printed back: {} bytes",
            out.len()
        );
        assert_eq!(
            out.matches("(20971520 characters)").count(),
            2,
            "shown cut in the echo and in the hint: {out}"
        );
    }
}
