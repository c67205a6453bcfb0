//! The directory's search index (tantivy): French and Dutch analysis, prefix search as you type, typo
//! tolerance on longer words, filters, and "open now" from the opening hours.
//!
//! The index is derived from the store's records and lives in a folder next to the store. It records the
//! import generation it was built from, so that a restart reuses it and an import rebuilds it. It holds
//! only directory data (public information about services), never anything about a person.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{
    DocId, Index, IndexReader, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term,
};
use ts_rs::TS;

use super::ServiceCard;
use super::hours;
use crate::error::{Error, Result};
use crate::territory::Bassin;

/// Bumped when the index's fields or analysis change: an index of another version is rebuilt.
const FORMAT: &str = "proxi-directory-index/4";

/// Words shorter than this are matched exactly; longer ones also with one typo.
pub const TYPO_MIN_CHARS: usize = 5;

/// What the referent looks for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ServiceQuery {
    /// Words as typed; the last one is completed as a prefix unless followed by a space.
    pub text: String,
    pub bassins: Vec<Bassin>,
    /// NIS codes of communes.
    pub communes: Vec<String>,
    /// Language codes: services speaking any of them.
    pub languages: Vec<String>,
    /// Theme codes: services with any of them.
    pub themes: Vec<String>,
    /// Monitoring quartiers (codes): services placed in any of them.
    pub quartiers: Vec<u32>,
    pub free_or_low_cost: bool,
    pub wheelchair: bool,
    pub open_now: bool,
    /// At most this many hits (default 50).
    pub limit: Option<u32>,
}

/// One line of the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServiceHit {
    pub id: String,
    pub name: String,
    pub name_nl: Option<String>,
    pub organization: Option<String>,
    pub street: Option<String>,
    pub commune_fr: Option<String>,
    pub commune_nl: Option<String>,
    pub bassin: Option<Bassin>,
    pub themes: Vec<String>,
    pub languages: Vec<String>,
    pub free_or_low_cost: bool,
    pub wheelchair: bool,
    /// The monitoring quartier of its first place.
    pub quartier: Option<u32>,
    /// Open at the time of the search (Brussels time), from the hours Proxi can read.
    #[serde(default)]
    pub open_now: bool,
}

/// The hits of a search, and how many services matched in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SearchResult {
    pub total: u32,
    pub hits: Vec<ServiceHit>,
    /// How many of all the matching services (not only the hits shown) are in each quartier, for the
    /// map: (quartier code, count), by code.
    pub by_quartier: Vec<(u32, u32)>,
}

