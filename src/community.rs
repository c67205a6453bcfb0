//! Community resources: the neighbour who does the shopping, the baker who keeps an eye, a community
//! connector, a quartier info point — "une ressource potentielle pour répondre à des besoins
//! individuels" (the seeds). Not services of the directory: the team records them, **private to the
//! team** (each its own document, synced sealed through the relay like a group, never in the
//! directory's HSDS export), placed in a quartier and a bassin.

use autosurgeon::{Hydrate, Reconcile};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::app::Proxi;
use crate::clock::new_id;
use crate::domain::{Checks, NAME_MAX, WORDS_MAX};
use crate::error::{ErrorCode, Result};
use crate::territory::Bassin;

/// The root `kind` of a community resource's document.
pub const COMMUNITY_KIND: &str = "communityResource";

/// Version of the document's layout.
pub const COMMUNITY_SCHEMA: u64 = 1;

/// What kind of resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CommunityKind {
    /// A neighbour who helps (shopping, a visit, a call).
    Neighbour,
    /// A shop that keeps an eye (the baker, the pharmacist, the grocer).
    Shop,
    /// A community connector of the quartier.
    Connector,
    /// A quartier info point.
    InfoPoint,
    Other,
}

impl CommunityKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Neighbour => "neighbour",
            Self::Shop => "shop",
            Self::Connector => "connector",
            Self::InfoPoint => "infoPoint",
            Self::Other => "other",
        }
    }
}

/// The whole document of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommunityDocument {
    #[ts(type = "number")]
    pub schema: u64,
    /// Always [`COMMUNITY_KIND`].
    pub kind: String,
    pub resource: CommunityResource,
}

/// A community resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Reconcile, Hydrate, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommunityResource {
    pub id: Uuid,
    pub kind: CommunityKind,
    pub name: String,
    /// What they can do, in words.
    pub offers: String,
    pub phone: String,
    /// The monitoring quartier it is in.
    pub quartier: Option<u32>,
    pub bassin: Option<Bassin>,
    /// The team (and the resource itself) agreed it may be listed publicly: then, while available, it is
    /// in the directory's HSDS export (name, what it offers, phone, quartier; never an address).
    pub public: bool,
    /// No longer available (kept: actions may name it).
    pub closed: bool,
    #[autosurgeon(with = "crate::domain::am_timestamp")]
    #[ts(type = "string")]
    pub created: Timestamp,
}

/// A resource as the window enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommunityInput {
    pub kind: CommunityKind,
    pub name: String,
    pub offers: String,
    pub phone: String,
    pub quartier: Option<u32>,
    pub bassin: Option<Bassin>,
    pub public: bool,
}

impl CommunityResource {
    /// What the window would enter to record this resource as it is.
    pub fn input(&self) -> CommunityInput {
        CommunityInput {
            kind: self.kind,
            name: self.name.clone(),
            offers: self.offers.clone(),
            phone: self.phone.clone(),
            quartier: self.quartier,
            bassin: self.bassin,
            public: self.public,
        }
    }
}

fn check(input: &CommunityInput) -> Result<()> {
    let mut checks = Checks::default();
    checks
        .rule(
            input.name.trim().is_empty(),
            ErrorCode::MemberNameEmpty,
            "name",
        )
        .length(&input.name, NAME_MAX, "name")
        .length(&input.offers, WORDS_MAX, "offers")
        .rule(
            !input.phone.trim().is_empty() && !crate::domain::is_phone(&input.phone),
            ErrorCode::PhoneInvalid,
            "phone",
        )
        .rule(
            input
                .quartier
                .is_some_and(|q| !crate::territory::quartiers().iter().any(|x| x.code == q)),
            ErrorCode::QuartierUnknown,
            "quartier",
        );
    checks.finish()
}

