-- Schema 3: who opened, printed, exported or erased which person's plan, and when.
-- Not derived: it is kept as written. It holds the person's id, never their name.

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    author    TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('open', 'print', 'export', 'erase')),
    person_id BLOB NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_id, seq);
