-- Schema 11: hospital stays, derived from the documents like the rest (the follow-up list shows who
-- is in hospital and who leaves it soon), and the audit log says to whom a plan was handed: a hospital
-- professional (FHIR export, allowed or refused) or another referent (handover). The log is rebuilt
-- to widen its list of actions; its rows are kept as they were.
CREATE TABLE stay_row (
    id             BLOB PRIMARY KEY,
    person_id      BLOB NOT NULL,
    hospital       TEXT NOT NULL,
    admitted       TEXT NOT NULL,
    discharge_on   TEXT,
    discharged     INTEGER NOT NULL,
    checklist_open INTEGER NOT NULL
);
CREATE INDEX stay_row_person ON stay_row (person_id);

CREATE TABLE audit_log_new (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    author    TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('open', 'print', 'export', 'erase', 'share',
                                              'share-refused', 'handover', 'import')),
    person_id BLOB NOT NULL,
    -- To or from whom (a professional's or a colleague's name, never the person's).
    party     TEXT
);
INSERT INTO audit_log_new (seq, at, author, action, person_id)
    SELECT seq, at, author, action, person_id FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_person ON audit_log (person_id, seq);
