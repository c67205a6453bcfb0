//! The needs watch of the bassin, anonymous: how many priorities, difficulties, orientations and unmet
//! needs, by life domain or theme, per bassin, commune or quartier, per month or quarter. Only codes
//! and counts leave this module: no name, id or free text ever.
//!
//! **k-anonymity**: no count between 1 and k − 1 is shown (zero is: "nobody" names no one). Then, so
//! that no hidden count can be recomputed from the totals, every line of the table — a row with its
//! total, a column with its total, the row totals with the grand total, the column totals with the
//! grand total — holds either no hidden count or at least two ("complementary suppression"): where a
//! line hides exactly one, the smallest shown count of that line is hidden too, until no line does.
//! The rule is checked line by line; combining several tables (other periods, other levels) is not
//! guarded against, which is why only whole tables are shown and exported.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::Proxi;
use crate::domain::{OrientationStep, PlanDocument};
use crate::error::Result;
use crate::store::PeopleQuery;

/// The smallest count shown by default.
pub const K: u32 = 5;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NeedKind {
    /// Priorities, by the picture card (life domain) they were said with.
    Priorities,
    /// Difficulties, by picture card.
    Difficulties,
    /// Orientations to a service, by the directory theme chosen.
    Orientations,
    /// Orientations that found no service, by theme.
    Unmet,
}

/// Where, at which grain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PlaceLevel {
    Bassin,
    Commune,
    Quartier,
}

/// When, at which grain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PeriodLength {
    Month,
    Quarter,
}

/// One table of the needs watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedsQuery {
    pub kind: NeedKind,
    pub level: PlaceLevel,
    pub length: PeriodLength,
    /// "2026-11" or "2026-Q4"; none: the latest period with anything counted.
    pub period: Option<String>,
}

/// A count, or hidden (`None`) because it is small or would let a small one be recomputed.
pub type Cell = Option<u32>;

/// One row: a card or theme code, its counts per place, its total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedsRow {
    pub code: String,
    pub cells: Vec<Cell>,
    pub total: Cell,
}

/// One column: a place code (bassin code, commune NIS, quartier number) and its total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedsColumn {
    pub place: String,
    pub total: Cell,
}

/// A table of counts with small ones hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NeedsTable {
    pub kind: NeedKind,
    pub level: PlaceLevel,
    /// The period shown ("2026-11", "2026-Q4"); empty when nothing is counted.
    pub period: String,
    /// Every period with something counted, newest first.
    pub periods: Vec<String>,
    pub k: u32,
    pub columns: Vec<NeedsColumn>,
    pub rows: Vec<NeedsRow>,
    pub total: Cell,
}

/// One thing counted: what, where, when.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counted {
    code: String,
    place: String,
    day: Date,
}

