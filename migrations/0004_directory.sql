-- The integrated directory: Open Referral HSDS records, one row per record, its scalar fields as a JSON
-- object (foreign keys included, unknown fields kept). The search index is derived from these rows.
CREATE TABLE directory_record (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- `generation` grows by one with every import: a search index built from another generation is rebuilt.
CREATE TABLE directory_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO directory_state (key, value) VALUES ('generation', '0');

-- Which record points at which id (foreign keys of the bodies, derived at import): a service card is
-- assembled from the records around one service without reading the whole directory.
CREATE TABLE directory_link (
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (target, kind, id)
) WITHOUT ROWID;
CREATE INDEX directory_link_source ON directory_link (kind, id);
