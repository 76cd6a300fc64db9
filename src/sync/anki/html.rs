//! A card's text as the HTML Anki shows. Nothing from a story runs in Anki's card view: raw
//! HTML in the Markdown is shown as text, links and images become their text, and HTML
//! comments (an author's private notes) are left out.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Markdown as safe HTML.
pub fn markdown(markdown: &str) -> String {
    let mut in_comment = false;
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            let text = html.trim_start();
            if in_comment || text.starts_with("<!--") {
                // A comment block comes one line per event: skip to its end.
                in_comment = !html.contains("-->");
                None
            } else {
                Some(Event::Text(html))
            }
        }
        Event::Start(Tag::Link { .. } | Tag::Image { .. })
        | Event::End(TagEnd::Link | TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim_end().to_owned()
}

/// Plain text as HTML.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_its_formatting_and_nothing_from_the_story_can_run() {
        let html = markdown(
            "I **cut** the run from *3 h* to `30 min`.\n\n- one\n- two\n\n\
             <script>alert(1)</script>\n\n\
             See [the doc](javascript:alert(2)) and <img src=x onerror=alert(3)>.\n\n\
             <!-- private: ask Sam -->\n\n<!--\nmore private\n-->\n\nEnd.",
        );
        assert!(html.contains("<strong>cut</strong>"), "{html}");
        assert!(html.contains("<em>3 h</em>"), "{html}");
        assert!(html.contains("<code>30 min</code>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(3)&gt;"),
            "{html}"
        );
        assert!(html.contains("See the doc and"), "{html}");
        for unsafe_text in ["<script", "<img", "<a ", "javascript:", "private", "<!--"] {
            assert!(!html.contains(unsafe_text), "{unsafe_text} in {html}");
        }
        assert!(html.ends_with("<p>End.</p>"), "{html}");
    }

    #[test]
    fn plain_text_is_escaped_and_keeps_its_lines() {
        assert_eq!(
            text("a < b & \"c\"\nnext"),
            "a &lt; b &amp; &quot;c&quot;<br>next"
        );
    }
}
