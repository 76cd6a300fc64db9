//! rehearse: behavioural interview stories in Markdown, drilled with spaced repetition,
//! backed by runnable demos.
//!
//! Core (no terminal UI): [`config`], [`story`], [`srs`], [`store`], [`demo`], [`export`],
//! [`import`], [`mock`], [`pacing`] (the STAR timer of both sessions), [`sync`] (other
//! machines, Anki), [`speech`] (spoken answers heard offline and checked against the story),
//! and [`practice`], the use cases and the sessions both front ends drive; [`markdown`] and
//! [`editor`] serve both.
//! The terminal UI lives in [`tui`], the only module that touches ratatui or crossterm.

pub mod config;
pub mod demo;
pub mod editor;
pub mod export;
pub mod import;
pub mod markdown;
pub mod mock;
pub mod pacing;
pub mod practice;
pub mod speech;
pub mod srs;
pub mod store;
pub mod story;
pub mod sync;
pub mod tui;
