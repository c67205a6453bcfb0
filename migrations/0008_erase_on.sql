-- Schema 8: the day a plan is erased because the person did not agree to keep it (their consent
-- says "keep the plan: no"; renewed consent clears it). Derived from the documents like the rest of
-- person_row; filled by the rebuild that the new derived version triggers.
ALTER TABLE person_row ADD COLUMN erase_on TEXT;
CREATE INDEX person_row_erase_on ON person_row (erase_on) WHERE erase_on IS NOT NULL;
