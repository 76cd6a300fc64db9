//! Notes kept as LaTeX (a `.tex` file next to a CV, an Overleaf project) turned into text lines
//! before the stories are looked for: the preamble and `%` comments dropped, sectioning
//! commands (`\section{...}`, starred or not) become Markdown headings, `\textbf{}` stays bold
//! (`**`), `itemize`/`enumerate` items become `- ` items, `\\` ends a line, `~` is a space and
//! escaped characters are themselves. Any other command keeps the text of its arguments and
//! loses its name: only markup is dropped, every word a reader of the PDF sees stays.

use std::path::Path;

/// True when the file is LaTeX: by its extension, or when its first line of text (past
/// comments) is a `\documentclass` or a sectioning command.
pub fn is_latex(path: &Path, text: &str) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tex") || e.eq_ignore_ascii_case("latex"));
    let first = text
        .lines()
        .map(|line| without_comment(line).trim())
        .find(|line| !line.is_empty())
        .unwrap_or("");
    by_name
        || ["\\documentclass", "\\begin{document}"]
            .iter()
            .chain(SECTIONS.iter().map(|(name, _)| name))
            .any(|start| first.starts_with(start))
}

/// Sectioning commands, with the Markdown heading level each becomes.
const SECTIONS: [(&str, usize); 6] = [
    ("\\part", 1),
    ("\\chapter", 1),
    ("\\section", 2),
    ("\\subsection", 3),
    ("\\subsubsection", 4),
    ("\\paragraph", 5),
];

/// TeX's ligatures, longest first.
const LIGATURES: [(&str, char); 4] = [("---", '—'), ("--", '–'), ("``", '"'), ("''", '"')];

/// Commands whose arguments are not text a reader sees.
const DROPPED: [&str; 13] = [
    "documentclass",
    "label",
    "ref",
    "cite",
    "vspace",
    "hspace",
    "includegraphics",
    "usepackage",
    "setlength",
    "newcommand",
    "renewcommand",
    "pagestyle",
    "thispagestyle",
];

/// The text of a LaTeX document, as lines the importer reads.
pub fn to_text(latex: &str) -> String {
    let uncommented: Vec<&str> = latex.lines().map(without_comment).collect();
    let mut body = uncommented.join("\n");
    // The preamble (document class, packages, title data) is not the notes' text.
    if let Some(start) = body.find("\\begin{document}") {
        body = body[start + "\\begin{document}".len()..].to_owned();
    }
    if let Some(end) = body.find("\\end{document}") {
        body.truncate(end);
    }
    let mut out = Writer::default();
    out.convert(&body);
    out.finish()
}

/// The line up to its first unescaped `%`.
fn without_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'%' => return &line[..at],
            _ => at += 1,
        }
    }
    line
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Open `itemize`/`enumerate` lists: an item's indent.
    lists: usize,
}

impl Writer {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn new_line(&mut self) {
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
        if !self.at_line_start() {
            self.out.push('\n');
        }
    }

