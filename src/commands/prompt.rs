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

    /// One trimmed line; None at end of input.
    fn read(&mut self) -> Result<Option<String>> {
        let mut line = String::new();
        let n = self.input.read_line(&mut line).context("reading stdin")?;
        if n == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        if self.echo {
            writeln!(self.out, "{}", line.trim())?;
        }
        Ok(Some(line.trim().to_owned()))
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
                grade(l).ok_or_else(|| format!("`{l}`: type 1-4"))
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
}
