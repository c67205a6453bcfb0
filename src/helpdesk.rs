//! The organisation's helpdesk: "un numéro unique comme référence" (the seeds). Its name, number and
//! hours, set once for the store, shown in the window and at the end of the sheet's "who to call".

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Proxi;
use crate::domain::{Checks, NAME_MAX};
use crate::error::{ErrorCode, Result};

/// The helpdesk as the referent set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Helpdesk {
    /// Who answers ("Permanence des référents de proximité").
    pub name: String,
    pub phone: String,
    /// When, in words ("du lundi au vendredi, de 9 h à 17 h").
    pub hours: String,
}

impl Proxi {
    /// The helpdesk, when one was set.
    ///
    /// # Errors
    /// [`crate::Error::Storage`].
    pub fn helpdesk(&self) -> Result<Option<Helpdesk>> {
        Ok(self
            .store()
            .meta("helpdesk")?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Sets the helpdesk (none: takes it away).
    ///
    /// # Errors
    /// [`ErrorCode::MemberNameEmpty`] without a name, [`ErrorCode::PhoneInvalid`],
    /// [`ErrorCode::TextTooLong`]; [`crate::Error::Storage`].
    pub fn set_helpdesk(&mut self, helpdesk: Option<Helpdesk>) -> Result<()> {
        let Some(h) = helpdesk else {
            return self.store().set_meta("helpdesk", None);
        };
        let mut checks = Checks::default();
        checks
            .rule(h.name.trim().is_empty(), ErrorCode::MemberNameEmpty, "name")
            .length(&h.name, NAME_MAX, "name")
            .rule(
                !crate::domain::is_phone(&h.phone),
                ErrorCode::PhoneInvalid,
                "phone",
            )
            .length(&h.hours, NAME_MAX, "hours");
        checks.finish()?;
        let h = Helpdesk {
            name: h.name.trim().to_owned(),
            phone: h.phone.trim().to_owned(),
            hours: h.hours.trim().to_owned(),
        };
        let json = serde_json::to_string(&h).map_err(|e| crate::Error::Storage(e.to_string()))?;
        self.store().set_meta("helpdesk", Some(&json))
    }
}
