-- Safe publishing (issue 12): every publication can be reverted, and a revert, an edit in the
-- browser and a confirmation are uploads of their own kind, so the parcels' history names each
-- by whom and when; and each district has a contact for investors.

ALTER TABLE uploads
    -- file: a district's file; revert: undoes the upload in reverts; edit: a change made in the
    -- browser; confirm: parcels confirmed as still current.
    ADD COLUMN kind        text NOT NULL DEFAULT 'file' CHECK (kind IN ('file', 'revert', 'edit', 'confirm')),
    ADD COLUMN reverts     bigint REFERENCES uploads (id),
    ADD COLUMN reverted_by bigint REFERENCES uploads (id),
    -- "Datei ist aktueller Stand": the parcels the file leaves unchanged count as confirmed.
    ADD COLUMN confirms_unchanged boolean NOT NULL DEFAULT false,
    -- An edit of one parcel names it and the state (valid_from) the editor started from: applying
    -- is refused when the parcel changed since, so a concurrent change is never overwritten.
    ADD COLUMN edit_parcel bigint REFERENCES parcels (id),
    ADD COLUMN edit_base   timestamptz,
    ADD CHECK ((kind = 'revert') = (reverts IS NOT NULL));
CREATE UNIQUE INDEX uploads_reverts_idx ON uploads (reverts) WHERE reverts IS NOT NULL;

-- An issue can carry the value that fixes it (the CRS the coordinates fit), for a one-click choice.
ALTER TABLE upload_issues ADD COLUMN suggest text;

-- A revert finds the versions an upload made.
CREATE INDEX parcels_upload_idx ON parcels (upload_id);
CREATE INDEX parcel_history_upload_idx ON parcel_history (upload_id);

-- district_contacts is whom investors reach for a district's parcels when a parcel names nobody.
CREATE TABLE district_contacts (
    district_ags char(5) PRIMARY KEY REFERENCES districts (ags),
    office       text,
    name         text,
    email        text,
    phone        text,
    web          text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL
);
