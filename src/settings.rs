//! The referent's choices for this computer, kept in a small JSON file next to the store (readable
//! before the store is unlocked: the language of the unlock screen is one of them). Nothing in it is
//! personal or secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the window remembers between launches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Settings {
    /// The interface's language (`fr`, `nl`, `en`); none chosen yet means French.
    pub language: Option<String>,
    /// Minutes without a touch before the window locks itself.
    pub idle_minutes: u32,
    /// A folder where a backup is written at each lock (e.g. a USB stick kept plugged in); none: off.
    pub backup_folder: Option<String>,
    /// How many automatic backups are kept there (the oldest go first).
    pub backup_keep: u32,
    /// Desktop reminders of what is due (at launch and at `reminder_time`); one switch turns them off.
    pub reminders: bool,
    /// The time of day of the daily reminder, `HH:MM` on this computer's clock.
    pub reminder_time: String,
    /// After how many days at one step an orientation shows in the follow-up list (1 to 90).
    pub stuck_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: None,
            idle_minutes: 5,
            backup_folder: None,
            backup_keep: 10,
            reminders: true,
            reminder_time: "09:00".into(),
            stuck_days: crate::app::ORIENTATION_STUCK_DAYS,
        }
    }
}

impl Settings {
    /// The choices kept for the store at `store`; the defaults when there are none or the file
    /// cannot be read (a damaged settings file never stops Proxi from opening).
    pub fn load(store: &Path) -> Settings {
        std::fs::read(path_for(store))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
            .map(Settings::clamped)
            .unwrap_or_default()
    }

    /// Keeps these choices (written aside, then renamed: a crash leaves the old or the new file).
    ///
    /// # Errors
    /// [`crate::Error::Storage`] if the file cannot be written.
    pub fn save(&self, store: &Path) -> crate::Result<()> {
        let path = path_for(store);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| crate::Error::Storage(format!("{}: {e}", dir.display())))?;
        }
        let json = serde_json::to_vec_pretty(&self.clone().clamped())
            .map_err(|e| crate::Error::Storage(e.to_string()))?;
        let partial = path.with_extension("json.new");
        std::fs::write(&partial, json)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| crate::Error::Storage(format!("{}: {e}", path.display())))
    }

    /// The same choices within what the window offers (1 minute to 2 hours; 1 to 100 backups; 1 to
    /// 90 days for an orientation without news; a language the interface speaks).
    fn clamped(mut self) -> Settings {
        self.idle_minutes = self.idle_minutes.clamp(1, 120);
        self.backup_keep = self.backup_keep.clamp(1, 100);
        self.stuck_days = self.stuck_days.clamp(1, 90);
        if !matches!(self.language.as_deref(), None | Some("fr" | "nl" | "en")) {
            self.language = None;
        }
        if self
            .backup_folder
            .as_deref()
            .is_some_and(|f| f.trim().is_empty())
        {
            self.backup_folder = None;
        }
        if self.reminder_at().is_none() {
            self.reminder_time = Settings::default().reminder_time;
        }
        self
    }

    /// The time of day of the daily reminder; none if the text is not a time.
    pub fn reminder_at(&self) -> Option<jiff::civil::Time> {
        let (hour, minute) = self.reminder_time.trim().split_once(':')?;
        jiff::civil::Time::new(hour.parse().ok()?, minute.parse().ok()?, 0, 0).ok()
    }
}

/// The settings file of the store at `store`.
pub fn path_for(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".settings.json");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_are_kept_and_bad_files_give_the_defaults() {
        let dir = tempfile::tempdir().expect("dir");
        let store = dir.path().join("proxi.db");
        assert_eq!(Settings::load(&store), Settings::default());
        let chosen = Settings {
            language: Some("nl".into()),
            idle_minutes: 15,
            backup_folder: Some("/media/usb".into()),
            backup_keep: 3,
            reminders: false,
            reminder_time: "07:45".into(),
            stuck_days: 30,
        };
        chosen.save(&store).expect("saved");
        assert_eq!(Settings::load(&store), chosen);

        std::fs::write(path_for(&store), b"{ not json").expect("write");
        assert_eq!(Settings::load(&store), Settings::default());
        std::fs::write(
            path_for(&store),
            br#"{"language":"xx","idleMinutes":0,"backupKeep":5000,"backupFolder":"  ","reminderTime":"25:99","stuckDays":400}"#,
        )
        .expect("write");
        let read = Settings::load(&store);
        assert_eq!(read.language, None);
        assert_eq!(read.idle_minutes, 1);
        assert_eq!(read.backup_keep, 100);
        assert_eq!(read.backup_folder, None);
        assert_eq!(read.reminder_time, "09:00");
        assert_eq!(read.stuck_days, 90);
        assert!(read.reminders, "reminders are on unless switched off");
        assert_eq!(chosen.reminder_at(), Some(jiff::civil::time(7, 45, 0, 0)));
    }
}
