//! Settings on disk: `settings.json` in the config folder, written atomically (temporary
//! file, fsync, rename) so a crash leaves the old or the new file, never half of one.

use std::path::Path;

use crate::types::{IpcError, Settings};

const FILE: &str = "settings.json";

/// The saved settings, or the defaults with a notice when the file is unreadable (the bad
/// file is kept beside, never deleted).
pub fn load(dir: &Path) -> (Settings, Option<String>) {
    let path = dir.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
        Err(e) => {
            return (
                Settings::default(),
                Some(format!(
                    "Settings could not be read ({e}); defaults are used."
                )),
            );
        }
    };
    match serde_json::from_str::<Settings>(&text) {
        Ok(s) => (s, None),
        Err(e) => {
            let aside = dir.join("settings.json.unreadable");
            let _ = std::fs::rename(&path, &aside);
            (
                Settings::default(),
                Some(format!(
                    "Settings were unreadable ({e}); defaults are used. The old file is at {}.",
                    aside.display()
                )),
            )
        }
    }
}

/// Writes the settings; returns only once they are on disk.
pub fn save(dir: &Path, s: &Settings) -> Result<(), IpcError> {
    let fail = |e: std::io::Error| {
        IpcError::new(
            "io",
            format!("Settings could not be saved in {}: {e}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let body =
        serde_json::to_vec_pretty(s).map_err(|e| IpcError::new("internal", e.to_string()))?;
    pustaka_core::fsutil::write_whole(&dir.join(FILE), &body).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Theme;

    #[test]
    fn saved_settings_load_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings {
            library_path: Some("/tmp/lib".into()),
            ui_language: "vi".into(),
            theme: Theme::Dark,
            text_size: 125,
            author_name: "Lan".into(),
            starter: [(
                "/tmp/lib".to_string(),
                crate::types::StarterRecord {
                    installed_version: Some(3),
                    dismissed: false,
                },
            )]
            .into(),
        };
        save(dir.path(), &s).unwrap();
        assert_eq!(load(dir.path()), (s, None));
    }

    #[test]
    fn unreadable_settings_fall_back_and_are_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{ not json").unwrap();
        let (s, notice) = load(dir.path());
        assert_eq!(s, Settings::default());
        assert!(notice.unwrap().contains("unreadable"));
        assert!(dir.path().join("settings.json.unreadable").exists());
    }

    #[test]
    fn missing_fields_take_defaults() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), r#"{"theme":"light"}"#).unwrap();
        let (s, notice) = load(dir.path());
        assert_eq!(s.theme, Theme::Light);
        assert_eq!(s.ui_language, "en");
        assert!(notice.is_none());
    }
}