/// The line of the results that shows `card`.
pub fn hit_of(card: &ServiceCard) -> ServiceHit {
    let first = card.places.first();
    ServiceHit {
        id: card.id.clone(),
        name: card.name.clone(),
        name_nl: card.name_nl.clone(),
        organization: card.organization.clone(),
        street: first.and_then(|p| p.street.clone()),
        commune_fr: first.and_then(|p| p.commune_fr.clone()),
        commune_nl: first.and_then(|p| p.commune_nl.clone()),
        bassin: first.and_then(|p| p.bassin),
        themes: card.themes.iter().map(|t| t.code.clone()).collect(),
        languages: card.languages.clone(),
        free_or_low_cost: card.free_or_low_cost,
        wheelchair: card.wheelchair,
        quartier: first.and_then(|p| p.quartier),
        open_now: false,
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    hit: Field,
    /// The service's position in the hours table ([`HoursTable`]).
    ord: Field,
    fr: Field,
    nl: Field,
    words: Field,
    bassin: Field,
    commune: Field,
    language: Field,
    theme: Field,
    flag: Field,
    quartier: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        hit: b.add_text_field("hit", STORED),
        ord: b.add_u64_field("ord", FAST | STORED),
        fr: b.add_text_field("fr", text("proxi_fr")),
        nl: b.add_text_field("nl", text("proxi_nl")),
        words: b.add_text_field("words", text("proxi_folded")),
        bassin: b.add_text_field("bassin", STRING),
        commune: b.add_text_field("commune", STRING),
        language: b.add_text_field("language", STRING),
        theme: b.add_text_field("theme", STRING),
        flag: b.add_text_field("flag", STRING),
        quartier: b.add_u64_field("quartier", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// French or Dutch: split on anything not a letter or digit, drop words over 40 bytes, lower-case,
/// drop the language's stop words, fold accents to ASCII ("é" → "e", "œ" → "oe"), stem.
fn stemmed(language: Language) -> TextAnalyzer {
    let stop = StopWordFilter::new(language).expect("tantivy ships French and Dutch stop words");
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(stop)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(language))
        .build()
}

/// Words as written, lower-cased and folded: for prefixes and typos, which stems would blur.
fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

fn register(index: &Index) {
    index
        .tokenizers()
        .register("proxi_fr", stemmed(Language::French));
    index
        .tokenizers()
        .register("proxi_nl", stemmed(Language::Dutch));
    index.tokenizers().register("proxi_folded", folded());
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

fn bassin_key(bassin: Bassin) -> String {
    serde_json::to_value(bassin)
        .ok()
        .and_then(|v| v.as_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// The search index of one directory.
pub struct DirectoryIndex {
    reader: IndexReader,
    hours: std::sync::Arc<HoursTable>,
    fields: Fields,
    generation: u64,
    /// Opened from the folder as an earlier run left it, rather than built by this one.
    reused: bool,
}

impl std::fmt::Debug for DirectoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryIndex")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// Where the index of a store lives: a folder next to it.
pub fn folder_for(store: &Path) -> PathBuf {
    let mut name = store.file_name().unwrap_or_default().to_os_string();
    name.push(".directory-index");
    store.with_file_name(name)
}

/// Small stored-document blocks: showing 50 hits reads 50 scattered documents, and each read
/// decompresses the block around it (2 KB blocks: p50 0.95 ms against 1.14 ms with the default 16 KB,
/// for an index 7 MB larger at 100,000 services).
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: 2048,
        ..tantivy::IndexSettings::default()
    }
}

fn payload(generation: u64) -> String {
    format!("{FORMAT} generation {generation}")
}

impl DirectoryIndex {
    /// Opens the index in `folder` if it was built from this generation of the directory.
    pub fn open(folder: &Path, generation: u64) -> Option<DirectoryIndex> {
        let index = Index::open_in_dir(folder).ok()?;
        let meta = index.load_metas().ok()?;
        if meta.payload.as_deref() != Some(payload(generation).as_str()) {
            return None;
        }
        let (schema, fields) = schema();
        if index.schema() != schema {
            return None;
        }
        let hours = HoursTable::read(&fs::read(folder.join(HOURS_FILE)).ok()?)?;
        let mut found = DirectoryIndex::ready(index, fields, generation, hours).ok()?;
        found.reused = true;
        Some(found)
    }

    /// Builds the index of these cards in `folder`, replacing what was there only once it is complete.
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`].
    pub fn build(folder: &Path, generation: u64, cards: &[ServiceCard]) -> Result<DirectoryIndex> {
        let building = folder.with_extension("building");
        if building.exists() {
            fs::remove_dir_all(&building).map_err(|e| Error::DirectoryIndex(e.to_string()))?;
        }
        fs::create_dir_all(&building).map_err(|e| Error::DirectoryIndex(e.to_string()))?;
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_dir(&building)?;
        register(&index);
        fill(&index, fields, generation, cards)?;
        drop(index);
        let hours = HoursTable::new(cards);
        fs::write(building.join(HOURS_FILE), hours.bytes())
            .map_err(|e| Error::DirectoryIndex(e.to_string()))?;
        if folder.exists() {
            fs::remove_dir_all(folder).map_err(|e| Error::DirectoryIndex(e.to_string()))?;
        }
        fs::rename(&building, folder).map_err(|e| Error::DirectoryIndex(e.to_string()))?;
        let index = Index::open_in_dir(folder)?;
        DirectoryIndex::ready(index, fields, generation, hours)
    }

    /// An index in memory, for tests and benchmarks.
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`].
    pub fn in_memory(cards: &[ServiceCard]) -> Result<DirectoryIndex> {
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        register(&index);
        fill(&index, fields, 0, cards)?;
        DirectoryIndex::ready(index, fields, 0, HoursTable::new(cards))
    }

    fn ready(
        index: Index,
        fields: Fields,
        generation: u64,
        hours: HoursTable,
    ) -> Result<DirectoryIndex> {
        register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(DirectoryIndex {
            reader,
            hours: std::sync::Arc::new(hours),
            fields,
            generation,
            reused: false,
        })
    }

    /// Whether this index was found as an earlier run left it (no rebuild).
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// The import generation this index was built from.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every language the directory's services declare (ISO 639 codes, sorted): what its language
    /// filter offers, read from the index's own terms.
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`] if the index cannot be read.
    pub fn languages(&self) -> Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let mut found = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let index = segment
                .inverted_index(self.fields.language)
                .map_err(|e| Error::DirectoryIndex(e.to_string()))?;
            let mut terms = index
                .terms()
                .stream()
                .map_err(|e| Error::DirectoryIndex(e.to_string()))?;
            while terms.advance() {
                found.insert(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        Ok(found.into_iter().collect())
    }

    /// Services matching every word (in French or Dutch, as a prefix for the last one, with one typo in
    /// words of [`TYPO_MIN_CHARS`] letters or more) and every filter, best first.
    ///
    /// # Errors
    /// [`Error::DirectoryIndex`].
    pub fn search(&self, query: &ServiceQuery, now: Timestamp) -> Result<SearchResult> {
        let searcher = self.reader.searcher();
        let tantivy_query = self.query(query, &searcher);
        let limit = query.limit.unwrap_or(50).clamp(1, 1000) as usize;
        let top = TopDocs::with_limit(limit).order_by_score();
        let ((total, docs), counts) = if query.open_now {
            let (date, minute) = hours::brussels(now);
            let table = std::sync::Arc::clone(&self.hours);
            let open = move |ord: u64| table.open(ord, date, minute);
            let filter = tantivy::collector::FilterCollector::new(
                "ord".to_owned(),
                open,
                ((Count, top), QuartierCounts),
            );
            searcher.search(&tantivy_query, &filter)?
        } else {
            searcher.search(&tantivy_query, &((Count, top), QuartierCounts))?
        };
        let mut hits = Vec::with_capacity(docs.len());
        for (_, address) in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(json) = doc.get_first(self.fields.hit).and_then(|v| v.as_str()) else {
                continue;
            };
            let mut hit: ServiceHit =
                serde_json::from_str(json).map_err(|e| Error::DirectoryIndex(e.to_string()))?;
            let (date, minute) = hours::brussels(now);
            hit.open_now = doc
                .get_first(self.fields.ord)
                .and_then(|v| v.as_u64())
                .is_some_and(|ord| self.hours.open(ord, date, minute));
            hits.push(hit);
        }
        let by_quartier: Vec<(u32, u32)> = (0u32..).zip(counts).filter(|(_, n)| *n > 0).collect();
        Ok(SearchResult {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            hits,
            by_quartier,
        })
    }

    fn query(&self, q: &ServiceQuery, searcher: &tantivy::Searcher) -> Box<dyn Query> {
        let f = self.fields;
        let known = |field: Field, word: &str| {
            searcher.segment_readers().iter().any(|segment| {
                segment
                    .inverted_index(field)
                    .ok()
                    .and_then(|index| index.terms().get(word.as_bytes()).ok().flatten())
                    .is_some()
            })
        };
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let (mut fr, mut nl, mut plain) = (
            stemmed(Language::French),
            stemmed(Language::Dutch),
            folded(),
        );
        // Words as typed, only lower-cased: the stemmers see them as the index saw the text.
        let mut lower = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        let typed = tokens(&mut lower, &q.text);
        let typing = !q.text.ends_with(char::is_whitespace);
        let only_word = typed.len() == 1;
        for (i, raw) in typed.iter().enumerate() {
            let last = i + 1 == typed.len();
            let Some(word) = tokens(&mut plain, raw).pop() else {
                continue;
            };
            let fr_stems = tokens(&mut fr, raw);
            let nl_stems = tokens(&mut nl, raw);
            // A stop word of either language ("de", "la", "van"; "a" typed for "à") carries nothing,
            // unless it is all there is or is still being typed.
            let stop = fr_stems.is_empty()
                || nl_stems.is_empty()
                || tokens(&mut fr, &word).is_empty()
                || tokens(&mut nl, &word).is_empty();
            if stop && !only_word && !(last && typing) {
                continue;
            }
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let term = |field: Field, text: &str| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(field, text);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                )
            };
            for stem in &fr_stems {
                any.push(term(f.fr, stem));
            }
            for stem in &nl_stems {
                any.push(term(f.nl, stem));
            }
            // A typo is forgiven only in a word the directory does not hold as written.
            let unknown = !known(f.words, &word);
            if unknown && word.chars().count() >= TYPO_MIN_CHARS {
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.words, &word), 1, true);
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(fuzzy), 0.5)),
                ));
            }
            // Still being typed: a word the directory holds as written is already matched, with its
            // plurals, by its stems; only a beginning of a word needs completing.
            if last && typing && unknown && word.chars().count() >= 2 {
                let prefix =
                    FuzzyTermQuery::new_prefix(Term::from_field_text(f.words, &word), 0, true);
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(prefix), 0.5)),
                ));
            }
            if any.is_empty() {
                // A stop word being typed: it matches what holds it as written.
                any.push(term(f.words, &word));
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let mut one_of = |field: Field, values: Vec<String>| {
            if values.is_empty() {
                return;
            }
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let q =
                        TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        };
        one_of(f.bassin, q.bassins.iter().map(|b| bassin_key(*b)).collect());
        one_of(
            f.commune,
            q.communes.iter().map(|c| c.trim().to_owned()).collect(),
        );
        one_of(
            f.language,
            q.languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .collect(),
        );
        one_of(
            f.theme,
            q.themes
                .iter()
                .map(|t| t.trim().to_ascii_lowercase())
                .collect(),
        );
        if q.free_or_low_cost {
            one_of(f.flag, vec!["free".to_owned()]);
        }
        if q.wheelchair {
            one_of(f.flag, vec!["wheelchair".to_owned()]);
        }
        if !q.quartiers.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = q
                .quartiers
                .iter()
                .map(|code| {
                    let term = Term::from_field_u64(f.quartier, u64::from(*code));
                    let q = TermQuery::new(term, IndexRecordOption::Basic);
                    (Occur::Should, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if must.is_empty() {
            return Box::new(AllQuery);
        }
        // Filters alone match every service equally: AllQuery keeps a stable order among them.
        must.push((Occur::Should, Box::new(AllQuery)));
        Box::new(BooleanQuery::new(must))
    }
}

/// The file next to the index holding every service's opening hours.
const HOURS_FILE: &str = "proxi-hours.bin";

/// Every service's weekly slots, by its position in the index (`ord`), in memory: "open now" is asked
/// of every matching service, and plain memory answers in nanoseconds where a bytes column of the
/// index needs a dictionary lookup per service.
#[derive(Debug, Default)]
struct HoursTable {
    /// `starts[ord]..starts[ord + 1]` are the service's bytes in `slots` ([`hours::encode`]).
    starts: Vec<u32>,
    slots: Vec<u8>,
}

impl HoursTable {
    fn new(cards: &[ServiceCard]) -> HoursTable {
        let mut table = HoursTable {
            starts: vec![0],
            slots: Vec::new(),
        };
        for card in cards {
            table.slots.extend(hours::encode(&card.hours));
            table
                .starts
                .push(u32::try_from(table.slots.len()).unwrap_or(u32::MAX));
        }
        table
    }

    fn open(&self, ord: u64, date: jiff::civil::Date, minute: u16) -> bool {
        let ord = usize::try_from(ord).unwrap_or(usize::MAX);
        let (Some(start), Some(end)) = (self.starts.get(ord), self.starts.get(ord + 1)) else {
            return false;
        };
        self.slots
            .get(*start as usize..*end as usize)
            .is_some_and(|bytes| hours::open_encoded(bytes, date, minute))
    }

    /// The file: the number of services, their starts, then the slots (little-endian).
    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.starts.len() * 4 + self.slots.len());
        out.extend_from_slice(
            &u32::try_from(self.starts.len())
                .unwrap_or(u32::MAX)
                .to_le_bytes(),
        );
        for start in &self.starts {
            out.extend_from_slice(&start.to_le_bytes());
        }
        out.extend_from_slice(&self.slots);
        out
    }

    /// Reads [`HoursTable::bytes`]; `None` for a file that does not hold together (the index is then
    /// rebuilt).
    fn read(bytes: &[u8]) -> Option<HoursTable> {
        let word = |i: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                bytes.get(i * 4..i * 4 + 4)?.try_into().ok()?,
            ))
        };
        let count = word(0)? as usize;
        let starts: Vec<u32> = (1..=count).map(word).collect::<Option<_>>()?;
        let slots = bytes.get((count + 1) * 4..)?.to_vec();
        let ordered = starts.windows(2).all(|w| w[0] <= w[1]);
        (ordered && starts.last().is_some_and(|l| *l as usize == slots.len()))
            .then_some(HoursTable { starts, slots })
    }
}

/// Counts the matching services of each quartier (a service in two quartiers counts in both).
struct QuartierCounts;

/// Quartier codes run up to 917: counts are kept in a plain array, indexed by code.
const QUARTIER_CODES: usize = 1024;

struct QuartierSegment {
    column: Column<u64>,
    counts: Vec<u32>,
}

impl Collector for QuartierCounts {
    type Fruit = Vec<u32>;
    type Child = QuartierSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<QuartierSegment> {
        Ok(QuartierSegment {
            column: segment.fast_fields().u64("quartier")?,
            counts: vec![0; QUARTIER_CODES],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut all = vec![0; QUARTIER_CODES];
        for fruit in fruits {
            for (total, n) in all.iter_mut().zip(fruit) {
                *total += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for QuartierSegment {
    type Fruit = Vec<u32>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for code in self.column.values_for_doc(doc) {
            if let Some(n) = usize::try_from(code)
                .ok()
                .and_then(|c| self.counts.get_mut(c))
            {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

fn fill(index: &Index, f: Fields, generation: u64, cards: &[ServiceCard]) -> Result<()> {
    let mut writer = index.writer_with_num_threads(1, 64 * 1024 * 1024)?;
    for (ord, card) in cards.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &card.id);
        let hit = hit_of(card);
        doc.add_text(
            f.hit,
            serde_json::to_string(&hit).map_err(|e| Error::DirectoryIndex(e.to_string()))?,
        );
        doc.add_u64(f.ord, ord as u64);
        let themes_fr: Vec<&str> = card.themes.iter().map(|t| t.name.as_str()).collect();
        let themes_nl: Vec<&str> = card
            .themes
            .iter()
            .filter_map(|t| t.name_nl.as_deref())
            .collect();
        let organization = card.organization.as_deref().unwrap_or_default();
        // The name twice: a word of the name weighs more than a word of the description.
        let name_nl = card.name_nl.as_deref().unwrap_or(&card.name);
        doc.add_text(
            f.fr,
            format!(
                "{name} {name} {} {} {}",
                card.description.as_deref().unwrap_or_default(),
                organization,
                themes_fr.join(" "),
                name = card.name,
            ),
        );
        doc.add_text(
            f.nl,
            format!(
                "{name_nl} {name_nl} {} {} {}",
                card.description_nl.as_deref().unwrap_or_default(),
                organization,
                themes_nl.join(" ")
            ),
        );
        doc.add_text(
            f.words,
            format!(
                "{} {} {} {} {} {} {}",
                card.name,
                card.name_nl.as_deref().unwrap_or_default(),
                organization,
                card.description.as_deref().unwrap_or_default(),
                card.description_nl.as_deref().unwrap_or_default(),
                themes_fr.join(" "),
                themes_nl.join(" ")
            ),
        );
        for place in &card.places {
            if let Some(b) = place.bassin {
                doc.add_text(f.bassin, bassin_key(b));
            }
            if let Some(nis) = &place.nis {
                doc.add_text(f.commune, nis);
            }
        }
        for code in card.places.iter().filter_map(|p| p.quartier) {
            doc.add_u64(f.quartier, u64::from(code));
        }
        for language in &card.languages {
            doc.add_text(f.language, language.to_ascii_lowercase());
        }
        for theme in &card.themes {
            doc.add_text(f.theme, theme.code.to_ascii_lowercase());
        }
        if card.free_or_low_cost {
            doc.add_text(f.flag, "free");
        }
        if card.wheelchair {
            doc.add_text(f.flag, "wheelchair");
        }
        writer.add_document(doc)?;
    }
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&payload(generation));
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hours_file_reads_back_and_a_broken_one_is_refused() {
        let table = HoursTable {
            starts: vec![0, 13, 13],
            slots: hours::encode(&[hours::Slot {
                days: 1,
                opens: 540,
                closes: 720,
                valid_from: None,
                valid_to: None,
            }]),
        };
        let bytes = table.bytes();
        let read = HoursTable::read(&bytes).expect("reads");
        assert_eq!(
            (read.starts.clone(), read.slots.clone()),
            (table.starts, table.slots)
        );
        let monday = jiff::civil::Date::new(2026, 11, 23).expect("a date");
        assert!(read.open(0, monday, 600));
        assert!(!read.open(1, monday, 600), "no hours, never open");
        assert!(!read.open(7, monday, 600), "no such service");
        assert!(HoursTable::read(&bytes[..bytes.len() - 1]).is_none());
        assert!(HoursTable::read(&[9, 0, 0, 0]).is_none());
        assert!(HoursTable::read(&[]).is_none());
    }
}
