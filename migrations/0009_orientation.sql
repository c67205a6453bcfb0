-- Schema 9: orientations to services, followed step by step. Derived from the documents like the
-- rest: the step of an open action that orients (and since when), for the follow-up list's stuck
-- orientations; and the needs for which no service was found, with the person's place, for the
-- bassin's needs watch.
ALTER TABLE action_row ADD COLUMN orientation_step TEXT;
ALTER TABLE action_row ADD COLUMN orientation_since TEXT;

CREATE TABLE unmet_need (
    action_id   BLOB PRIMARY KEY NOT NULL,
    person_id   BLOB NOT NULL,
    theme       TEXT,
    postal_code TEXT NOT NULL,
    commune     TEXT NOT NULL,
    since       TEXT NOT NULL
);
CREATE INDEX unmet_need_person ON unmet_need (person_id);
