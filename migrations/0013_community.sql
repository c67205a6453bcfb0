-- Schema 13: community resources the team records (a neighbour who shops, a baker who keeps an eye, a
-- community connector, a quartier info point), each its own document (kind "communityResource"), owned
-- by the team. Derived from the documents like the rest: the list by bassin and quartier.
CREATE TABLE community_row (
    id         BLOB PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    quartier   INTEGER,
    bassin     TEXT,
    public     INTEGER NOT NULL,
    closed     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
