-- Proxi store, schema 1. Append-only: never edit a migration that has shipped, add a new one.

-- Device-level settings: the automerge actor of this device, the author name of its changes.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The plan documents: one snapshot chunk and the incremental chunks after it, per document.
-- Loading a document concatenates its chunks in seq order.
CREATE TABLE doc_chunk (
    doc_id BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('snapshot', 'incremental')),
    bytes  BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

-- Derived from the documents (rebuildable at any time): the people list.
CREATE TABLE person_row (
    id                BLOB PRIMARY KEY NOT NULL,
    display_name      TEXT NOT NULL,
    full_name         TEXT NOT NULL,
    search_key        TEXT NOT NULL,
    postal_code       TEXT NOT NULL,
    commune           TEXT NOT NULL,
    archived          INTEGER NOT NULL,
    review_date       TEXT,
    active_priorities INTEGER NOT NULL,
    open_actions      INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX person_row_search ON person_row (archived, search_key);
