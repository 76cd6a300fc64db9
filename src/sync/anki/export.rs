//! The cards as an Anki package: a collection in Anki's oldest format (which every Anki,
//! AnkiDroid and AnkiMobile imports), one note per card, of our own note type, in a deck with a
//! subdeck per story. No scheduling: Anki schedules the cards itself, and their reviews come
//! back with [`super::import`].

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use super::{AnkiError, NOTE_TYPE_NAME, ROOT_DECK, html, package};
use crate::srs::AnswerPart;

/// One card as a note.
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiNote {
    /// See [`super::guid`].
    pub guid: String,
    /// The question, as plain text.
    pub question: String,
    /// The answer's parts; their text is Markdown.
    pub answer: Vec<AnswerPart>,
    pub story_title: String,
    /// The story's key numbers, one per line (plain text).
    pub numbers: Vec<String>,
    /// The card's id, `story#key`, shown small on the back.
    pub card_id: String,
    /// Anki tags: no spaces (see [`tag`]).
    pub tags: Vec<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    pub notes: usize,
    /// Subdecks: one per story.
    pub stories: usize,
}

/// Our note type's id. Fixed, so Anki recognises the note type on every import; its `mod`
/// changes only when the fields or templates do.
const NOTE_TYPE_ID: i64 = 1_764_547_200_000;
const NOTE_TYPE_MOD: i64 = 1_764_547_200;
const FIELDS: [&str; 5] = ["Question", "Answer", "Story", "Numbers", "Id"];
const DEFAULT_DECK_ID: i64 = 1;

