//! `update` for each action: state and effect, no terminal.

use demo_kit::{Event, Table};

use std::time::Duration;

use jiff::SignedDuration;

use super::search::quick_score;
use super::*;
use crate::demo::runner::{Message, RunId, Tagged};
use crate::practice::session::{DrillStep, DrillWrite, DrillWritten};
use crate::practice::{DrillPlan, DrillRequest};
use crate::srs::{Grade, Scope};
use crate::story::SectionKind;
use crate::tui::testing::{app, now, start_drill};

fn ids(app: &App) -> Vec<String> {
    app.library
        .hits
        .iter()
        .map(|h| app.data.stories[h.index].story.id().to_owned())
        .collect()
}

fn selected_id(app: &App) -> String {
    app.data.stories[app.selected_index().unwrap()]
        .story
        .id()
        .to_owned()
}

#[test]
fn the_library_lists_every_story_in_order() {
    let (app, _store) = app();
    assert_eq!(
        ids(&app),
        [
            "daily-refresh-18m",
            "tight-deadlines",
            "what-looking-for",
            "xml-etl-lambda"
        ]
    );
    assert_eq!(app.screen(), Screen::Library);
    assert_eq!(app.mode(), Mode::Library);
}

#[test]
fn moving_stays_in_bounds() {
    let (mut app, _store) = app();
    assert_eq!(app.update(Action::Up), None);
    assert_eq!(app.library.selected, 0);
    app.update(Action::Down);
    app.update(Action::Down);
    assert_eq!(app.library.selected, 2);
    app.update(Action::PageDown);
    assert_eq!(app.library.selected, 3);
    app.update(Action::Down);
    assert_eq!(app.library.selected, 3);
    app.update(Action::PageUp);
    assert_eq!(app.library.selected, 0);
    app.update(Action::Bottom);
    assert_eq!(selected_id(&app), "xml-etl-lambda");
    app.update(Action::Top);
    assert_eq!(selected_id(&app), "daily-refresh-18m");
}

#[test]
fn search_types_narrows_and_highlights_the_title() {
    let (mut app, _store) = app();
    app.update(Action::Search);
    assert_eq!(app.mode(), Mode::Search);
    for c in "sap".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(ids(&app), ["xml-etl-lambda"]);
    assert_eq!(
        app.title_matches("Cutting an SAP XML ETL Lambda from 19.5 s to 5 s"),
        [11, 12, 13],
        "the matched characters of the title"
    );
    app.update(Action::SearchBackspace);
    app.update(Action::SearchBackspace);
    assert!(ids(&app).len() > 1, "a shorter query widens again");
    app.update(Action::SearchAccept);
    assert_eq!(app.mode(), Mode::Library);
    assert_eq!(app.library.query, "s");
    app.update(Action::Search);
    app.update(Action::SearchCancel);
    assert_eq!(app.library.query, "");
    assert_eq!(ids(&app).len(), 4);
}

#[test]
fn search_finds_words_in_the_text_and_the_questions() {
    let (mut app, _store) = app();
    // "cprofile" is only in the XML story's text.
    for c in "cprofile".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(ids(&app), ["xml-etl-lambda"]);
    app.update(Action::ClearFilters);
    // Two words, both required: one from a question, one from the text.
    for c in "deadline lessons".chars() {
        app.update(Action::SearchInput(c));
    }
    assert_eq!(ids(&app), ["tight-deadlines"]);
    app.update(Action::ClearFilters);
    for c in "zzzz".chars() {
        app.update(Action::SearchInput(c));
    }
    assert!(ids(&app).is_empty());
    assert_eq!(app.selected_index(), None);
    assert_eq!(app.update(Action::Open), None, "nothing to open");
    assert_eq!(app.screen(), Screen::Library);
}

