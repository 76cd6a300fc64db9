//! The library screen's state and actions: the filtered story list, tag and competency
//! filters, and what starts from a selected story (open, drill, edit, demo, stats, reload).

use super::{Action, App, Effect, Screen, next_of};
use crate::practice::DrillRequest;
use crate::srs::{DrillMode, Scope};

/// A story in the filtered list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Library {
    pub query: String,
    pub searching: bool,
    pub tag: Option<String>,
    pub competency: Option<String>,
    /// The stories shown, best match first (all stories, in order, without a query).
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The query `hits` was computed for (a longer query only narrows them).
    pub(super) searched: String,
}

impl App {
    pub(super) fn update_library(&mut self, action: Action) -> Option<Effect> {
        let count = self.library.hits.len();
        match action {
            Action::Down => {
                self.library.selected = (self.library.selected + 1).min(count.saturating_sub(1));
            }
            Action::Up => self.library.selected = self.library.selected.saturating_sub(1),
            Action::PageDown => {
                self.library.selected =
                    (self.library.selected + super::PAGE).min(count.saturating_sub(1));
            }
            Action::PageUp => {
                self.library.selected = self.library.selected.saturating_sub(super::PAGE);
            }
            Action::Top => self.library.selected = 0,
            Action::Bottom => self.library.selected = count.saturating_sub(1),
            Action::Open => {
                if let Some(index) = self.selected_index() {
                    self.open_story(index);
                }
            }
            Action::Search => self.library.searching = true,
            Action::SearchInput(c) => {
                self.library.query.push(c);
                self.refilter_typed();
            }
            Action::SearchBackspace => {
                self.library.query.pop();
                self.refilter();
            }
            Action::SearchAccept => self.library.searching = false,
            Action::SearchCancel => {
                self.library.searching = false;
                self.library.query.clear();
                self.refilter();
            }
            Action::NextTag => {
                self.library.tag = next_of(&self.data.tags, self.library.tag.as_ref());
                self.refilter();
            }
            Action::NextCompetency => {
                self.library.competency =
                    next_of(&self.data.competencies, self.library.competency.as_ref());
                self.refilter();
            }
            Action::ClearFilters => {
                self.library.query.clear();
                self.library.tag = None;
                self.library.competency = None;
                self.refilter();
            }
            Action::Back => self.pop(),
            Action::DrillDue => {
                return Some(Effect::StartDrill(DrillRequest::due(self.library_scope())));
            }
            Action::DrillAhead => {
                return Some(Effect::StartDrill(DrillRequest::ahead(
                    self.library_scope(),
                )));
            }
            Action::DrillStory => return self.drill_focused(DrillMode::Scheduled),
            Action::Edit => return self.focused_story().map(|index| Effect::Edit { index }),
            Action::RunDemo => return self.run_demo(),
            Action::EditParams => self.edit_params(),
            Action::Stats => {
                self.push(Screen::Stats);
                return Some(Effect::LoadStats);
            }
            Action::Reload => return Some(Effect::ReloadStories),
            Action::MockStart => return Some(Effect::StartMock),
            _ => {}
        }
        None
    }

    fn open_story(&mut self, index: usize) {
        self.story = super::story::StoryView::new(index);
        self.push(Screen::Story);
    }

    /// What `r` drills from the library: the tag filter's stories, or all.
    fn library_scope(&self) -> Scope {
        match &self.library.tag {
            Some(tag) => Scope::Tag(tag.clone()),
            None => Scope::All,
        }
    }

    pub(super) fn drill_focused(&mut self, mode: DrillMode) -> Option<Effect> {
        let index = self.focused_story()?;
        let story = &self.data.stories.get(index)?.story;
        if story.meta.draft {
            self.set_error(format!(
                "{} is a draft: drafts are not drilled (set `draft: false` when it is ready)",
                story.id()
            ));
            return None;
        }
        Some(Effect::StartDrill(DrillRequest {
            mode,
            ..DrillRequest::due(Scope::Story(story.id().to_owned()))
        }))
    }
}