    fn blank_line(&mut self) {
        self.new_line();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn convert(&mut self, text: &str) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            rest = &rest[c.len_utf8()..];
            match c {
                '\\' => rest = self.command(rest),
                '{' | '}' => {}
                '~' => self.out.push(' '),
                ' ' | '\t' if self.at_line_start() => {}
                '-' | '`' | '\'' => rest = self.ligature(c, rest),
                _ => self.out.push(c),
            }
        }
    }

    /// Dashes and TeX quotes (`---`, `--`, ``` `` ```, `''`) as the characters they print.
    fn ligature<'a>(&mut self, c: char, rest: &'a str) -> &'a str {
        for (tail, printed) in LIGATURES {
            if tail.starts_with(c)
                && let Some(after) = rest.strip_prefix(&tail[1..])
            {
                self.out.push(printed);
                return after;
            }
        }
        self.out.push(c);
        rest
    }

    /// Reads the command after a `\`; returns what follows it.
    fn command<'a>(&mut self, rest: &'a str) -> &'a str {
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if name_len == 0 {
            // `\\` ends a line; `\&`, `\%`, `\_`, `\{` ... are the character itself.
            let Some(c) = rest.chars().next() else {
                return rest;
            };
            let after = &rest[c.len_utf8()..];
            match c {
                '\\' => {
                    self.new_line();
                    // `\\[2pt]`: the space asked for after the break is no text.
                    return line_rest(optional_argument(after).1);
                }
                ',' | ' ' | ';' => self.out.push(' '),
                _ => self.out.push(c),
            }
            return after;
        }
        let name = &rest[..name_len];
        let mut rest = rest[name_len..]
            .strip_prefix('*')
            .unwrap_or(&rest[name_len..]);
        let (optional, after) = optional_argument(rest);
        rest = after;
        match name {
            "begin" | "end" => {
                let (env, after) = group(rest);
                let list = matches!(env.unwrap_or(""), "itemize" | "enumerate" | "description");
                if list && name == "begin" {
                    self.lists += 1;
                } else if list {
                    self.lists = self.lists.saturating_sub(1);
                }
                self.new_line();
                return line_rest(after);
            }
            "item" => {
                self.new_line();
                let indent = "  ".repeat(self.lists.saturating_sub(1));
                self.out.push_str(&indent);
                self.out.push_str("- ");
                if let Some(label) = optional {
                    self.convert(label);
                    self.out.push(' ');
                }
                return rest.trim_start_matches([' ', '\t']);
            }
            "par" | "newline" | "linebreak" => {
                self.new_line();
                return rest;
            }
            _ => {}
        }
        let (argument, after) = group(rest);
        let Some(argument) = argument else {
            // A command without an argument (`\maketitle`, `\noindent`, `\LaTeX`) prints no
            // note text; the space after its name only ends the name.
            return rest.trim_start_matches([' ', '\t']);
        };
        if let Some((_, level)) = SECTIONS.iter().find(|(s, _)| &s[1..] == name) {
            self.blank_line();
            self.out.push_str(&"#".repeat(*level));
            self.out.push(' ');
            self.convert(argument);
            self.blank_line();
        } else if name == "textbf" || name == "bf" {
            self.out.push_str("**");
            self.convert(argument);
            self.out.push_str("**");
        } else if !DROPPED.contains(&name) {
            self.convert(argument);
        }
        after
    }

    fn finish(self) -> String {
        let mut text = String::new();
        let mut blanks = 0;
        for line in self.out.lines() {
            let line = line.trim_end();
            blanks = if line.is_empty() { blanks + 1 } else { 0 };
            if blanks < 2 && !(text.is_empty() && line.is_empty()) {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    }
}

/// What follows a command that ends its line: the line's break is that command's.
fn line_rest(rest: &str) -> &str {
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest)
}

/// `[...]` right after a command: its text and what follows.
fn optional_argument(rest: &str) -> (Option<&str>, &str) {
    match rest
        .strip_prefix('[')
        .and_then(|r| r.find(']').map(|end| (r, end)))
    {
        Some((inner, end)) => (Some(&inner[..end]), &inner[end + 1..]),
        None => (None, rest),
    }
}

/// The `{...}` group at the start of `rest` (braces nested, escapes skipped): its inside and
/// what follows.
fn group(rest: &str) -> (Option<&str>, &str) {
    let Some(inner) = rest.strip_prefix('{') else {
        return (None, rest);
    };
    let bytes = inner.as_bytes();
    let mut depth = 1;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return (Some(&inner[..at]), &inner[at + 1..]);
                }
            }
            _ => {}
        }
        at += 1;
    }
    (Some(inner), "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_become_headings_and_bold_stays_bold() {
        let latex = "\\documentclass{article}\n\\usepackage{x}\n\\begin{document}\n\
                     \\section*{Fixing the pager}\n\\textbf{S:} Alerts 50\\% noise~daily.\\\\[2pt]\n\
                     Second line % a comment\n\\end{document}\nafter the end";
        let text = to_text(latex);
        assert_eq!(
            text,
            "## Fixing the pager\n\n**S:** Alerts 50% noise daily.\nSecond line\n"
        );
    }

    #[test]
    fn lists_become_items_and_unknown_commands_keep_their_text() {
        let latex = "\\subsection{A \\emph{hard} call}\n\\begin{enumerate}\n  \\item \
                     Asked \\texttt{ops} first\n  \\begin{itemize}\\item[a)] nested \
                     \\label{x}\\end{itemize}\n\\end{enumerate}\nDone --- ``quoted''.";
        let text = to_text(latex);
        assert_eq!(
            text,
            "### A hard call\n\n- Asked ops first\n  - a) nested\nDone — \"quoted\".\n"
        );
    }

    #[test]
    fn without_a_document_environment_the_class_is_no_text() {
        let text = to_text("\\documentclass[a4paper]{article}\n\\section{T}\nx");
        assert_eq!(text, "## T\n\nx\n");
    }

    #[test]
    fn latex_is_told_by_name_or_by_its_first_command() {
        assert!(is_latex(Path::new("a.tex"), "plain"));
        assert!(is_latex(Path::new("a.txt"), "% notes\n\\section{Title}"));
        assert!(is_latex(Path::new("a"), "\\documentclass{article}"));
        assert!(!is_latex(Path::new("a.md"), "# Title\n\\section in prose"));
    }
}
