//! Errors of the core, each with a stable [`ErrorCode`] that the shell and the UI branch on.
//!
//! Messages are written for the person in front of the screen: they say what happened and what to do
//! next, and whether trying again can help.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stable, machine-readable code for every way a core call can fail.
///
/// The codes are a contract with the UI and the CLI: never rename one, only add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum ErrorCode {
    // Validation of a person.
    DisplayNameEmpty,
    TextTooLong,
    BirthYearOutOfRange,
    LanguageCodeInvalid,
    PostalCodeInvalid,
    /// A quartier code that is not one of the region's monitoring quartiers.
    QuartierUnknown,
    PhoneInvalid,
    EmailInvalid,
    /// A national number (NISS/INSZ) whose digits or check number are wrong.
    NissInvalid,
    // Validation of a plan.
    WordsEmpty,
    CardUnknown,
    ReviewDateBeforeCreation,
    ActionWhatEmpty,
    ActionDueInPast,
    ActionPriorityUnknown,
    ActionMemberUnknown,
    ActionServiceEmpty,
    /// An action given to a community resource the team does not hold, or no longer available.
    ActionCommunityUnknown,
    MemberNameEmpty,
    NextVisitNotAfterVisit,
    ReorderMismatch,
    ConsentDateInFuture,
    /// An orientation's appointment step without its date.
    AppointmentDateMissing,
    /// A hospital stay without the hospital's name.
    HospitalEmpty,
    DischargeBeforeAdmission,
    /// A stay marked as over without the day the person left.
    DischargeDateMissing,
    // Use cases.
    PersonNotFound,
    ItemNotFound,
    PersonArchived,
    NothingToUndo,
    // Store.
    WrongPassphrase,
    WrongRecoveryKey,
    /// A new passphrase too easy to guess (the reason is in the message).
    PassphraseTooWeak,
    /// The name that signs the referent's changes is empty.
    AuthorEmpty,
    /// The store is not unlocked yet (the shell's state, never an error of the core itself).
    StoreLocked,
    /// The operating system's keyring could not be reached or refused (remembering is optional).
    KeyringUnavailable,
    StoreNotFound,
    StoreExists,
    StoreTooNew,
    KeyFileMissing,
    KeyFileInvalid,
    StoreCorrupt,
    Storage,
    DocumentInvalid,
    // Printing.
    SheetFailed,
    /// The person speaks none of the sheet's languages: the window asks which one to print.
    SheetLanguageMissing,
    /// A word of the sheet is written in letters none of its fonts has.
    SheetScriptMissing,
    /// No voice reads the sheet's language aloud (or `espeak-ng` is missing).
    SpeechUnavailable,
    /// No printer of that name (or none at all) on this computer.
    NoPrinter,
    /// The printer system refused the job.
    PrintFailed,
    // Backups.
    BackupInvalid,
    BackupTooNew,
    // Directory.
    DirectoryFileInvalid,
    ServiceNotFound,
    DirectoryIndexFailed,
    // Team sync.
    NoTeam,
    AlreadyInTeam,
    DeviceRevoked,
    InvitationInvalid,
    RelayUnreachable,
    RelayRefused,
    /// The relay answered something that does not read (garbled or tampered): nothing of it used.
    RelayAnswerInvalid,
    /// The team key this laptop seals with is missing from its store.
    TeamKeyMissing,
    /// This laptop's own team keys in its store do not read.
    TeamRecordDamaged,
    /// A change, key or invitation could not be sealed (no random source).
    SealFailed,
    // Hospital liaison.
    /// The person did not agree to share their plan with that professional.
    ShareNotConsented,
    /// A FHIR file that is not a Bundle Proxi can read (the path and the rule are in the message).
    FhirFileInvalid,
    /// A proposal already accepted or rejected.
    ProposalDecided,
    /// A file that is not a handover file, or a damaged one.
    HandoverInvalid,
    /// A concertation shorter than 15 minutes or longer than 8 hours.
    ConcertationLengthInvalid,
    /// A time that does not exist in Brussels (the hour skipped when clocks go forward).
    SlotNotInBrussels,
    /// An invitation asked before the concertation's time is chosen.
    ConcertationNoTime,
    /// The code does not open this handover file.
    HandoverCodeWrong,
    // Diapason groups.
    /// A group without a name.
    GroupNameEmpty,
    /// An observation without words.
    ObservationEmpty,
    /// A recommendation without words.
    RecommendationEmpty,
    // Focus guides.
    /// A guide file that does not read, has a wrong field, or is older than the guide held.
    GuideFileInvalid,
    GuideNotFound,
    // Reminders.
    /// No notification service answered on the desktop.
    NotificationsUnavailable,
}

/// One broken rule: which rule, and which field of the input broke it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Violation {
    pub code: ErrorCode,
    /// The input field, as the form names it (`displayName`, `address.postalCode`, …).
    pub field: String,
}