#[test]
fn tag_and_competency_filters_cycle_and_clear() {
    let (mut app, _store) = app();
    let first_tag = app.data.tags[0].clone();
    app.update(Action::NextTag);
    assert_eq!(app.library.tag.as_ref(), Some(&first_tag));
    assert!(app.library.hits.iter().all(|h| {
        app.data.stories[h.index]
            .story
            .meta
            .tags
            .contains(&first_tag)
    }));
    for _ in 1..app.data.tags.len() {
        app.update(Action::NextTag);
    }
    app.update(Action::NextTag);
    assert_eq!(app.library.tag, None, "wraps to no filter");
    app.update(Action::NextCompetency);
    let competency = app.library.competency.clone().unwrap();
    assert!(ids(&app).iter().all(|id| {
        app.data.stories[app.data.position(id).unwrap()]
            .story
            .meta
            .competencies
            .contains(&competency)
    }));
    app.update(Action::ClearFilters);
    assert_eq!(
        (app.library.tag.clone(), app.library.competency.clone()),
        (None, None)
    );
    assert_eq!(ids(&app).len(), 4);
}

#[test]
fn open_back_quit_and_help() {
    let (mut app, _store) = app();
    app.update(Action::Bottom);
    app.update(Action::Open);
    assert_eq!(app.screen(), Screen::Story);
    assert_eq!(app.story.index, 3);
    app.update(Action::PageDown);
    app.update(Action::Down);
    assert_eq!(app.story.scroll, 11);
    app.update(Action::Up);
    app.update(Action::Top);
    assert_eq!(app.story.scroll, 0);
    app.update(Action::Help);
    assert_eq!(app.mode(), Mode::Help);
    app.update(Action::Down);
    assert_eq!(app.story.scroll, 0, "keys under the help do nothing");
    app.update(Action::Back);
    assert_eq!(app.mode(), Mode::Story, "back closes the help first");
    app.update(Action::Back);
    assert_eq!(app.screen(), Screen::Library);
    assert!(!app.quit);
    app.update(Action::Quit);
    assert!(app.quit);
}

#[test]
fn drills_start_from_the_library_and_the_story() {
    let (mut app, _store) = app();
    assert_eq!(
        app.update(Action::DrillDue),
        Some(Effect::StartDrill(DrillRequest::due(Scope::All)))
    );
    assert_eq!(
        app.update(Action::DrillAhead),
        Some(Effect::StartDrill(DrillRequest::ahead(Scope::All)))
    );
    app.update(Action::NextTag);
    let tag = app.library.tag.clone().unwrap();
    assert_eq!(
        app.update(Action::DrillDue),
        Some(Effect::StartDrill(DrillRequest::due(Scope::Tag(
            tag.clone()
        ))))
    );
    assert_eq!(
        app.update(Action::DrillAhead),
        Some(Effect::StartDrill(DrillRequest::ahead(Scope::Tag(tag))))
    );
    app.update(Action::ClearFilters);
    assert_eq!(
        app.update(Action::DrillStory),
        Some(Effect::StartDrill(DrillRequest::due(Scope::Story(
            "daily-refresh-18m".into()
        ))))
    );
    app.update(Action::Open);
    assert_eq!(
        app.update(Action::DrillAhead),
        Some(Effect::StartDrill(DrillRequest::ahead(Scope::Story(
            "daily-refresh-18m".into()
        )))),
        "from the story screen: that story, ahead"
    );
    app.update(Action::Back);
    // The draft is not drilled.
    app.update(Action::Down);
    assert_eq!(app.update(Action::DrillStory), None);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("draft"))
    );
    app.update(Action::Open);
    assert_eq!(app.update(Action::Edit), Some(Effect::Edit { index: 1 }));
}

