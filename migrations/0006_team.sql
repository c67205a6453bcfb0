-- This device's team: who it is, the team's keys, the team's devices, and what the team erased.
-- Secrets live here only, inside the encrypted store.

-- This device in its team (one row once it created or joined a team).
CREATE TABLE team_self (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    team       BLOB NOT NULL,
    device     BLOB NOT NULL,
    name       TEXT NOT NULL,
    relay      TEXT NOT NULL,
    token      TEXT NOT NULL,
    signing    BLOB NOT NULL,   -- Ed25519 seed: signs this device's blobs
    box_secret BLOB NOT NULL,   -- X25519 secret: opens the new team keys sealed for this device
    epoch      INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

-- The team key of every epoch this device knows (older ones open older blobs).
CREATE TABLE team_key (
    epoch INTEGER PRIMARY KEY,
    key   BLOB NOT NULL
);

-- The team's devices, as the team roster says.
CREATE TABLE team_member (
    device         BLOB PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    verifying      BLOB,        -- its Ed25519 public key; NULL while invited and not yet joined
    box_public     BLOB,        -- its X25519 public key
    invitation_key BLOB,        -- the key of its invitation: signs its first roster blob only
    revoked_at     INTEGER,     -- the team log position of its revocation: later blobs are refused
    actor          TEXT         -- its automerge actor (hex): names the device in a plan's history
);

-- Documents erased by the team: late blobs about them are passed over, never re-create them.
CREATE TABLE sync_erased (
    doc_id BLOB PRIMARY KEY NOT NULL
);

-- Erasures still to ask of the relay (it drops the document's blobs).
CREATE TABLE sync_erase_pending (
    doc_id BLOB PRIMARY KEY NOT NULL
);

-- The outcome of the last sync, for the sync status in words.
CREATE TABLE sync_status (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_try INTEGER,
    last_ok  INTEGER,
    problem  TEXT
);