impl Violation {
    pub(crate) fn new(code: ErrorCode, field: &str) -> Self {
        Self {
            code,
            field: field.to_owned(),
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("some fields need attention: {}", describe(.0))]
    Invalid(Vec<Violation>),
    #[error("no person with id {0} in this store")]
    PersonNotFound(uuid::Uuid),
    #[error("no {kind} with id {id} in this plan")]
    ItemNotFound { kind: &'static str, id: uuid::Uuid },
    #[error("this person's plan is archived: restore it before changing it")]
    PersonArchived,
    #[error("there is no edit of yours to undo in this plan")]
    NothingToUndo,
    #[error("this passphrase does not open the store: check it (and the caps lock) and try again")]
    WrongPassphrase,
    #[error(
        "this recovery key does not open the store: check each group of four characters and try again"
    )]
    WrongRecoveryKey,
    #[error(
        "this passphrase is too easy to guess ({0:?}): use four words or more that do not go together"
    )]
    PassphraseTooWeak(crate::passphrase::Weakness),
    #[error("write the name your changes will be signed with")]
    AuthorEmpty,
    #[error("there is no Proxi store at {0}: create one with `proxi init` or choose another path")]
    StoreNotFound(String),
    #[error("a Proxi store already exists at {0}: open it, or choose another path")]
    StoreExists(String),
    #[error(
        "this store was written by a newer Proxi (schema {found}, this one knows up to {known}): \
         install the latest Proxi to open it; nothing was changed"
    )]
    StoreTooNew { found: i64, known: i64 },
    #[error(
        "the key file {0} is missing: it must stay next to the store; restore it from a backup"
    )]
    KeyFileMissing(String),
    #[error("the key file {path} cannot be read ({reason}): restore it from a backup")]
    KeyFileInvalid { path: String, reason: String },
    #[error("the store failed its integrity check ({0}): restore it from a backup")]
    StoreCorrupt(String),
    #[error(
        "the store could not be read or written ({0}); retrying may help if the disk was busy or full"
    )]
    Storage(String),
    #[error("a plan document could not be read ({0}): it may come from a newer Proxi")]
    DocumentInvalid(String),
    #[error("{0}: nothing was changed; choose another backup file")]
    BackupInvalid(String),
    #[error(
        "this backup was made by a newer Proxi ({0}): install the latest Proxi to restore it; \
         nothing was changed"
    )]
    BackupTooNew(String),
    #[error(
        "there is no printer '{0}' on this computer: install one in the system's settings, or open \
         the sheet and print it from there"
    )]
    NoPrinter(String),
    #[error(
        "the printer refused the sheet ({0}): check that it is on and has paper, then try again"
    )]
    PrintFailed(String),
    #[error("the sheet could not be printed: {0}")]
    Sheet(String),
    #[error(
        "the sheet speaks none of this person's languages ({0}): choose the sheet's language (--lang)"
    )]
    SheetLanguageMissing(String),
    #[error(
        "the sheet cannot print \"{0}\": it has no letters for that script; write it in Latin or Arabic letters"
    )]
    SheetScriptMissing(String),
    #[error(
        "no voice reads \"{0}\" aloud on this computer: install espeak-ng, or read the sheet with an interpreter"
    )]
    SpeechUnavailable(String),
    #[error("{0}; nothing was imported")]
    DirectoryFile(crate::directory::hsds::FileProblem),
    #[error("no service with id {0} in the directory")]
    ServiceNotFound(String),
    #[error("{0}")]
    GuideFile(crate::guide::GuideProblem),
    #[error("no Focus guide {0}: import its file first")]
    GuideNotFound(String),
    #[error(
        "the directory's search index could not be built or read ({0}); it is rebuilt at the next start"
    )]
    DirectoryIndex(String),
    #[error("the store is locked: enter the passphrase first")]
    StoreLocked,
    #[error(
        "this computer's keyring could not be used ({0}): type the passphrase; Proxi works the same \
         without it"
    )]
    KeyringUnavailable(String),
    #[error(
        "the person did not agree to share their plan with \"{0}\": record their consent to share \
         with this professional first (Rights and consent); nothing was sent"
    )]
    ShareNotConsented(String),
    #[error("{path}: {rule}; nothing was imported")]
    FhirFile { path: String, rule: String },
    #[error("this proposal was already {0}")]
    ProposalDecided(&'static str),
    #[error("choose the concertation's time first: the invitation says when")]
    ConcertationNoTime,
    #[error("{0}: nothing was changed; ask your colleague for the file again")]
    HandoverInvalid(String),
    #[error(
        "this code does not open the file: check each group of four letters with your colleague; nothing was changed"
    )]
    HandoverCodeWrong,
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    #[error(
        "the desktop did not show the reminder ({0}): reminders need a desktop with notifications; \
         the follow-up list in Proxi says the same"
    )]
    NotificationsUnavailable(String),
}

fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("{} ({:?})", v.field, v.code))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// The stable code of this error (the first violated rule for [`Error::Invalid`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(v) => v.first().map_or(ErrorCode::DocumentInvalid, |v| v.code),
            Error::PersonNotFound(_) => ErrorCode::PersonNotFound,
            Error::ItemNotFound { .. } => ErrorCode::ItemNotFound,
            Error::PersonArchived => ErrorCode::PersonArchived,
            Error::NothingToUndo => ErrorCode::NothingToUndo,
            Error::WrongPassphrase => ErrorCode::WrongPassphrase,
            Error::WrongRecoveryKey => ErrorCode::WrongRecoveryKey,
            Error::PassphraseTooWeak(_) => ErrorCode::PassphraseTooWeak,
            Error::AuthorEmpty => ErrorCode::AuthorEmpty,
            Error::StoreNotFound(_) => ErrorCode::StoreNotFound,
            Error::StoreExists(_) => ErrorCode::StoreExists,
            Error::StoreTooNew { .. } => ErrorCode::StoreTooNew,
            Error::KeyFileMissing(_) => ErrorCode::KeyFileMissing,
            Error::KeyFileInvalid { .. } => ErrorCode::KeyFileInvalid,
            Error::StoreCorrupt(_) => ErrorCode::StoreCorrupt,
            Error::Storage(_) => ErrorCode::Storage,
            Error::DocumentInvalid(_) => ErrorCode::DocumentInvalid,
            Error::Sheet(_) => ErrorCode::SheetFailed,
            Error::SheetLanguageMissing(_) => ErrorCode::SheetLanguageMissing,
            Error::SheetScriptMissing(_) => ErrorCode::SheetScriptMissing,
            Error::SpeechUnavailable(_) => ErrorCode::SpeechUnavailable,
            Error::NoPrinter(_) => ErrorCode::NoPrinter,
            Error::PrintFailed(_) => ErrorCode::PrintFailed,
            Error::BackupInvalid(_) => ErrorCode::BackupInvalid,
            Error::BackupTooNew(_) => ErrorCode::BackupTooNew,
            Error::DirectoryFile(_) => ErrorCode::DirectoryFileInvalid,
            Error::ServiceNotFound(_) => ErrorCode::ServiceNotFound,
            Error::GuideFile(_) => ErrorCode::GuideFileInvalid,
            Error::GuideNotFound(_) => ErrorCode::GuideNotFound,
            Error::DirectoryIndex(_) => ErrorCode::DirectoryIndexFailed,
            Error::StoreLocked => ErrorCode::StoreLocked,
            Error::KeyringUnavailable(_) => ErrorCode::KeyringUnavailable,
            Error::ShareNotConsented(_) => ErrorCode::ShareNotConsented,
            Error::FhirFile { .. } => ErrorCode::FhirFileInvalid,
            Error::ProposalDecided(_) => ErrorCode::ProposalDecided,
            Error::HandoverInvalid(_) => ErrorCode::HandoverInvalid,
            Error::ConcertationNoTime => ErrorCode::ConcertationNoTime,
            Error::HandoverCodeWrong => ErrorCode::HandoverCodeWrong,
            Error::Sync(e) => e.code(),
            Error::NotificationsUnavailable(_) => ErrorCode::NotificationsUnavailable,
        }
    }

    /// The violated rules, empty for errors that are not about the input.
    pub fn violations(&self) -> &[Violation] {
        match self {
            Error::Invalid(v) => v,
            _ => &[],
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

impl From<crate::sheet::SheetError> for Error {
    fn from(e: crate::sheet::SheetError) -> Self {
        match e {
            crate::sheet::SheetError::NoFont(text) => Error::SheetScriptMissing(text),
            crate::sheet::SheetError::NoVoice(lang) => Error::SpeechUnavailable(lang),
            other => Error::Sheet(other.to_string()),
        }
    }
}

impl From<automerge::AutomergeError> for Error {
    fn from(e: automerge::AutomergeError) -> Self {
        Error::DocumentInvalid(e.to_string())
    }
}

/// The result of every core call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error as the UI receives it: the stable code to branch on, the sentence to show, and the fields
/// to mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: String,
    pub violations: Vec<Violation>,
}

impl From<Error> for ErrorReport {
    fn from(e: Error) -> Self {
        ErrorReport {
            code: e.code(),
            message: e.to_string(),
            violations: e.violations().to_vec(),
        }
    }
}

impl From<crate::directory::hsds::FileProblem> for Error {
    fn from(e: crate::directory::hsds::FileProblem) -> Self {
        Error::DirectoryFile(e)
    }
}

impl From<crate::guide::GuideProblem> for Error {
    fn from(e: crate::guide::GuideProblem) -> Self {
        Error::GuideFile(e)
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::DirectoryIndex(e.to_string())
    }
}
