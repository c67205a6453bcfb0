//! The plan in the format hospitals read: FHIR R4, following the HL7 Belgium profiles.
//!
//! Out ([`export`]): a Bundle of the person (BePatient), their priorities as Goals (BeGoal) in their
//! own words and rank, the agreed actions as the activities of a CarePlan (BECarePlan) with owner and
//! due date, the network as a CareTeam (BeCareTeam) with coded roles, informal carers as
//! RelatedPerson, and the Consent that allows it. Only with the person's consent to share with the
//! professional it goes to, and audited either way.
//!
//! In ([`import`]): a discharge Bundle from a hospital, checked whole (a bad file is refused with the
//! JSON path and the rule it breaks), read into proposals the referent accepts or rejects one by one.

pub mod export;
pub mod import;
pub mod proposal;

/// HL7 Belgium's canonical URLs of the profiles Proxi's resources claim (`meta.profile`).
pub mod profile {
    pub const PATIENT: &str =
        "https://www.ehealth.fgov.be/standards/fhir/core/StructureDefinition/be-patient";
    pub const PRACTITIONER: &str =
        "https://www.ehealth.fgov.be/standards/fhir/core/StructureDefinition/be-practitioner";
    pub const ORGANIZATION: &str =
        "https://www.ehealth.fgov.be/standards/fhir/core/StructureDefinition/be-organization";
    pub const CARE_PLAN: &str =
        "https://www.ehealth.fgov.be/standards/fhir/patient-care/StructureDefinition/be-care-plan";
    pub const GOAL: &str =
        "https://www.ehealth.fgov.be/standards/fhir/patient-care/StructureDefinition/be-goal";
    /// HL7 Belgium has no profile of these two: the resources claim FHIR's base definitions.
    pub const RELATED_PERSON: &str = "http://hl7.org/fhir/StructureDefinition/RelatedPerson";
    pub const CONSENT: &str = "http://hl7.org/fhir/StructureDefinition/Consent";
    pub const CARE_TEAM: &str =
        "https://www.ehealth.fgov.be/standards/fhir/patient-care/StructureDefinition/be-careteam";
}

/// Identifier systems.
pub mod system {
    /// The Belgian national number (NISS/INSZ, "SSIN").
    pub const SSIN: &str = "https://www.ehealth.fgov.be/standards/fhir/core/NamingSystem/ssin";
    /// Proxi's ids of people and of the items of a plan (so that a file coming back finds them).
    pub const PROXI_ID: &str = "urn:proxi:id";
    /// Services of the Brussels directory, by their HSDS id.
    pub const PROXI_SERVICE: &str = "urn:proxi:service";
    /// Roles in a person's network, as Proxi names them.
    pub const PROXI_ROLE: &str = "urn:proxi:network-role";
    /// The rank of a goal among the person's priorities (1 matters most).
    pub const RANK_EXTENSION: &str = "urn:proxi:extension:priority-rank";
    pub const SNOMED: &str = "http://snomed.info/sct";
    pub const BCP47: &str = "urn:ietf:bcp:47";
}

/// The largest file [`import`] reads, in bytes: a discharge Bundle is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
