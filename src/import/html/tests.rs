use std::path::Path;

use super::*;

#[test]
fn evernote_export_reads_the_note_inside_cdata() {
    let enex = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export3.dtd">
<en-export application="Evernote/Windows" version="6.x">
<note><title>Prep &amp; stories</title><content><![CDATA[<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd">
<en-note><div><b>Fixing the flaky deploy</b></div><div>Situation: deploys failed one time in five.</div><div><br/></div><div>Task:&nbsp;make them boring.</div></en-note>]]></content>
<created>20250101T101010Z</created><tag>work</tag>
<resource><data encoding="base64">aGVsbG8gd29ybGQ=</data></resource></note>
</en-export>"#;
    assert!(is_html(Path::new("notes.txt"), enex));
    assert_eq!(
        to_text(enex),
        "Prep & stories\n\n**Fixing the flaky deploy**\nSituation: deploys failed one time in five.\n\nTask: make them boring.\n"
    );
}

#[test]
fn google_docs_spans_with_inline_styles_keep_bold_and_words() {
    let html = r#"<html><head><meta charset="utf-8"><style>.c1{font-weight:700}</style><title>Doc</title></head>
<body class="c5"><h2 id="h.x" class="c3"><span class="c1">Story 1 &#8212; The&nbsp;migration</span></h2>
<p class="c2"><span style="font-weight:700;font-family:Arial">Situation:</span><span style="font-weight:400"> we ran
    two   databases.</span></p><p class="c2"><span></span></p>
<p><span style="font-weight: bold"> Result: </span><span>it worked&hellip;</span></p>
<script>var x = "<p>not text</p>";</script></body></html>"#;
    assert!(is_html(Path::new("export.txt"), html));
    assert_eq!(
        to_text(html),
        "## Story 1 — The migration\n\n**Situation:** we ran two databases.\n\n**Result:** it worked…\n"
    );
}

#[test]
fn apple_notes_divs_and_nested_lists() {
    let html = "<div><b><span style=\"font-size: 24px\">Outage stories</span></b><br></div>\n<div><br></div>\n<ul>\n<li>Cache stampede<ul><li>S: traffic doubled</li><li>A: I added jitter</li></ul></li>\n<li>Second</li></ul>\n<ol start=\"3\"><li>three</li><li>four</li></ol>";
    assert!(is_html(Path::new("note.html"), html));
    assert_eq!(
        to_text(html),
        "**Outage stories**\n\n- Cache stampede\n    - S: traffic doubled\n    - A: I added jitter\n- Second\n\n3. three\n4. four\n"
    );
}

#[test]
fn tables_become_markdown_table_rows() {
    let html = "<table><tbody><tr><td><p>Situation</p></td><td>Two teams<br>one queue</td></tr>\n<tr><td>Result</td><td>a | b</td></tr></tbody></table><p>after</p>";
    assert_eq!(
        to_text(html),
        "|  |  |\n| --- | --- |\n| Situation | Two teams one queue |\n| Result | a \\| b |\n\nafter\n"
    );
    let headed =
        "<table><tr><th>Part</th><th>Notes</th></tr><tr><td>Task</td><td>x</td></tr></table>";
    assert_eq!(
        to_text(headed),
        "| Part | Notes |\n| --- | --- |\n| Task | x |\n"
    );
}

#[test]
fn entities_named_and_numeric_and_stray_ampersands() {
    assert_eq!(
        decode_entities("a&nbsp;b &#8212; c&#x2013;d &lt;b&gt; R&D &bogus; &amp;amp;"),
        "a b — c–d <b> R&D &bogus; &amp;"
    );
}

#[test]
fn pre_keeps_its_lines_and_comments_and_stray_angles_do_not_eat_text() {
    let html =
        "<p>if a < b then</p><!-- hidden --><pre>line one\n  line two</pre><hr><p>x&gt;y</p>";
    assert_eq!(
        to_text(html),
        "if a < b then\n\nline one\n  line two\n\n---\n\nx>y\n"
    );
}

#[test]
fn markdown_with_a_few_html_tags_is_not_html() {
    let markdown =
        "# Stories\n\n## One\n\n<b>Situation:</b> x\n\n<strong>Action:</strong> y\n\nResult: z\n";
    assert!(!is_html(Path::new("notes.md"), markdown));
    let fragment = "<p>Situation: a</p>\n<p>Task: b</p>\n<div>Action: c</div>\n";
    assert!(is_html(Path::new("notes.txt"), fragment));
}

#[test]
fn onenote_paragraphs_and_headings() {
    let html = "<html><body lang=en-GB><div><h1 style='font-size:16pt'>Interview notes</h1>\n<p style='margin:0in'>Situation:\nthe&#160;build took 40 min</p>\n<p style='margin:0in'><i>Action</i>: cached layers</p></div></body></html>";
    assert_eq!(
        to_text(html),
        "# Interview notes\n\nSituation: the build took 40 min\n\nAction: cached layers\n"
    );
}

#[test]
fn a_summary_stands_alone_as_its_details_blocks_title() {
    let html =
        "<details><summary>Moving the cron jobs</summary><p>Situation: one old VM.</p></details>";
    assert_eq!(
        to_text(html),
        "Moving the cron jobs\n\nSituation: one old VM.\n"
    );
}
