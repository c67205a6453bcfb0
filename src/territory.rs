//! The Brussels territory: which commune and which bassin d'aide et de soins a postal code proposes.
//!
//! The reference data is `data/territory/postal_codes.csv`, embedded at build time; an organisation
//! replaces the file when official lists change. A postal code only proposes: the person confirms.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The five bassins d'aide et de soins of the Brussels region.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    TS,
    autosurgeon::Reconcile,
    autosurgeon::Hydrate,
)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Bassin {
    Nord,
    NordEst,
    CentreOuest,
    Sud,
    SudEst,
}

impl Bassin {
    /// Every bassin, north to south-east.
    pub const ALL: [Bassin; 5] = [
        Bassin::Nord,
        Bassin::NordEst,
        Bassin::CentreOuest,
        Bassin::Sud,
        Bassin::SudEst,
    ];

    /// The bassin's name as the JSON and the store write it (`nordEst`…).
    pub fn code(self) -> &'static str {
        match self {
            Bassin::Nord => "nord",
            Bassin::NordEst => "nordEst",
            Bassin::CentreOuest => "centreOuest",
            Bassin::Sud => "sud",
            Bassin::SudEst => "sudEst",
        }
    }

    /// The bassin a code names; none for another text.
    pub fn from_code(code: &str) -> Option<Bassin> {
        Bassin::ALL.into_iter().find(|b| b.code() == code)
    }
}

/// What a postal code proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PostalArea {
    pub postal_code: String,
    /// The commune's NIS code (21001–21019).
    pub nis: String,
    pub commune_fr: String,
    pub commune_nl: String,
    pub bassin: Bassin,
    /// Where the bassin of this code comes from.
    pub source: String,
}

/// A row of the reference file, as its header names the columns.
#[derive(Deserialize)]
struct Row {
    postal_code: String,
    nis: String,
    commune_fr: String,
    commune_nl: String,
    bassin: Bassin,
    source: String,
}

const POSTAL_CODES: &str = include_str!("../data/territory/postal_codes.csv");

/// The rows of a reference CSV file as its header names the columns; the first that does not read is
/// named by its line.
fn csv_rows<T: serde::de::DeserializeOwned>(file: &str, csv_text: &str) -> Result<Vec<T>, String> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize::<T>()
        .map(|row| {
            row.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                format!("{file} line {line}: {e}")
            })
        })
        .collect()
}

/// Reads the reference file; a broken row is named by its line.
///
/// # Errors
/// The line and the reason of the first row that does not read.
pub fn parse(csv_text: &str) -> Result<Vec<PostalArea>, String> {
    let mut out: Vec<PostalArea> = Vec::new();
    for row in csv_rows::<Row>("postal_codes.csv", csv_text)? {
        let area = PostalArea {
            postal_code: row.postal_code,
            nis: row.nis,
            commune_fr: row.commune_fr,
            commune_nl: row.commune_nl,
            bassin: row.bassin,
            source: row.source,
        };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(&area.postal_code, 4) || !digits(&area.nis, 5) || !area.nis.starts_with("21") {
            return Err(format!(
                "postal_codes.csv: postal code '{}' or NIS '{}' is not a Brussels code",
                area.postal_code, area.nis
            ));
        }
        if out.iter().any(|a| a.postal_code == area.postal_code) {
            return Err(format!(
                "postal_codes.csv: postal code {} appears twice",
                area.postal_code
            ));
        }
        out.push(area);
    }
    Ok(out)
}

/// Every Brussels postal code, in code order.
pub fn areas() -> &'static [PostalArea] {
    static AREAS: OnceLock<Vec<PostalArea>> = OnceLock::new();
    // The embedded file is checked by a test; a broken one would fail the build's tests.
    AREAS.get_or_init(|| parse(POSTAL_CODES).unwrap_or_default())
}

/// What `postal_code` proposes, if it is a Brussels code.
pub fn lookup(postal_code: &str) -> Option<&'static PostalArea> {
    areas().iter().find(|a| a.postal_code == postal_code.trim())
}

/// A unit of the Brussels "Monitoring des Quartiers" (a residential quartier, or a park, cemetery or
/// industrial zone), with its boundary.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Quartier {
    /// `territory_code`: 1–118 residential, 700s cemeteries, 800s industrial zones, 900s parks.
    pub code: u32,
    pub name_fr: String,
    pub name_nl: String,
    /// The boundary: polygons of rings of [longitude, latitude] (WGS84), outer ring first.
    pub rings: Vec<Vec<Vec<[f64; 2]>>>,
    #[serde(skip)]
    #[ts(skip)]
    shape: geo::MultiPolygon<f64>,
    #[serde(skip)]
    #[ts(skip)]
    bounds: Option<geo::Rect<f64>>,
}

