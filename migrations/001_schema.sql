-- landatlas schema. All stored geometry is EPSG:25832 (ETRS89 / UTM 32N), one metric CRS for the
-- whole region, so areas and distances are computed on the stored geometry directly.

CREATE EXTENSION IF NOT EXISTS postgis;
-- unaccent backs CQL2 ACCENTI (accent-insensitive comparison: "Zörbig" = "Zorbig").
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Code lists (domain.md "Data model in practice"). The Go package internal/parcel carries the same
-- codes with their German and English labels; a test keeps the two in step.
CREATE TYPE use_type AS ENUM ('GE', 'GI', 'SO', 'MI', 'GEe', 'GIe');
CREATE TYPE planning_status AS ENUM ('in_force', 'in_preparation', 'built_up_area', 'land_use_plan', 'none');
CREATE TYPE availability AS ENUM ('now', 'short_term', 'medium_term', 'long_term', 'not_available');
CREATE TYPE parcel_status AS ENUM ('offered', 'reserved', 'sold', 'company_held', 'withdrawn');
CREATE TYPE potential_kind AS ENUM ('infill_gap', 'brownfield', 'conversion', 'reserve_bplan', 'reserve_fnp', 'no_planning_rights');
CREATE TYPE ownership AS ENUM ('municipal', 'land', 'federal', 'development_company', 'private', 'mixed', 'unknown');
CREATE TYPE owner_willing AS ENUM ('yes', 'no', 'unknown');
CREATE TYPE serviced_state AS ENUM ('full', 'partial', 'none');
CREATE TYPE publication AS ENUM ('public', 'internal');
CREATE TYPE infrastructure_kind AS ENUM ('motorway_junction', 'rail_freight_terminal', 'rail_station', 'airport', 'inland_port');
CREATE TYPE constraint_kind AS ENUM ('contamination', 'ordnance', 'flood_hq100', 'flood_hqextreme', 'nature_nsg', 'nature_ffh',
    'nature_spa', 'nature_lsg', 'water_protection', 'mining', 'noise', 'seveso', 'monument');
CREATE TYPE severity AS ENUM ('minor', 'severe');
CREATE TYPE account_role AS ENUM ('admin', 'planner', 'editor');

-- size_class maps an area in hectares to the study's size classes (by largest contiguous area).
CREATE FUNCTION size_class(ha double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN ha IS NULL THEN NULL
        WHEN ha < 0.5 THEN '<0.5'
        WHEN ha < 1 THEN '0.5-1'
        WHEN ha < 5 THEN '1-5'
        WHEN ha < 10 THEN '5-10'
        WHEN ha < 20 THEN '10-20'
        WHEN ha < 50 THEN '20-50'
        WHEN ha < 100 THEN '50-100'
        ELSE '>=100'
    END
$$;

-- largest_part_ha is the area of the largest polygon of a (multi)polygon: the "largest contiguous area".
CREATE FUNCTION largest_part_ha(g geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT max(ST_Area(d.geom)) / 10000 FROM ST_Dump(g) AS d
$$;

CREATE TABLE districts (
    ags         char(5) PRIMARY KEY CHECK (ags ~ '^[0-9]{5}$'),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('Kreisfreie Stadt', 'Landkreis')),
    land        text NOT NULL CHECK (land IN ('Sachsen', 'Sachsen-Anhalt', 'Thüringen')),
    usual_srid  integer NOT NULL,
    geom        geometry(MultiPolygon, 25832) NOT NULL,
    area_km2    double precision GENERATED ALWAYS AS (ST_Area(geom) / 1e6) STORED
);
CREATE INDEX districts_geom_idx ON districts USING gist (geom);

CREATE TABLE municipalities (
    ags          char(8) PRIMARY KEY CHECK (ags ~ '^[0-9]{8}$'),
    name         text NOT NULL,
    kind         text NOT NULL,
    district_ags char(5) NOT NULL REFERENCES districts (ags),
    geom         geometry(MultiPolygon, 25832) NOT NULL,
    CHECK (left(ags, 5) = district_ags)
);
CREATE INDEX municipalities_geom_idx ON municipalities USING gist (geom);
CREATE INDEX municipalities_district_idx ON municipalities (district_ags);

CREATE TABLE accounts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label        text NOT NULL,
    role         account_role NOT NULL,
    district_ags char(5) REFERENCES districts (ags),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz,
    CHECK ((role = 'editor') = (district_ags IS NOT NULL))
);

CREATE TABLE uploads (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_ags char(5) NOT NULL REFERENCES districts (ags),
    account_id   bigint REFERENCES accounts (id),
    mode         text NOT NULL CHECK (mode IN ('replace', 'upsert')),
    filename     text NOT NULL,
    status       text NOT NULL DEFAULT 'received',
    progress     jsonb NOT NULL DEFAULT '{}',
    report       jsonb,
    preview      jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    applied_at   timestamptz
);

CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    account_id bigint REFERENCES accounts (id),
    action     text NOT NULL,
    subject    text,
    detail     jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- A site (Standort) is a business park or coherent area; parcels (Flächen) subdivide it.
CREATE TABLE sites (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_ags     char(5) NOT NULL REFERENCES districts (ags),
    municipality_ags char(8) REFERENCES municipalities (ags),
    external_id      text NOT NULL,
    name             text NOT NULL,
    description      text,
    strategic_reserve boolean NOT NULL DEFAULT false,
    publication      publication NOT NULL DEFAULT 'internal',
    source           text NOT NULL,
    geom             geometry(MultiPolygon, 25832) NOT NULL,
    gross_area_ha    double precision GENERATED ALWAYS AS (ST_Area(geom) / 10000) STORED,
    valid_from       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    UNIQUE (district_ags, external_id)
);
CREATE INDEX sites_geom_idx ON sites USING gist (geom);

-- parcels holds the current state of every parcel ever recorded; ended parcels keep their row with
-- ended_at set. Every earlier state is in parcel_history (filled by a trigger), so the state at any
-- time is parcels_at(t).
CREATE TABLE parcels (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_ags       char(5) NOT NULL REFERENCES districts (ags),
    external_id        text NOT NULL,
    municipality_ags   char(8) NOT NULL REFERENCES municipalities (ags),
    site_id            bigint REFERENCES sites (id),
    name               text NOT NULL,
    use_type           use_type NOT NULL,
    planning_status    planning_status NOT NULL,
    availability       availability NOT NULL,
    available_from     date,
    status             parcel_status NOT NULL,
    potential_kind     potential_kind NOT NULL,
    greenfield         boolean NOT NULL,
    ownership          ownership NOT NULL DEFAULT 'unknown',
    owner_willing      owner_willing NOT NULL DEFAULT 'unknown',
    price_min_eur_m2   numeric(8, 2) CHECK (price_min_eur_m2 >= 0),
    price_max_eur_m2   numeric(8, 2) CHECK (price_max_eur_m2 >= price_min_eur_m2),
    serviced           serviced_state NOT NULL DEFAULT 'none',
    power_mw           numeric(8, 2) CHECK (power_mw >= 0),
    gas                boolean NOT NULL DEFAULT false,
    hydrogen           boolean NOT NULL DEFAULT false,
    water              boolean NOT NULL DEFAULT false,
    process_water      boolean NOT NULL DEFAULT false,
    waste_water        boolean NOT NULL DEFAULT false,
    district_heat      boolean NOT NULL DEFAULT false,
    broadband_mbps     integer CHECK (broadband_mbps >= 0),
    rail_siding        boolean NOT NULL DEFAULT false,
    grz                numeric(4, 2) CHECK (grz > 0 AND grz <= 1),
    gfz                numeric(5, 2) CHECK (gfz > 0 AND gfz <= 20),
    bmz                numeric(5, 2) CHECK (bmz > 0 AND bmz <= 30),
    max_height_m       numeric(6, 1) CHECK (max_height_m > 0),
    noise_day_db       numeric(4, 1),
    noise_night_db     numeric(4, 1),
    description        text,
    remarks            text,
    contact_name       text,
    contact_email      text,
    contact_phone      text,
    expose_url         text,
    publication        publication NOT NULL DEFAULT 'internal',
    source             text NOT NULL,
    last_confirmed     date,
    geom               geometry(MultiPolygon, 25832) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
    net_area_given_ha  double precision CHECK (net_area_given_ha > 0),
    gross_area_ha      double precision GENERATED ALWAYS AS (ST_Area(geom) / 10000) STORED,
    -- Net area where the district gave none: 0.65 x gross, inside domain.md's 0.60-0.68 band.
    net_area_ha        double precision GENERATED ALWAYS AS (coalesce(net_area_given_ha, 0.65 * ST_Area(geom) / 10000)) STORED,
    net_area_estimated boolean GENERATED ALWAYS AS (net_area_given_ha IS NULL) STORED,
    size_class         text GENERATED ALWAYS AS (size_class(largest_part_ha(geom))) STORED,
    -- Distances (metres) to the nearest infrastructure of each kind: derived, kept current by triggers.
    dist_motorway_m    double precision,
    dist_rail_terminal_m double precision,
    dist_airport_m     double precision,
    dist_port_m        double precision,
    -- Version bookkeeping: who made this state, when, through which upload.
    valid_from         timestamptz NOT NULL DEFAULT now(),
    ended_at           timestamptz,
    changed_by         text NOT NULL DEFAULT 'system',
    upload_id          bigint REFERENCES uploads (id),
    UNIQUE (district_ags, external_id),
    CHECK (left(municipality_ags, 5) = district_ags),
    CHECK (ended_at IS NULL OR ended_at >= valid_from)
);
CREATE INDEX parcels_geom_idx ON parcels USING gist (geom);
CREATE INDEX parcels_current_geom_idx ON parcels USING gist (geom) WHERE ended_at IS NULL;
CREATE INDEX parcels_municipality_idx ON parcels (municipality_ags);
CREATE INDEX parcels_site_idx ON parcels (site_id);
CREATE INDEX parcels_status_idx ON parcels (status, availability);
CREATE INDEX parcels_use_type_idx ON parcels (use_type, planning_status);
CREATE INDEX parcels_net_area_idx ON parcels (net_area_ha);

