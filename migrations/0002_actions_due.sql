-- Schema 2: the agreed actions still open, across everyone, for the follow-up list.
-- Derived from the documents; the store rebuilds it at the next open (derived_version 2).

CREATE TABLE action_row (
    id        BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES person_row (id) ON DELETE CASCADE,
    what      TEXT NOT NULL,
    due       TEXT,
    status    TEXT NOT NULL
);
CREATE INDEX action_row_due ON action_row (due) WHERE due IS NOT NULL;
CREATE INDEX action_row_person ON action_row (person_id);