const QUARTIERS: &str = include_str!("../data/territory/quartiers.geojson");

/// Reads a GeoJSON collection of quartiers (`territory_code`, `territory_name_urbis_fr`,
/// `territory_name_urbis_nl`, multipolygon geometry).
///
/// # Errors
/// The feature and the reason of the first one that does not read.
pub fn parse_quartiers(geojson: &str) -> Result<Vec<Quartier>, String> {
    use geo::BoundingRect;

    #[derive(Deserialize)]
    struct Collection {
        features: Vec<Feature>,
    }
    #[derive(Deserialize)]
    struct Feature {
        properties: Properties,
        geometry: Geometry,
    }
    #[derive(Deserialize)]
    struct Properties {
        territory_code: u32,
        territory_name_urbis_fr: String,
        territory_name_urbis_nl: String,
    }
    #[derive(Deserialize)]
    struct Geometry {
        #[serde(rename = "type")]
        kind: String,
        coordinates: Vec<Vec<Vec<[f64; 2]>>>,
    }
    let collection: Collection =
        serde_json::from_str(geojson).map_err(|e| format!("quartiers.geojson: {e}"))?;
    let mut out: Vec<Quartier> = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.into_iter().enumerate() {
        let code = feature.properties.territory_code;
        if feature.geometry.kind != "MultiPolygon" {
            return Err(format!(
                "quartiers.geojson feature {i} ({code}): expected a MultiPolygon"
            ));
        }
        if out.iter().any(|q| q.code == code) {
            return Err(format!(
                "quartiers.geojson feature {i}: the code {code} is given twice"
            ));
        }
        let ring = |points: &Vec<[f64; 2]>| {
            geo::LineString::from(points.iter().map(|[x, y]| (*x, *y)).collect::<Vec<_>>())
        };
        let polygons: Vec<geo::Polygon<f64>> = feature
            .geometry
            .coordinates
            .iter()
            .filter_map(|rings| {
                let (outer, holes) = rings.split_first()?;
                Some(geo::Polygon::new(
                    ring(outer),
                    holes.iter().map(ring).collect(),
                ))
            })
            .collect();
        if polygons.is_empty() {
            return Err(format!(
                "quartiers.geojson feature {i} ({code}): no polygon"
            ));
        }
        let shape = geo::MultiPolygon::new(polygons);
        out.push(Quartier {
            code,
            name_fr: feature.properties.territory_name_urbis_fr,
            name_nl: feature.properties.territory_name_urbis_nl,
            rings: feature.geometry.coordinates,
            bounds: shape.bounding_rect(),
            shape,
        });
    }
    Ok(out)
}

/// The 145 monitoring quartiers of the reference file.
pub fn quartiers() -> &'static [Quartier] {
    static QUARTIERS_READ: OnceLock<Vec<Quartier>> = OnceLock::new();
    QUARTIERS_READ.get_or_init(|| {
        parse_quartiers(QUARTIERS).expect("data/territory/quartiers.geojson is embedded and tested")
    })
}

/// A point inside quartier `code` (latitude, longitude), to place something known only by its quartier.
pub fn quartier_point(code: u32) -> Option<(f64, f64)> {
    use geo::InteriorPoint;
    let q = quartiers().iter().find(|q| q.code == code)?;
    q.shape.interior_point().map(|p| (p.y(), p.x()))
}

/// The quartier a point (WGS84) lies in; `None` outside the region.
pub fn quartier_at(latitude: f64, longitude: f64) -> Option<&'static Quartier> {
    use geo::Contains;
    let point = geo::Point::new(longitude, latitude);
    quartiers().iter().find(|q| {
        q.bounds.is_some_and(|b| {
            (b.min().x..=b.max().x).contains(&longitude)
                && (b.min().y..=b.max().y).contains(&latitude)
        }) && q.shape.contains(&point)
    })
}

