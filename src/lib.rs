//! rehearse: behavioural interview stories in Markdown, drilled with spaced repetition,
//! backed by runnable demos.
//!
//! Core (no terminal UI): [`config`], [`story`], [`srs`], [`store`], [`demo`], [`export`],
//! [`mock`].
//! The terminal UI lives in [`tui`], the only module that touches ratatui or crossterm.

pub mod config;
pub mod demo;
pub mod export;
pub mod mock;
pub mod srs;
pub mod store;
pub mod story;
pub mod tui;
