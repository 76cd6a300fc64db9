//! Practice beyond one machine.
//!
//! - [`log`]: each machine's append-only log of reviews, undos, mock answers and pick-card
//!   reviews, in a folder the user keeps in step (git, Syncthing, Dropbox);
//! - [`replay`]: a card's schedule recomputed from its whole history, so every machine that
//!   holds the same reviews computes the same schedule;
//! - [`anki`]: the cards as an Anki deck (`.apkg`), and the reviews made in Anki read back.
//!
//! Files and formats only: the database side is `crate::store`'s, the use cases that join
//! them are `crate::practice::sync`'s.

pub mod anki;
pub mod log;
pub mod replay;