fn period_of(day: Date, length: PeriodLength) -> String {
    match length {
        PeriodLength::Month => format!("{:04}-{:02}", day.year(), day.month()),
        PeriodLength::Quarter => format!("{:04}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
    }
}

/// Where a person lives at `level`, from their address: their bassin ([`Address::bassin_placed`]),
/// the commune's NIS code, the quartier's number. None: not known.
///
/// [`Address::bassin_placed`]: crate::domain::Address::bassin_placed
fn place_of(plan: &PlanDocument, level: PlaceLevel) -> Option<String> {
    let address = &plan.person.address;
    match level {
        PlaceLevel::Bassin => address.bassin_placed().map(|b| b.code().to_owned()),
        PlaceLevel::Commune => {
            crate::territory::lookup(address.postal_code.trim()).map(|a| a.nis.clone())
        }
        PlaceLevel::Quartier => address.quartier.map(|q| q.to_string()),
    }
}

fn brussels_day(at: jiff::Timestamp) -> Date {
    at.to_zoned(crate::clock::brussels()).date()
}

/// What `plan` holds of `kind`, placed at `level`: codes only.
fn counted(plan: &PlanDocument, kind: NeedKind, level: PlaceLevel) -> Vec<Counted> {
    let Some(place) = place_of(plan, level) else {
        return Vec::new();
    };
    let item = |code: &str, day: Date| Counted {
        code: code.to_owned(),
        place: place.clone(),
        day,
    };
    let p = &plan.plan;
    match kind {
        NeedKind::Priorities => p
            .priorities
            .iter()
            .filter_map(|x| x.card.as_deref().map(|c| item(c, brussels_day(x.created))))
            .collect(),
        NeedKind::Difficulties => p
            .difficulties
            .iter()
            .filter_map(|x| x.card.as_deref().map(|c| item(c, brussels_day(x.created))))
            .collect(),
        NeedKind::Orientations => p
            .actions
            .iter()
            .filter_map(|a| {
                let theme = a.orientation.as_ref()?.theme.as_deref()?;
                Some(item(theme, brussels_day(a.created)))
            })
            .collect(),
        NeedKind::Unmet => p
            .actions
            .iter()
            .filter_map(|a| {
                let o = a.orientation.as_ref()?;
                (o.step == OrientationStep::NoServiceFound)
                    .then(|| item(o.theme.as_deref().unwrap_or("other"), o.since))
            })
            .collect(),
    }
}

/// Counts laid out by row and column, with every count between 1 and k − 1 hidden and the
/// complementary ones that would give it away (see the module's documentation).
pub fn tabulate(
    counts: &BTreeMap<(String, String), u32>,
    k: u32,
) -> (Vec<NeedsColumn>, Vec<NeedsRow>, Cell) {
    let rows: Vec<String> = counts
        .keys()
        .map(|(r, _)| r.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut cols: Vec<String> = counts
        .keys()
        .map(|(_, c)| c.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Quartiers by their number (9 before 12), the other codes as they are written.
    cols.sort_by_key(|c| (c.parse::<u64>().ok(), c.clone()));
    let (nr, nc) = (rows.len(), cols.len());
    // The grid with its totals: rows × columns, then a column of row totals, a row of column
    // totals, and the grand total at (nr, nc).
    let mut value = vec![vec![0u32; nc + 1]; nr + 1];
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in cols.iter().enumerate() {
            let v = counts.get(&(r.clone(), c.clone())).copied().unwrap_or(0);
            value[i][j] = v;
            value[i][nc] += v;
            value[nr][j] += v;
            value[nr][nc] += v;
        }
    }
    let mut hidden: Vec<Vec<bool>> = value
        .iter()
        .map(|line| line.iter().map(|v| *v > 0 && *v < k).collect())
        .collect();
    // The lines whose sum is known: each row with its total, each column with its total, the row
    // totals with the grand total, the column totals with the grand total.
    let mut lines: Vec<Vec<(usize, usize)>> = Vec::new();
    for i in 0..=nr {
        lines.push((0..=nc).map(|j| (i, j)).collect());
    }
    for j in 0..=nc {
        lines.push((0..=nr).map(|i| (i, j)).collect());
    }
    loop {
        let mut changed = false;
        for line in &lines {
            let count = line.iter().filter(|(i, j)| hidden[*i][*j]).count();
            if count != 1 {
                continue;
            }
            // Hide the smallest shown count of the line (a zero only when nothing else is left).
            let pick = line
                .iter()
                .filter(|(i, j)| !hidden[*i][*j])
                .min_by_key(|(i, j)| (value[*i][*j] == 0, value[*i][*j]));
            if let Some((i, j)) = pick {
                hidden[*i][*j] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let cell = |i: usize, j: usize| (!hidden[i][j]).then_some(value[i][j]);
    let columns = cols
        .into_iter()
        .enumerate()
        .map(|(j, place)| NeedsColumn {
            place,
            total: cell(nr, j),
        })
        .collect();
    let out_rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, code)| NeedsRow {
            code,
            cells: (0..nc).map(|j| cell(i, j)).collect(),
            total: cell(i, nc),
        })
        .collect();
    (columns, out_rows, cell(nr, nc))
}

impl Proxi {
    /// One table of the needs watch, over every person of this store (archived ones included: their
    /// needs were real), small counts hidden with threshold `k`.
    ///
    /// # Errors
    /// [`crate::Error::Storage`], [`crate::Error::DocumentInvalid`].
    pub fn needs_watch(&mut self, query: &NeedsQuery, k: u32) -> Result<NeedsTable> {
        let people = self.people(&PeopleQuery {
            include_archived: true,
            ..PeopleQuery::default()
        })?;
        let mut all = Vec::new();
        for p in people {
            let plan = self.plan(p.id)?;
            all.extend(counted(&plan, query.kind, query.level));
        }
        let mut periods: Vec<String> = all
            .iter()
            .map(|c| period_of(c.day, query.length))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        periods.reverse();
        let period = query
            .period
            .clone()
            .or_else(|| periods.first().cloned())
            .unwrap_or_default();
        let mut counts: BTreeMap<(String, String), u32> = BTreeMap::new();
        for c in all
            .into_iter()
            .filter(|c| period_of(c.day, query.length) == period)
        {
            *counts.entry((c.code, c.place)).or_default() += 1;
        }
        let (columns, rows, total) = tabulate(&counts, k.max(2));
        Ok(NeedsTable {
            kind: query.kind,
            level: query.level,
            period,
            periods,
            k: k.max(2),
            columns,
            rows,
            total,
        })
    }
}

/// A table as CSV for the bassin's coordination: one line per shown or hidden count, the hidden ones
/// with an empty count and `hidden` said; then the totals. Codes only.
///
/// # Errors
/// A CSV writer's error (none is expected in memory).
pub fn to_csv(table: &NeedsTable) -> std::result::Result<String, csv::Error> {
    let kind = serde_json::to_value(table.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let level = serde_json::to_value(table.level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period", "kind", "code", "level", "place", "count", "hidden", "k",
    ])?;
    let k = table.k.to_string();
    let mut line = |code: &str, place: &str, cell: Cell| {
        let count = cell.map(|c| c.to_string()).unwrap_or_default();
        let hidden = if cell.is_none() { "true" } else { "false" };
        w.write_record([
            table.period.as_str(),
            &kind,
            code,
            &level,
            place,
            &count,
            hidden,
            &k,
        ])
    };
    for r in &table.rows {
        for (c, cell) in table.columns.iter().zip(&r.cells) {
            line(&r.code, &c.place, *cell)?;
        }
        line(&r.code, "all", r.total)?;
    }
    for c in &table.columns {
        line("all", &c.place, c.total)?;
    }
    line("all", "all", table.total)?;
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
