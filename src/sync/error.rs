//! What can go wrong in a team and its sync, each with its own stable [`ErrorCode`] and a sentence
//! that says what to do. The window words each code in the referent's language; the sentence here is
//! what the command line prints.

use crate::error::ErrorCode;

/// Everything that can go wrong in a team and its sync (beyond the store's own errors).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("this laptop is not in a team yet: create a team, or join one with an invitation code")]
    NoTeam,
    #[error("this laptop is already in a team: one store belongs to one team")]
    AlreadyInTeam,
    #[error(
        "this laptop was removed from its team: it keeps its plans but syncs no more; ask a \
         colleague for a new invitation"
    )]
    DeviceRevoked,
    #[error("{0}")]
    InvitationInvalid(String),
    #[error(
        "the relay could not be reached ({0}): the changes wait here, safe, and go at the next sync"
    )]
    RelayUnreachable(String),
    #[error("the relay refused ({status}: {message})")]
    RelayRefused { status: u16, message: String },
    /// The relay answered, but not in a form this Proxi reads (a garbled or tampered answer).
    #[error(
        "the relay's answer could not be read ({0}): nothing of it was used; sync again later, and \
         tell whoever runs the relay if it goes on"
    )]
    RelayAnswerInvalid(String),
    /// The team key this laptop seals with is not in its store.
    #[error(
        "this laptop lacks the team's key of epoch {0}: nothing was sent and nothing is lost; sync \
         again, and if it goes on, ask a colleague to remove this laptop from the team and invite it \
         again"
    )]
    TeamKeyMissing(u32),
    /// This laptop's own keys in its store do not read.
    #[error(
        "this laptop's team record is damaged ({0}): its plans are safe; ask a colleague to remove \
         this laptop from the team and invite it again"
    )]
    TeamRecordDamaged(String),
    /// A change, a key or an invitation could not be sealed (no random source, say).
    #[error(
        "something could not be sealed for the team ({0}): nothing was sent and nothing is lost; \
         restart Proxi and try again"
    )]
    SealFailed(String),
}

impl SyncError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            SyncError::NoTeam => ErrorCode::NoTeam,
            SyncError::AlreadyInTeam => ErrorCode::AlreadyInTeam,
            SyncError::DeviceRevoked => ErrorCode::DeviceRevoked,
            SyncError::InvitationInvalid(_) => ErrorCode::InvitationInvalid,
            SyncError::RelayUnreachable(_) => ErrorCode::RelayUnreachable,
            SyncError::RelayRefused { .. } => ErrorCode::RelayRefused,
            SyncError::RelayAnswerInvalid(_) => ErrorCode::RelayAnswerInvalid,
            SyncError::TeamKeyMissing(_) => ErrorCode::TeamKeyMissing,
            SyncError::TeamRecordDamaged(_) => ErrorCode::TeamRecordDamaged,
            SyncError::SealFailed(_) => ErrorCode::SealFailed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sync_error_has_its_own_code_and_says_what_to_do() {
        let all = [
            SyncError::NoTeam,
            SyncError::AlreadyInTeam,
            SyncError::DeviceRevoked,
            SyncError::InvitationInvalid("a code without its secret".to_owned()),
            SyncError::RelayUnreachable("connection refused".to_owned()),
            SyncError::RelayRefused {
                status: 409,
                message: "conflict".to_owned(),
            },
            SyncError::RelayAnswerInvalid("a frame cut short".to_owned()),
            SyncError::TeamKeyMissing(3),
            SyncError::TeamRecordDamaged("a signing key of 12 bytes".to_owned()),
            SyncError::SealFailed("no random source".to_owned()),
        ];
        let codes: std::collections::HashSet<ErrorCode> = all.iter().map(SyncError::code).collect();
        assert_eq!(codes.len(), all.len(), "one code per kind of failure");
        // A sealing failure is not a disk problem: it says so, and says nothing is lost.
        let sealing = crate::Error::from(SyncError::SealFailed("no random source".to_owned()));
        assert_eq!(sealing.code(), ErrorCode::SealFailed);
        assert!(sealing.to_string().contains("nothing is lost"), "{sealing}");
    }
}
