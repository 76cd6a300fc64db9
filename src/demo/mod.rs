//! The demo registry: every demo a story may name, by id. No UI here. `claims` puts a story's
//! key numbers beside the latest demo result; `runner` runs a demo as a child process, and
//! `lifeline` is that child's side: it ends with the app that started it.
//!
//! A story's `demo:` field is only ever looked up in this table; nothing from a story's text
//! is executed.

pub mod claims;
pub mod lifeline;
pub mod runner;

use demo_kit::Demo;
use thiserror::Error;

/// Every demo id this program knows, whether or not this build can run it.
pub const KNOWN_IDS: &[&str] = &["xml-cherry-pick", "concurrent-etl", "recursion-guard"];

#[derive(Debug, Error, PartialEq)]
pub enum LookupError {
    #[error("unknown demo `{id}`; known demos: {}", KNOWN_IDS.join(", "))]
    Unknown { id: String },
    #[error("demo `{id}` is not in this build: rebuild with `--features {feature}`")]
    NotBuilt { id: String, feature: &'static str },
}

/// The demos this build can run, in registry order.
pub fn available() -> Vec<&'static dyn Demo> {
    vec![
        &xml_cherry_pick::XmlCherryPick,
        &concurrent_etl::ConcurrentEtl,
        #[cfg(feature = "aws-demo")]
        &recursion_guard::RecursionGuard,
    ]
}

pub fn is_known(id: &str) -> bool {
    KNOWN_IDS.contains(&id)
}

pub fn find(id: &str) -> Result<&'static dyn Demo, LookupError> {
    if let Some(demo) = available().into_iter().find(|d| d.info().id == id) {
        return Ok(demo);
    }
    if id == "recursion-guard" {
        return Err(LookupError::NotBuilt {
            id: id.to_owned(),
            feature: "aws-demo",
        });
    }
    Err(LookupError::Unknown { id: id.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_available_demo_is_known_and_ids_match_the_registry() {
        for demo in available() {
            assert!(is_known(demo.info().id), "{}", demo.info().id);
        }
        #[cfg(feature = "aws-demo")]
        assert_eq!(available().len(), KNOWN_IDS.len());
    }

    #[test]
    fn an_unknown_id_lists_the_known_ones() {
        let error = find("rm -rf /").err().unwrap();
        assert!(
            error
                .to_string()
                .contains("xml-cherry-pick, concurrent-etl")
        );
    }
}
