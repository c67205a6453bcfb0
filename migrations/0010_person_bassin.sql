-- Schema 10: the bassin of each person as the referent confirmed or corrected it (else as the postal
-- code proposes it), derived from the documents, so that the people list filters by it.
ALTER TABLE person_row ADD COLUMN bassin TEXT;
