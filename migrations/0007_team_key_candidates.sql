-- Two laptops that revoke devices at the same time (neither has heard of the other's revocation)
-- each mint a team key of the same epoch. Both keys are kept, so that blobs sealed with either open,
-- and the devices each key was sealed for are recorded, so that a key that reached a device revoked
-- since is never used to seal again (a new key is minted instead).

CREATE TABLE team_key_v7 (
    epoch INTEGER NOT NULL,
    key   BLOB NOT NULL,
    PRIMARY KEY (epoch, key)
);
INSERT INTO team_key_v7 (epoch, key) SELECT epoch, key FROM team_key;
DROP TABLE team_key;
ALTER TABLE team_key_v7 RENAME TO team_key;

-- The devices a key of an epoch was sealed for, as the roster statements that minted it say (the
-- founding key of epoch 1 reached every device that ever joined).
CREATE TABLE team_key_reach (
    epoch  INTEGER NOT NULL,
    device BLOB NOT NULL,
    PRIMARY KEY (epoch, device)
);
