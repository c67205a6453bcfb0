-- Schema 12: Diapason groups, each its own document (kind "diapasonGroup"), owned by the team. Derived
-- from the documents like the rest: the groups list and the recommendations whose follow-up is due.
CREATE TABLE group_row (
    id         BLOB PRIMARY KEY,
    name       TEXT NOT NULL,
    bassin     TEXT,
    closed     INTEGER NOT NULL,
    members    INTEGER NOT NULL,
    meetings   INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE recommendation_row (
    id         BLOB PRIMARY KEY,
    group_id   BLOB NOT NULL,
    text       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    status     TEXT NOT NULL,
    -- The first follow-up not done yet, of a recommendation neither done nor dropped.
    next_due   TEXT
);
CREATE INDEX recommendation_row_group ON recommendation_row (group_id);
CREATE INDEX recommendation_row_due ON recommendation_row (next_due);