-- parcel_history holds every earlier state of a parcel: valid from valid_from until valid_to. It has the
-- columns of parcels (generated ones as plain values of their time); sync_parcel_history() adds any
-- column a later migration gives parcels and rebuilds the parcel_versions view over both.
CREATE TABLE parcel_history (LIKE parcels INCLUDING DEFAULTS);
ALTER TABLE parcel_history
    ADD COLUMN valid_to timestamptz NOT NULL,
    ADD COLUMN history_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    ADD CHECK (valid_to >= valid_from);
CREATE INDEX parcel_history_parcel_idx ON parcel_history (id, valid_from);
CREATE INDEX parcel_history_time_idx ON parcel_history (valid_from, valid_to);
CREATE INDEX parcel_history_geom_idx ON parcel_history USING gist (geom);

CREATE FUNCTION sync_parcel_history() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    col record;
    cols text;
BEGIN
    FOR col IN
        SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
        FROM pg_attribute a
        WHERE a.attrelid = 'parcels'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT EXISTS (SELECT 1 FROM pg_attribute h WHERE h.attrelid = 'parcel_history'::regclass
                          AND h.attname = a.attname AND NOT h.attisdropped)
    LOOP
        EXECUTE format('ALTER TABLE parcel_history ADD COLUMN %I %s', col.attname, col.type);
    END LOOP;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
    FROM pg_attribute WHERE attrelid = 'parcels'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE 'DROP VIEW IF EXISTS parcel_versions';
    -- parcel_versions: every state of every parcel; the current one has valid_to NULL.
    EXECUTE format('CREATE VIEW parcel_versions AS SELECT %s, NULL::timestamptz AS valid_to FROM parcels '
        'UNION ALL SELECT %s, valid_to FROM parcel_history', cols, cols);
END
$$;
SELECT sync_parcel_history();

-- A change to a parcel's content ends the old state into parcel_history. Columns that are derived or
-- bookkeeping do not count as content, so recomputing distances makes no new version. Generated
-- columns are left out too: a BEFORE trigger sees them not yet computed (their inputs are compared).
CREATE FUNCTION parcels_keep_history() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bookkeeping constant text[] := ARRAY['valid_from', 'changed_by', 'upload_id', 'dist_motorway_m',
        'dist_rail_terminal_m', 'dist_airport_m', 'dist_port_m',
        'gross_area_ha', 'net_area_ha', 'net_area_estimated', 'size_class'];
BEGIN
    IF NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'parcel %: a parcel id never changes', OLD.id;
    END IF;
    IF (to_jsonb(OLD) - bookkeeping) = (to_jsonb(NEW) - bookkeeping) THEN
        RETURN NEW;
    END IF;
    IF NEW.valid_from = OLD.valid_from THEN
        NEW.valid_from := now();
    END IF;
    IF NEW.valid_from < OLD.valid_from THEN
        RAISE EXCEPTION 'parcel %: a new state (from %) cannot start before the current one (from %)',
            OLD.id, NEW.valid_from, OLD.valid_from;
    END IF;
    INSERT INTO parcel_history
    SELECT * FROM jsonb_populate_record(NULL::parcel_history, to_jsonb(OLD) || jsonb_build_object(
        'valid_to', NEW.valid_from,
        'history_id', nextval(pg_get_serial_sequence('parcel_history', 'history_id'))));
    RETURN NEW;
END
$$;
CREATE TRIGGER parcels_keep_history BEFORE UPDATE ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_keep_history();

-- Records are ended, never deleted (domain.md): deleting a parcel or site is refused.
CREATE FUNCTION refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are never deleted: set ended_at to end a record', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER parcels_refuse_delete BEFORE DELETE ON parcels FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER parcel_history_refuse_delete BEFORE DELETE ON parcel_history FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER sites_refuse_delete BEFORE DELETE ON sites FOR EACH ROW EXECUTE FUNCTION refuse_delete();