#[test]
fn demos_run_only_for_stories_that_link_one() {
    let (mut app, _store) = app();
    assert_eq!(
        app.update(Action::RunDemo),
        Some(Effect::StartDemo {
            demo_id: "concurrent-etl".into(),
            params: vec![],
        })
    );
    assert_eq!(app.screen(), Screen::Demo);
    assert!(app.demo.as_ref().unwrap().is_running());
    // A second start while running is refused.
    assert_eq!(app.update(Action::RunDemo), None);
    app.demo_started(Err("cannot start".into()));
    assert_eq!(
        app.demo.as_ref().unwrap().state,
        RunState::Failed("cannot start".into())
    );
    app.update(Action::Back);
    assert_eq!(app.screen(), Screen::Library);
    app.update(Action::Down);
    app.update(Action::Down);
    assert_eq!(
        app.update(Action::RunDemo),
        None,
        "what-looking-for links no demo"
    );
    assert!(app.status.as_ref().unwrap().error);
}

#[test]
fn stats_open_and_load() {
    let (mut app, _store) = app();
    assert_eq!(app.update(Action::Stats), Some(Effect::LoadStats));
    assert_eq!(app.screen(), Screen::Stats);
    app.update(Action::Back);
    assert_eq!(app.screen(), Screen::Library);
}

fn at(secs: i64) -> Timestamp {
    now() + SignedDuration::from_secs(secs)
}

#[test]
fn a_drill_times_sections_reveals_part_by_part_grades_and_undoes() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::Story("xml-etl-lambda".into()));
    assert_eq!(app.screen(), Screen::Drill);
    let drill = &app.drill.as_ref().unwrap().session;
    assert!(drill.paced(), "question cards get the pacing bar");
    let total = drill.progress().remaining;

    // Situation 20 s (over its 15 s budget), Task 5 s, then reveal at 40 s (Action 15 s).
    app.now = at(20);
    app.update(Action::NextSection);
    app.now = at(25);
    app.update(Action::NextSection);
    app.now = at(40);
    assert_eq!(
        app.update(Action::Grade(Grade::Good)),
        None,
        "no grade before the reveal"
    );
    let status = app.status.clone().unwrap();
    assert!(status.error);
    assert_eq!(status.text, "reveal the answer first (space)");
    app.update(Action::Reveal);
    let drill = &app.drill.as_ref().unwrap().session;
    assert_eq!(drill.step(), DrillStep::Revealed);
    assert_eq!(drill.timer().elapsed(at(40)), Duration::from_secs(40));
    assert_eq!(drill.revealed(), 1);
    assert!(
        drill.preview().is_some(),
        "the four next intervals are known"
    );
    app.update(Action::Reveal);
    assert_eq!(app.drill.as_ref().unwrap().session.revealed(), 2);
    // Time no longer runs once revealed.
    app.now = at(90);
    assert_eq!(
        app.drill.as_ref().unwrap().session.timer().elapsed(app.now),
        Duration::from_secs(40)
    );

    let Some(Effect::Drill(DrillWrite::Record {
        review, session, ..
    })) = app.update(Action::Grade(Grade::Good))
    else {
        panic!("grading must store the review");
    };
    assert_eq!(session, None);
    assert_eq!(
        app.drill.as_ref().unwrap().session.progress().graded,
        0,
        "the session moves on only once the store has the review"
    );
    let review = *review;
    app.receive(super::Message::DrillWritten(DrillWritten::Recorded(
        review.clone(),
    )));
    assert_eq!(review.grade, Grade::Good);
    assert_eq!(review.reviewed_at, at(90));
    assert_eq!(review.timing.answer, Some(Duration::from_secs(40)));
    assert_eq!(
        review.timing.sections,
        PerSection {
            situation: Some(Duration::from_secs(20)),
            task: Some(Duration::from_secs(5)),
            action: Some(Duration::from_secs(15)),
            result: None
        }
    );
    assert!(app.status.as_ref().unwrap().text.starts_with("saved: Good"));
    let drill = &app.drill.as_ref().unwrap().session;
    assert_eq!(drill.answered().len(), 1);
    assert_eq!(drill.revealed(), 0);
    assert_eq!(drill.timer().section(), SectionKind::Situation);
    assert_eq!(drill.timer().elapsed(at(95)), Duration::from_secs(5));
    assert_eq!(drill.progress().graded, 1);
    assert_eq!(
        drill.progress().remaining,
        total,
        "a Good new card comes back"
    );

    let Some(Effect::Drill(DrillWrite::Undo(undone))) = app.update(Action::Undo) else {
        panic!("undo must remove the stored review");
    };
    let undone = *undone;
    assert_eq!(undone, review);
    app.receive(super::Message::DrillWritten(DrillWritten::Undone(undone)));
    assert!(app.drill.as_ref().unwrap().session.answered().is_empty());
    assert_eq!(app.update(Action::Undo), None);
    assert!(app.status.as_ref().unwrap().error, "nothing left to undo");

    assert_eq!(app.update(Action::Back), None, "no session row to close");
    assert_eq!(app.screen(), Screen::Library);
    assert!(app.drill.is_none());
}

