-- Team sync bookkeeping of this device, written in the same transaction as the documents it concerns.

-- Blobs sealed for the relay and not yet acknowledged by it: resent, byte for byte, until they are.
CREATE TABLE sync_outbox (
    doc_id BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    blob   BLOB NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

-- Per document: the last sequence number this device sealed, and the document heads it covered.
CREATE TABLE sync_sent (
    doc_id BLOB PRIMARY KEY NOT NULL,
    seq    INTEGER NOT NULL,
    heads  BLOB NOT NULL
);

-- Per document and other device: the last of its blobs applied here.
CREATE TABLE sync_cursor (
    doc_id BLOB NOT NULL,
    device BLOB NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (doc_id, device)
);

-- Received changes that wait for changes they depend on (from a device whose blob has not come yet).
CREATE TABLE sync_pending (
    doc_id BLOB NOT NULL,
    n      INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (doc_id, n)
);

-- Documents changed on this device since their last blob was sealed (marked with the change itself).
-- Every document a store held before sync existed has yet to be sent once.
CREATE TABLE sync_dirty (
    doc_id BLOB PRIMARY KEY NOT NULL
);
INSERT INTO sync_dirty (doc_id) SELECT DISTINCT doc_id FROM doc_chunk;

-- How far this device has read the relay's team log (the relay numbers every blob it keeps).
CREATE TABLE sync_relay (
    team   BLOB PRIMARY KEY NOT NULL,
    cursor INTEGER NOT NULL
);
