//! The story screen's state and actions: scrolling (bounded by what was drawn), edit, drill,
//! demo, reload.

use std::cell::Cell;

use super::{Action, App, Effect, PAGE};
use crate::srs::DrillMode;

#[derive(Debug, Clone, Default)]
pub struct StoryView {
    pub index: usize,
    pub scroll: u16,
    /// The furthest the text can scroll, as last drawn (the pane's height decides it).
    pub max_scroll: Cell<u16>,
}

impl StoryView {
    pub fn new(index: usize) -> StoryView {
        StoryView {
            index,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
        }
    }
}

impl App {
    pub(super) fn update_story(&mut self, action: Action) -> Option<Effect> {
        let max = self.story.max_scroll.get();
        let scroll = &mut self.story.scroll;
        match action {
            Action::Down => *scroll = scroll.saturating_add(1).min(max),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(PAGE as u16).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(PAGE as u16),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = max.min(u16::MAX / 2),
            Action::Back => self.pop(),
            Action::Edit => {
                return Some(Effect::Edit {
                    index: self.story.index,
                });
            }
            Action::RunDemo => return self.run_demo(),
            Action::EditParams => self.edit_params(),
            Action::DrillStory => return self.drill_focused(DrillMode::Scheduled),
            Action::DrillAhead => return self.drill_focused(DrillMode::Cram),
            Action::Reload => return Some(Effect::ReloadStories),
            _ => {}
        }
        None
    }
}