#[test]
fn grading_every_card_ends_in_a_summary() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::Story("what-looking-for".into()));
    let mut graded = 0;
    while !app.drill.as_ref().unwrap().session.is_finished() {
        app.update(Action::Reveal);
        crate::tui::testing::grade(&mut app, Grade::Easy);
        graded += 1;
        assert!(graded < 50);
    }
    let drill = &app.drill.as_ref().unwrap().session;
    assert_eq!(drill.answered().len(), graded);
    assert_eq!(drill.summary().counts.easy, graded);
    assert_eq!(drill.summary().counts.total(), graded);
    // Keys that need a card do nothing now.
    assert_eq!(app.update(Action::Reveal), None);
    assert_eq!(app.update(Action::NextSection), None);
}

#[test]
fn the_timer_redraws_only_when_its_second_changes() {
    let (mut app, store) = app();
    start_drill(&mut app, &store, Scope::All);
    app.dirty = false;
    app.now = now() + SignedDuration::from_millis(400);
    app.update(Action::Tick);
    assert!(!app.dirty, "same second: nothing to draw");
    app.now = now() + SignedDuration::from_millis(1_100);
    app.update(Action::Tick);
    assert!(app.dirty);
    app.dirty = false;
    app.update(Action::Reveal);
    app.dirty = false;
    app.now = now() + SignedDuration::from_secs(5);
    app.update(Action::Tick);
    assert!(!app.dirty, "a stopped timer does not redraw");
}

#[test]
fn quitting_in_a_drill_closes_its_session() {
    let (mut app, practice) = app();
    let DrillPlan::Ready(drill) = practice
        .start_drill(
            DrillRequest::due(Scope::All),
            crate::practice::Interface::Tui,
        )
        .unwrap()
    else {
        panic!("cards are due");
    };
    let id = drill.session_id().unwrap();
    app.begin_drill(*drill);
    assert_eq!(
        app.update(Action::Quit),
        Some(Effect::Drill(DrillWrite::Finish(id)))
    );
    assert!(app.quit);
}

#[test]
fn resize_redraws_and_keeps_the_status() {
    let (mut app, _store) = app();
    app.set_error("something");
    app.dirty = false;
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    assert!(app.dirty);
    assert!(app.status.is_some());
}

#[test]
fn on_a_too_small_terminal_only_resizing_and_quitting_act() {
    let (mut app, practice) = app();
    start_drill(&mut app, &practice, Scope::Story("xml-etl-lambda".into()));
    app.update(Action::Resize {
        width: 60,
        height: 20,
    });
    assert!(app.too_small());
    assert_eq!(app.update(Action::Reveal), None);
    assert_eq!(app.update(Action::Grade(Grade::Good)), None);
    assert_eq!(app.update(Action::Back), None);
    assert_eq!(
        app.ignored_keys, 3,
        "the screen says how many keys it ignored"
    );
    let drill = app.drill.as_ref().unwrap();
    assert_eq!(drill.session.revealed(), 0, "no card was revealed unseen");
    assert_eq!(app.screen(), Screen::Drill);
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    app.update(Action::Reveal);
    assert_eq!(app.drill.as_ref().unwrap().session.revealed(), 1);
    app.update(Action::Resize {
        width: 10,
        height: 5,
    });
    app.update(Action::Quit);
    assert!(app.quit, "quitting still works");
}