-- parcels_at returns the state of all parcels at time t, from the current rows and the history.
CREATE FUNCTION parcels_at(t timestamptz) RETURNS SETOF parcel_versions
LANGUAGE sql STABLE AS $$
    SELECT * FROM parcel_versions v
    WHERE v.valid_from <= t AND (v.valid_to IS NULL OR v.valid_to > t) AND (v.ended_at IS NULL OR v.ended_at > t)
$$;

CREATE TABLE infrastructure (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind   infrastructure_kind NOT NULL,
    name   text NOT NULL,
    ref    text,
    source text NOT NULL,
    geom   geometry(Geometry, 25832) NOT NULL CHECK (GeometryType(geom) IN ('POINT', 'LINESTRING', 'MULTILINESTRING')),
    UNIQUE (kind, name)
);
CREATE INDEX infrastructure_geom_idx ON infrastructure USING gist (geom);
CREATE INDEX infrastructure_kind_idx ON infrastructure (kind);

CREATE TABLE constraint_areas (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind      constraint_kind NOT NULL,
    severity  severity NOT NULL,
    name      text NOT NULL,
    source    text NOT NULL,
    synthetic boolean NOT NULL DEFAULT false,
    geom      geometry(MultiPolygon, 25832) NOT NULL
);
CREATE INDEX constraint_areas_geom_idx ON constraint_areas USING gist (geom);

-- nearest_distance is the distance in metres from g to the nearest infrastructure of a kind (NULL if none).
CREATE FUNCTION nearest_distance(g geometry, k infrastructure_kind) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ST_Distance(i.geom, g) FROM infrastructure i WHERE i.kind = k ORDER BY i.geom <-> g LIMIT 1
$$;

CREATE FUNCTION parcels_set_distances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NOT ST_Equals(NEW.geom, OLD.geom) OR NEW.dist_motorway_m IS NULL THEN
        NEW.dist_motorway_m := nearest_distance(NEW.geom, 'motorway_junction');
        NEW.dist_rail_terminal_m := nearest_distance(NEW.geom, 'rail_freight_terminal');
        NEW.dist_airport_m := nearest_distance(NEW.geom, 'airport');
        NEW.dist_port_m := nearest_distance(NEW.geom, 'inland_port');
    END IF;
    RETURN NEW;
END
$$;
-- Named to run before parcels_keep_history (triggers fire in name order).
CREATE TRIGGER parcels_a_set_distances BEFORE INSERT OR UPDATE OF geom ON parcels
    FOR EACH ROW EXECUTE FUNCTION parcels_set_distances();

-- refresh_parcel_distances recomputes every current parcel's distances after infrastructure changed.
-- The transition table tells whether any row changed: a no-op upsert must not touch a million parcels.
CREATE FUNCTION refresh_parcel_distances() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM changed) THEN
        RETURN NULL;
    END IF;
    UPDATE parcels SET
        dist_motorway_m = nearest_distance(geom, 'motorway_junction'),
        dist_rail_terminal_m = nearest_distance(geom, 'rail_freight_terminal'),
        dist_airport_m = nearest_distance(geom, 'airport'),
        dist_port_m = nearest_distance(geom, 'inland_port')
    WHERE ended_at IS NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER infrastructure_inserted_refresh_distances AFTER INSERT ON infrastructure
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refresh_parcel_distances();
CREATE TRIGGER infrastructure_updated_refresh_distances AFTER UPDATE ON infrastructure
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refresh_parcel_distances();
CREATE TRIGGER infrastructure_deleted_refresh_distances AFTER DELETE ON infrastructure
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION refresh_parcel_distances();

-- collection_versions counts changes per published collection, for caches and ETags: any write,
-- through landatlas or by direct SQL, moves the version on.
CREATE TABLE collection_versions (
    collection text PRIMARY KEY,
    version    bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO collection_versions (collection)
VALUES ('parcels'), ('sites'), ('districts'), ('municipalities'), ('infrastructure'), ('constraints');

CREATE FUNCTION bump_collection_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c text;
BEGIN
    FOREACH c IN ARRAY TG_ARGV LOOP
        UPDATE collection_versions SET version = version + 1, changed_at = now() WHERE collection = c;
    END LOOP;
    PERFORM pg_notify('landatlas_collection_changed', array_to_string(TG_ARGV, ','));
    RETURN NULL;
END
$$;
-- Parcels feed the site layer's figures, so a parcel change moves both versions.
CREATE TRIGGER parcels_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcels
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('parcels', 'sites');
CREATE TRIGGER sites_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('sites', 'parcels');
CREATE TRIGGER districts_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('districts');
CREATE TRIGGER municipalities_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON municipalities
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('municipalities');
CREATE TRIGGER infrastructure_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON infrastructure
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('infrastructure', 'parcels');
CREATE TRIGGER constraint_areas_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON constraint_areas
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('constraints');