const FRONT: &str = r#"<div class="question">{{Question}}</div>"#;
const BACK: &str = r#"{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
{{#Numbers}}<div class="numbers"><b>Key numbers</b><br>{{Numbers}}</div>{{/Numbers}}
<div class="source">{{Story}} &middot; <span class="id">{{Id}}</span></div>"#;
const CSS: &str = ".card { font-family: sans-serif; font-size: 18px; text-align: left; \
color: black; background-color: white; }
.question { font-size: 22px; font-weight: bold; }
.part { margin: 0.6em 0; }
.label { font-weight: bold; color: #555; }
.numbers { margin-top: 1em; padding: 0.4em; border-left: 3px solid #888; }
.source { margin-top: 1.5em; font-size: 13px; color: #777; }
.id { font-family: monospace; }";

/// An Anki tag from a story's tag or competency: spaces become `_` (Anki splits tags on them).
pub fn tag(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The subdeck of a story: `Rehearse::<title>` (`::` in a title would nest deeper).
pub fn deck_name(story_title: &str) -> String {
    format!("{ROOT_DECK}::{}", story_title.replace("::", ":"))
}

/// Writes `notes` (with the deck each goes to, see [`deck_name`]) as a package at `path`.
pub fn write_package(
    path: &Path,
    notes: &[(String, AnkiNote)],
    now: Timestamp,
) -> Result<Exported, AnkiError> {
    let dir = tempfile::tempdir().map_err(|source| AnkiError::Write {
        path: path.to_owned(),
        source,
    })?;
    let collection = dir.path().join("collection.anki2");
    let build = |source| AnkiError::Build {
        path: path.to_owned(),
        source,
    };
    let conn = Connection::open(&collection).map_err(build)?;
    let decks = build_collection(&conn, notes, now).map_err(build)?;
    conn.close().map_err(|(_, e)| build(e))?;
    package::write(path, &collection)?;
    Ok(Exported {
        notes: notes.len(),
        stories: decks,
    })
}

/// Fills a new collection; returns the number of story decks.
fn build_collection(
    conn: &Connection,
    notes: &[(String, AnkiNote)],
    now: Timestamp,
) -> rusqlite::Result<usize> {
    let now_ms = now.as_millisecond();
    let now_s = now.as_second();
    // Deck ids by name; Anki matches decks by name on import.
    let mut decks: BTreeMap<&str, i64> = BTreeMap::new();
    for (deck, _) in notes {
        let next = now_ms + 1 + decks.len() as i64;
        decks.entry(deck.as_str()).or_insert(next);
    }
    conn.execute_batch(SCHEMA)?;
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            now_s,
            now_ms,
            collection_config().to_string(),
            json!({ NOTE_TYPE_ID.to_string(): note_type() }).to_string(),
            decks_json(&decks, now_ms, now_s).to_string(),
            json!({ "1": deck_config() }).to_string(),
        ],
    )?;
    let mut note = conn.prepare(
        "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
         VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')",
    )?;
    let mut card = conn.prepare(
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,
                            lapses, left, odue, odid, flags, data)
         VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
    )?;
    for (position, (deck, fields)) in notes.iter().enumerate() {
        let id = now_ms + position as i64;
        let values = note_fields(fields);
        let tags = if fields.tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", fields.tags.join(" "))
        };
        note.execute(params![
            id,
            fields.guid,
            NOTE_TYPE_ID,
            now_s,
            tags,
            values.join("\u{1f}"),
            values[0],
        ])?;
        card.execute(params![
            id,
            id,
            decks[deck.as_str()],
            now_s,
            position as i64 + 1
        ])?;
    }
    Ok(decks.len())
}

/// The five fields, as HTML.
fn note_fields(note: &AnkiNote) -> [String; 5] {
    let answer = note
        .answer
        .iter()
        .map(|part| {
            format!(
                "<div class=\"part\"><div class=\"label\">{}</div>{}</div>",
                html::text(&part.label),
                html::markdown(&part.text)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    [
        html::text(&note.question),
        answer,
        html::text(&note.story_title),
        note.numbers
            .iter()
            .map(|line| html::text(line))
            .collect::<Vec<_>>()
            .join("<br>"),
        html::text(&note.card_id),
    ]
}

fn note_type() -> Value {
    let fields: Vec<Value> = FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({ "name": name, "ord": ord, "sticky": false, "rtl": false,
                    "font": "Arial", "size": 20, "media": [] })
        })
        .collect();
    json!({
        "id": NOTE_TYPE_ID, "name": NOTE_TYPE_NAME, "type": 0, "mod": NOTE_TYPE_MOD,
        "usn": -1, "sortf": 0, "did": DEFAULT_DECK_ID, "flds": fields, "css": CSS,
        "tmpls": [{ "name": "Recall", "ord": 0, "qfmt": FRONT, "afmt": BACK,
                    "bqfmt": "", "bafmt": "", "did": null }],
        "latexPre": "", "latexPost": "", "latexsvg": false,
        "req": [[0, "any", [0]]], "tags": [], "vers": []
    })
}

fn decks_json(decks: &BTreeMap<&str, i64>, now_ms: i64, now_s: i64) -> Value {
    let deck = |id: i64, name: &str| {
        json!({
            "id": id, "name": name, "mod": now_s, "usn": -1, "desc": "", "dyn": 0, "conf": 1,
            "collapsed": false, "browserCollapsed": false, "extendNew": 0, "extendRev": 0,
            "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0]
        })
    };
    let mut all = serde_json::Map::new();
    all.insert(
        DEFAULT_DECK_ID.to_string(),
        deck(DEFAULT_DECK_ID, "Default"),
    );
    all.insert(now_ms.to_string(), deck(now_ms, ROOT_DECK));
    for (name, id) in decks {
        all.insert(id.to_string(), deck(*id, name));
    }
    Value::Object(all)
}

fn deck_config() -> Value {
    json!({
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": { "bury": false, "delays": [1.0, 10.0], "initialFactor": 2500,
                 "ints": [1, 4, 0], "order": 1, "perDay": 20 },
        "lapse": { "delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                   "mult": 0.0 },
        "rev": { "bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                 "perDay": 200, "hardFactor": 1.2 }
    })
}

fn collection_config() -> Value {
    json!({
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": NOTE_TYPE_ID.to_string(),
        "nextPos": 1, "sortType": "noteFld", "sortBackwards": false, "addToCur": true
    })
}

/// Anki's schema 11, the one its oldest packages hold.
const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null, usn integer not null,
    ls integer not null, conf text not null, models text not null, decks text not null,
    dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
    mod integer not null, usn integer not null, tags text not null, flds text not null,
    sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
    ord integer not null, mod integer not null, usn integer not null, type integer not null,
    queue integer not null, due integer not null, ivl integer not null, factor integer not null,
    reps integer not null, lapses integer not null, left integer not null, odue integer not null,
    odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
    ease integer not null, ivl integer not null, lastIvl integer not null,
    factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";