/// Which bassin a monitoring quartier belongs to, and on what basis (`data/territory/quartier_bassins.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuartierBassin {
    pub quartier: u32,
    pub name_fr: String,
    /// The commune it lies in (most of it, when it spans several).
    pub nis: String,
    pub bassin: Bassin,
    /// `name`: the quartier's own name names its commune; `place`: placed by its name and position by
    /// Proxi's developers, to be checked against an official list.
    pub basis: String,
    /// The communes it spans, or the part of Brussels-City it is in.
    pub note: String,
}

const QUARTIER_BASSINS: &str = include_str!("../data/territory/quartier_bassins.csv");

/// Reads the quartier → bassin table; a broken row is named by its line.
///
/// # Errors
/// The line and the reason of the first row that does not read, or a quartier named twice.
pub fn parse_quartier_bassins(csv_text: &str) -> Result<Vec<QuartierBassin>, String> {
    let mut out: Vec<QuartierBassin> = Vec::new();
    for row in csv_rows::<QuartierBassin>("quartier_bassins.csv", csv_text)? {
        if out.iter().any(|r| r.quartier == row.quartier) {
            return Err(format!(
                "quartier_bassins.csv: quartier {} appears twice",
                row.quartier
            ));
        }
        if row.basis != "name" && row.basis != "place" {
            return Err(format!(
                "quartier_bassins.csv: quartier {}: basis is name or place",
                row.quartier
            ));
        }
        out.push(row);
    }
    Ok(out)
}

/// The bassin of every monitoring quartier.
pub fn quartier_bassins() -> &'static [QuartierBassin] {
    static ROWS: OnceLock<Vec<QuartierBassin>> = OnceLock::new();
    // The embedded file is checked by a test.
    ROWS.get_or_init(|| parse_quartier_bassins(QUARTIER_BASSINS).unwrap_or_default())
}

/// The bassin a monitoring quartier belongs to.
pub fn bassin_of_quartier(code: u32) -> Option<Bassin> {
    quartier_bassins()
        .iter()
        .find(|r| r.quartier == code)
        .map(|r| r.bassin)
}

/// A bassin drawn on the map: the outline of its quartiers together.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BassinShape {
    pub bassin: Bassin,
    /// `M x y L … Z` for each ring of the union of its quartiers.
    pub path: String,
    /// A point inside it, for its name.
    pub center: [f64; 2],
}

/// A quartier drawn on the map: its outline as an SVG path in the map's coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuartierShape {
    pub code: u32,
    pub name_fr: String,
    pub name_nl: String,
    /// `M x y L … Z` for each ring, simplified to about 10 m.
    pub path: String,
    /// A point inside it, for a label.
    pub center: [f64; 2],
    /// The bassin it belongs to.
    pub bassin: Option<Bassin>,
}

/// The region's quartiers projected on a plane (north up, 1,000 units wide), for an SVG map.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TerritoryMap {
    pub width: f64,
    pub height: f64,
    pub quartiers: Vec<QuartierShape>,
    /// The five bassins' outlines, drawn from the quartiers they hold.
    pub bassins: Vec<BassinShape>,
}

/// The map of the 145 monitoring quartiers, computed once.
pub fn map() -> &'static TerritoryMap {
    use geo::{BoundingRect, InteriorPoint, Simplify};
    static MAP: OnceLock<TerritoryMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let all = quartiers();
        let bounds = all
            .iter()
            .filter_map(|q| q.shape.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                    (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
                )
            })
            .unwrap_or_else(|| geo::Rect::new((4.24, 50.76), (4.49, 50.92)));
        // Equirectangular around the region's middle latitude: exact enough over 20 km.
        let squeeze = ((bounds.min().y + bounds.max().y) / 2.0).to_radians().cos();
        let scale = 1000.0 / ((bounds.max().x - bounds.min().x) * squeeze);
        let project = |lon: f64, lat: f64| {
            (
                ((lon - bounds.min().x) * squeeze * scale * 10.0).round() / 10.0,
                ((bounds.max().y - lat) * scale * 10.0).round() / 10.0,
            )
        };
        let svg = |shape: &geo::MultiPolygon<f64>| {
            let mut path = String::new();
            for polygon in shape {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    for (i, c) in ring.coords().enumerate() {
                        let (x, y) = project(c.x, c.y);
                        path.push_str(&format!("{}{x} {y} ", if i == 0 { "M" } else { "L" }));
                    }
                    path.push_str("Z ");
                }
            }
            let center = shape.interior_point().map_or([0.0, 0.0], |p| {
                let (x, y) = project(p.x(), p.y());
                [x, y]
            });
            (path.trim_end().to_owned(), center)
        };
        let quartiers = all
            .iter()
            .map(|q| {
                let (path, center) = svg(&q.shape.simplify(0.0001));
                QuartierShape {
                    code: q.code,
                    name_fr: q.name_fr.clone(),
                    name_nl: q.name_nl.clone(),
                    path,
                    center,
                    bassin: bassin_of_quartier(q.code),
                }
            })
            .collect();
        let bassins = Bassin::ALL
            .iter()
            .map(|&bassin| {
                let shape = bassin_outline(all, bassin);
                let (path, center) = svg(&shape.simplify(0.0002));
                BassinShape {
                    bassin,
                    path,
                    center,
                }
            })
            .collect();
        let (width, height) = project(bounds.max().x, bounds.min().y);
        TerritoryMap {
            width,
            height,
            quartiers,
            bassins,
        }
    })
}