impl Proxi {
    /// Records a community resource for the team; its id.
    ///
    /// # Errors
    /// [`ErrorCode::MemberNameEmpty`], [`ErrorCode::PhoneInvalid`], [`ErrorCode::QuartierUnknown`],
    /// [`ErrorCode::TextTooLong`]; [`crate::Error::Storage`].
    pub fn add_community(&mut self, input: CommunityInput) -> Result<Uuid> {
        check(&input)?;
        let now = self.now();
        let id = new_id(now);
        let doc = CommunityDocument {
            schema: COMMUNITY_SCHEMA,
            kind: COMMUNITY_KIND.to_owned(),
            resource: resource(id, input, false, now),
        };
        self.store_mut()
            .commit_community(id, &doc, "community.add", now)?;
        Ok(id)
    }

    /// Changes a community resource (and whether it is still available).
    ///
    /// # Errors
    /// As [`Proxi::add_community`]; [`crate::Error::ItemNotFound`].
    pub fn edit_community(&mut self, id: Uuid, input: CommunityInput, closed: bool) -> Result<()> {
        check(&input)?;
        let now = self.now();
        let mut doc = self.store_mut().community(id)?;
        doc.resource = resource(id, input, closed, doc.resource.created);
        self.store_mut()
            .commit_community(id, &doc, "community.edit", now)
    }

    /// The team's community resources, open ones first, by bassin, quartier and name.
    ///
    /// # Errors
    /// [`crate::Error::Storage`], [`crate::Error::DocumentInvalid`].
    pub fn community(&mut self) -> Result<Vec<CommunityResource>> {
        let ids = self.store().community_ids()?;
        ids.into_iter()
            .map(|id| Ok(self.store_mut().community(id)?.resource))
            .collect()
    }
}

/// The id of the organization the exported community resources belong to.
pub const HSDS_ORGANIZATION: &str = "proxi-community";

/// Adds `resources` (those the team marked public) to directory tables about to be exported: one
/// service each, of one organization ("Ressources de proximité"), with its phone, and placed at its
/// quartier (the quartier's inner point and name, never an address).
pub fn add_to_hsds(tables: &mut crate::directory::hsds::Tables, resources: &[CommunityResource]) {
    use serde_json::{Value, json};
    if resources.is_empty() {
        return;
    }
    let fields = |v: Value| match v {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    let mut put = |table: &'static str, record: Value| {
        let record = fields(record);
        let id = record
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        tables.entry(table).or_default().insert(id, record);
    };
    put(
        "organization",
        json!({"id": HSDS_ORGANIZATION, "name": "Ressources de proximité",
               "name_nl": "Buurtbronnen",
               "description": "Voisins, commerces, relais et points info de quartier qu'une équipe de référents de proximité partage, avec leur accord."}),
    );
    for r in resources {
        let id = format!("community-{}", r.id);
        put(
            "service",
            json!({"id": id, "organization_id": HSDS_ORGANIZATION, "name": r.name,
                   "description": r.offers, "status": "active", "proxi_kind": r.kind.code(),
                   "proxi_bassin": r.bassin.map(Bassin::code)}),
        );
        if !r.phone.is_empty() {
            put(
                "phone",
                json!({"id": format!("{id}-phone"), "service_id": id, "number": r.phone}),
            );
        }
        if let Some((q, (lat, lon))) = r
            .quartier
            .and_then(|code| Some((code, crate::territory::quartier_point(code)?)))
        {
            let name = crate::territory::quartiers()
                .iter()
                .find(|x| x.code == q)
                .map(|x| x.name_fr.clone())
                .unwrap_or_default();
            put(
                "location",
                json!({"id": format!("{id}-place"), "location_type": "physical",
                       "name": format!("Quartier {name}"),
                       "latitude": (lat * 1e5).round() / 1e5, "longitude": (lon * 1e5).round() / 1e5}),
            );
            put(
                "service_at_location",
                json!({"id": format!("{id}-at"), "service_id": id, "location_id": format!("{id}-place")}),
            );
        }
    }
}

fn resource(
    id: Uuid,
    input: CommunityInput,
    closed: bool,
    created: Timestamp,
) -> CommunityResource {
    CommunityResource {
        id,
        kind: input.kind,
        name: input.name.trim().to_owned(),
        offers: input.offers.trim().to_owned(),
        phone: input.phone.trim().to_owned(),
        quartier: input.quartier,
        bassin: input.bassin,
        public: input.public,
        closed,
        created,
    }
}