#[test]
fn story_scrolling_stops_at_the_end_and_comes_back() {
    let (mut app, _practice) = app();
    app.update(Action::Open);
    // As drawn: 12 rows below the top at most.
    app.story.max_scroll.set(12);
    app.update(Action::Bottom);
    assert_eq!(app.story.scroll, 12);
    for _ in 0..5 {
        app.update(Action::Down);
    }
    app.update(Action::PageDown);
    assert_eq!(app.story.scroll, 12, "j and page-down stop at the end");
    app.update(Action::Up);
    assert_eq!(app.story.scroll, 11, "one k brings the text back one line");
    app.update(Action::Top);
    assert_eq!(app.story.scroll, 0);
}

#[test]
fn the_drill_reveals_the_full_answer() {
    let (mut app, practice) = app();
    start_drill(
        &mut app,
        &practice,
        Scope::Story("daily-refresh-18m".into()),
    );
    let drill = &app.drill.as_ref().unwrap().session;
    let card = drill.current().unwrap();
    let outline: String = card.card.answer.iter().map(|p| p.text.clone()).collect();
    let full: String = drill
        .parts()
        .iter()
        .map(|p| format!("{}\n", p.text))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        full.len() > outline.len(),
        "the full answer is longer than the outline"
    );
    assert!(full.contains("took around 3 hours every day"), "{full}");
    assert!(drill.paced(), "a STAR story gets the pacing bar");
}

#[test]
fn a_notice_shows_until_a_key_closes_it() {
    let (mut app, _practice) = app();
    app.show_notice(
        "2 file(s) skipped",
        vec!["a.md:1: bad".into(), "b.md:2: worse".into()],
    );
    app.update(Action::Down);
    assert_eq!(app.notice.as_ref().unwrap().scroll, 1, "j scrolls it");
    assert_eq!(
        app.update(Action::DrillDue),
        None,
        "the closing key does nothing else"
    );
    assert!(app.notice.is_none());
    assert!(app.update(Action::DrillDue).is_some());
}

#[test]
fn the_quick_score_needs_every_character_in_order_and_prefers_runs_and_word_starts() {
    assert_eq!(quick_score("cutting an sap xml", "pas"), None);
    let contiguous = quick_score("cutting an sap xml", "sap").unwrap();
    let scattered = quick_score("sleepy apes", "sap").unwrap();
    assert!(contiguous > scattered, "{contiguous} vs {scattered}");
    let word_start = quick_score("the xml story", "xml").unwrap();
    let inside = quick_score("thexmlstory", "xml").unwrap();
    assert!(word_start > inside);
    assert!(quick_score("anything", "").is_some());
}

#[test]
fn changing_the_tag_while_searching_searches_every_story_again() {
    let (mut app, _store) = app();
    for c in "the".chars() {
        app.update(Action::SearchInput(c));
    }
    let all = ids(&app);
    app.update(Action::NextTag);
    let first = ids(&app);
    app.update(Action::NextTag);
    let second_tag = app.library.tag.clone().unwrap();
    let expected: Vec<String> = all
        .iter()
        .filter(|id| {
            app.data.stories[app.data.position(id).unwrap()]
                .story
                .meta
                .tags
                .contains(&second_tag)
        })
        .cloned()
        .collect();
    let mut got = ids(&app);
    got.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(got, expected, "not narrowed from the first tag's {first:?}");
}

mod demo;
mod mock;