/// The union of the quartiers of `bassin`, closed over the hair-thin gaps where two quartiers' edges
/// do not quite meet (grown by about 5 m, united, shrunk back), without specks.
fn bassin_outline(all: &[Quartier], bassin: Bassin) -> geo::MultiPolygon<f64> {
    use geo::{Area, BooleanOps, Buffer};
    const GAP: f64 = 0.00007; // degrees: about 5 m of longitude, 8 m of latitude
    let mut union = geo::MultiPolygon::<f64>::new(Vec::new());
    for q in all
        .iter()
        .filter(|q| bassin_of_quartier(q.code) == Some(bassin))
    {
        union = union.union(&q.shape.buffer(GAP));
    }
    let closed = union.buffer(-GAP);
    let speck = 1e-6; // square degrees: about 0.008 km² at Brussels' latitude
    geo::MultiPolygon::new(
        closed
            .into_iter()
            .filter(|p| p.unsigned_area() > speck)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quartier_has_one_bassin_and_a_name_basis_names_its_commune() {
        let rows = parse_quartier_bassins(QUARTIER_BASSINS).expect("the table reads");
        assert_eq!(rows.len(), quartiers().len());
        for q in quartiers() {
            let row = rows.iter().find(|r| r.quartier == q.code).expect("a row");
            assert_eq!(row.name_fr, q.name_fr.trim(), "{}", q.code);
            let commune = areas()
                .iter()
                .find(|a| a.nis == row.nis)
                .expect("a commune");
            // Outside Brussels-City, the bassin is the commune's.
            if row.nis != "21004" {
                assert_eq!(row.bassin, commune.bassin, "{} {}", q.code, q.name_fr);
            }
            if row.basis == "name" {
                let name = crate::text::fold(&q.name_fr).replace(' ', "-");
                let commune = crate::text::fold(&commune.commune_fr);
                let named = commune
                    .split('-')
                    .filter(|w| w.len() >= 5 && !w.starts_with("saint"))
                    .any(|w| name.contains(w));
                assert!(named, "{}: {name} does not name {commune}", q.code);
            }
        }
        for b in Bassin::ALL {
            assert!(rows.iter().any(|r| r.bassin == b), "{b:?}");
        }
        assert!(parse_quartier_bassins("quartier,name_fr,nis,bassin,basis,note\n1,A,21004,nord,name,\n1,A,21004,nord,name,\n").is_err());
        assert!(
            parse_quartier_bassins(
                "quartier,name_fr,nis,bassin,basis,note\n1,A,21004,ouest,name,\n"
            )
            .is_err()
        );
    }

    #[test]
    fn each_bassins_outline_holds_its_quartiers_and_no_other() {
        use geo::{Contains, InteriorPoint};
        let outlines: Vec<(Bassin, geo::MultiPolygon<f64>)> = Bassin::ALL
            .iter()
            .map(|&b| (b, bassin_outline(quartiers(), b)))
            .collect();
        for q in quartiers() {
            let inside = q.shape.interior_point().expect("a point inside");
            let holding: Vec<Bassin> = outlines
                .iter()
                .filter(|(_, o)| o.contains(&inside))
                .map(|(b, _)| *b)
                .collect();
            assert_eq!(
                holding,
                vec![bassin_of_quartier(q.code).expect("a bassin")],
                "{}",
                q.name_fr
            );
        }
        assert_eq!(map().bassins.len(), 5);
        assert!(map().bassins.iter().all(|b| b.path.starts_with('M')));
    }

    #[test]
    fn the_embedded_file_reads_and_covers_the_nineteen_communes_and_five_bassins() {
        let areas = parse(POSTAL_CODES).expect("reference file");
        assert_eq!(areas.len(), 22);
        let mut nis: Vec<&str> = areas.iter().map(|a| a.nis.as_str()).collect();
        nis.sort_unstable();
        nis.dedup();
        assert_eq!(nis.len(), 19);
        for bassin in Bassin::ALL {
            assert!(areas.iter().any(|a| a.bassin == bassin), "{bassin:?}");
        }
    }

    #[test]
    fn a_postal_code_proposes_commune_and_bassin() {
        let laeken = lookup("1020").expect("1020");
        assert_eq!(laeken.commune_fr, "Bruxelles");
        assert_eq!(laeken.bassin, Bassin::Nord);
        assert_eq!(
            lookup(" 1070 ").map(|a| a.bassin),
            Some(Bassin::CentreOuest)
        );
        assert_eq!(
            lookup("1210").map(|a| a.commune_nl.as_str()),
            Some("Sint-Joost-ten-Node")
        );
        assert!(lookup("4000").is_none());
    }

    #[test]
    fn a_broken_file_is_refused_with_its_line() {
        let header = "postal_code,nis,commune_fr,commune_nl,bassin,source\n";
        let e =
            parse(&format!("{header}1000,21004,Bruxelles,Brussel,ouest,x\n")).expect_err("refused");
        assert!(e.contains("line 2"), "{e}");
        let e =
            parse(&format!("{header}100,21004,Bruxelles,Brussel,nord,x\n")).expect_err("refused");
        assert!(e.contains("'100'"), "{e}");
        let row = "1000,21004,Bruxelles,Brussel,nord,x\n";
        let e = parse(&format!("{header}{row}{row}")).expect_err("refused");
        assert!(e.contains("twice"), "{e}");
        let e = parse("postal_code,nis\n1000,21004\n").expect_err("refused");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn a_point_falls_in_its_quartier() {
        assert_eq!(quartiers().len(), 145);
        let at = |lat, lon| quartier_at(lat, lon).map(|q| (q.code, q.name_fr.as_str()));
        assert_eq!(at(50.8467, 4.3524), Some((1, "GRAND PLACE")));
        assert_eq!(at(50.8275, 4.3723), Some((37, "FLAGEY - MALIBRAN")));
        assert_eq!(at(50.8949, 4.3415), Some((74, "HEYSEL")));
        assert_eq!(at(50.8357, 4.3366), Some((804, "GARE DU MIDI")));
        assert_eq!(
            quartier_at(50.78, 4.42).map(|q| q.name_nl.as_str()),
            Some("ZONIENWOUD")
        );
        assert_eq!(at(51.22, 4.40), None, "Antwerp is not in Brussels");
    }

    #[test]
    fn a_broken_quartier_file_is_refused() {
        let e = parse_quartiers("{").expect_err("refused");
        assert!(e.contains("quartiers.geojson"), "{e}");
        let feature = r#"{"properties": {"territory_code": 1, "territory_name_urbis_fr": "A",
            "territory_name_urbis_nl": "A"}, "geometry": {"type": "MultiPolygon",
            "coordinates": [[[[4.0, 50.0], [4.1, 50.0], [4.1, 50.1], [4.0, 50.0]]]]}}"#;
        let twice = format!(r#"{{"features": [{feature}, {feature}]}}"#);
        assert!(
            parse_quartiers(&twice)
                .expect_err("refused")
                .contains("twice")
        );
        let point = feature.replace("MultiPolygon", "Point");
        assert!(parse_quartiers(&format!(r#"{{"features": [{point}]}}"#)).is_err());
    }

    #[test]
    fn the_map_draws_every_quartier_inside_its_frame_and_small() {
        let map = map();
        assert_eq!(map.quartiers.len(), 145);
        assert!((map.width - 1000.0).abs() < 0.5, "{}", map.width);
        assert!(map.height > 500.0 && map.height < 1000.0, "{}", map.height);
        let grand_place = map.quartiers.iter().find(|q| q.code == 1).expect("code 1");
        let [x, y] = grand_place.center;
        assert!((0.0..=map.width).contains(&x) && (0.0..=map.height).contains(&y));
        assert!(grand_place.path.starts_with('M') && grand_place.path.ends_with('Z'));
        let bytes: usize = map.quartiers.iter().map(|q| q.path.len()).sum();
        assert!(bytes < 400_000, "the map's outlines take {bytes} bytes");
    }
}
