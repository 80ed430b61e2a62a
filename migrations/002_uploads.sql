-- District uploads (issue 5): what an upload was read as, its staged features, its validation
-- issues and the parcels it would end, plus each district's saved attribute mapping.
-- Staged rows are keyed by upload id: reading and checking a file never touches parcels, and
-- applying one is a single transaction that reads them.

ALTER TABLE uploads
    ADD COLUMN changed_by   text NOT NULL DEFAULT 'system',
    ADD COLUMN format       text,
    ADD COLUMN crs_param    integer,
    ADD COLUMN layer        text,
    ADD COLUMN mapping      jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN message      text,
    -- fingerprint of the district's parcels when the preview was made; apply compares it.
    ADD COLUMN fingerprint  text,
    ADD COLUMN previewed_at timestamptz,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT uploads_status_check
        CHECK (status IN ('received', 'reading', 'checking', 'ready', 'invalid', 'failed', 'applied'));
CREATE INDEX uploads_district_idx ON uploads (district_ags, id DESC);

-- A district's own column names, code values and defaults (upload.Mapping as JSON).
CREATE TABLE district_mappings (
    district_ags char(5) PRIMARY KEY REFERENCES districts (ags),
    mapping      jsonb NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text NOT NULL
);

-- upload_features holds an upload's features as read: canonical attributes and the geometry in
-- the file's CRS, then (after the checks) in EPSG:25832, and (after the preview) what applying
-- would do with each.
CREATE TABLE upload_features (
    upload_id        bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    idx              integer NOT NULL,           -- 1-based position in the file
    external_id      text,
    attrs            jsonb NOT NULL,             -- fields the feature carries, named as parcels' columns
    fallback         jsonb,                      -- derived values for a new parcel (name, greenfield)
    raw_wkb          bytea,                      -- polygons as read, in the file's CRS
    geom             geometry(MultiPolygon, 25832),
    municipality_ags char(8),
    action           text CHECK (action IN ('new', 'changed', 'unchanged')),
    parcel_id        bigint,
    changes          jsonb,                      -- field -> [old, new] for a changed parcel
    PRIMARY KEY (upload_id, idx)
);
CREATE INDEX upload_features_geom_idx ON upload_features USING gist (geom);
CREATE INDEX upload_features_external_idx ON upload_features (upload_id, external_id);

CREATE TABLE upload_issues (
    upload_id   bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    feature     integer NOT NULL,                -- 0: the file as a whole
    external_id text,
    field       text,
    severity    text NOT NULL CHECK (severity IN ('error', 'warning')),
    rule        text NOT NULL,
    de          text NOT NULL,
    en          text NOT NULL,
    stage       text NOT NULL CHECK (stage IN ('read', 'geometry', 'overlap'))  -- which step found it
);
CREATE INDEX upload_issues_upload_idx ON upload_issues (upload_id, feature);

-- upload_endings lists the current parcels a replace upload would end.
CREATE TABLE upload_endings (
    upload_id bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    parcel_id bigint NOT NULL REFERENCES parcels (id),
    PRIMARY KEY (upload_id, parcel_id)
);

-- district_fingerprint changes whenever the content of any parcel of the district changes: a
-- content change moves valid_from (trigger parcels_keep_history), ending sets ended_at and a new
-- parcel adds an id. Bookkeeping (distances, changed_by) does not count, as in the history.
CREATE FUNCTION district_fingerprint(ags char(5)) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT md5(coalesce(string_agg(p.id::text || '/' || p.valid_from::text || '/' || coalesce(p.ended_at::text, ''),
                                   ',' ORDER BY p.id), ''))
    FROM parcels p WHERE p.district_ags = ags
$$;

-- Faster distances on insert. 001's nearest_distance is a SQL function called from the trigger
-- per row and per kind: it was planned anew on each call, and its nearest-neighbour scan with a
-- kind filter walked most of the infrastructure index (about 700 µs a row, two minutes for the
-- 100,000 parcels of a large upload). The nearest of a kind is the minimum distance over the few
-- records of that kind, which the kind index finds directly; one statement in PL/pgSQL keeps its
-- plan for the session. The values are the same.
CREATE OR REPLACE FUNCTION nearest_distance(g geometry, k infrastructure_kind) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT min(ST_Distance(i.geom, g)) FROM infrastructure i WHERE i.kind = k
$$;

CREATE OR REPLACE FUNCTION parcels_set_distances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NOT ST_Equals(NEW.geom, OLD.geom) OR NEW.dist_motorway_m IS NULL THEN
        SELECT min(ST_Distance(i.geom, NEW.geom)) FILTER (WHERE i.kind = 'motorway_junction'),
               min(ST_Distance(i.geom, NEW.geom)) FILTER (WHERE i.kind = 'rail_freight_terminal'),
               min(ST_Distance(i.geom, NEW.geom)) FILTER (WHERE i.kind = 'airport'),
               min(ST_Distance(i.geom, NEW.geom)) FILTER (WHERE i.kind = 'inland_port')
        INTO NEW.dist_motorway_m, NEW.dist_rail_terminal_m, NEW.dist_airport_m, NEW.dist_port_m
        FROM infrastructure i
        WHERE i.kind IN ('motorway_junction', 'rail_freight_terminal', 'airport', 'inland_port');
    END IF;
    RETURN NEW;
END
$$;
