-- The monitoring cycle (issue 13): campaigns in which every district confirms or updates its
-- parcels for a reference date (Stichtag), and whose closing freezes the official state as a
-- study run; and the settings of freshness.

-- campaigns: one open at a time. Closing stores the official snapshot (a study run), the progress
-- of every district at that moment and the districts still open; a closed campaign never changes.
CREATE TABLE campaigns (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          text NOT NULL CHECK (title <> ''),
    reference_date date NOT NULL,
    deadline       date NOT NULL,
    opened_at      timestamptz NOT NULL DEFAULT now(),
    opened_by      bigint REFERENCES accounts (id),
    closed_at      timestamptz,
    closed_by      bigint REFERENCES accounts (id),
    run_id         bigint REFERENCES study_runs (id),
    progress       jsonb,
    CHECK (deadline >= reference_date),
    CHECK ((closed_at IS NULL) = (run_id IS NULL) AND (closed_at IS NULL) = (progress IS NULL))
);
CREATE UNIQUE INDEX campaigns_one_open_idx ON campaigns ((true)) WHERE closed_at IS NULL;
CREATE TRIGGER campaigns_refuse_delete BEFORE DELETE ON campaigns FOR EACH ROW EXECUTE FUNCTION refuse_delete();

-- A closed campaign and its official study run are immutable: the official state stays as frozen.
CREATE FUNCTION campaigns_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'campaigns' AND OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'campaign %: a closed campaign is the official state and never changes', OLD.id;
    END IF;
    IF TG_TABLE_NAME = 'study_runs' AND EXISTS (SELECT 1 FROM campaigns WHERE run_id = OLD.id) THEN
        RAISE EXCEPTION 'study run %: it is the official state of a campaign and never changes', OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER campaigns_frozen BEFORE UPDATE ON campaigns FOR EACH ROW EXECUTE FUNCTION campaigns_frozen();
CREATE TRIGGER study_runs_official_frozen BEFORE UPDATE OR DELETE ON study_runs FOR EACH ROW EXECUTE FUNCTION campaigns_frozen();

-- Campaign progress compares each parcel with its state when the campaign opened, and counts the
-- parcels an applied upload of the district carried.
CREATE INDEX parcels_district_current_idx ON parcels (district_ags) WHERE ended_at IS NULL;
CREATE INDEX uploads_applied_idx ON uploads (district_ags, applied_at) WHERE status = 'applied';

-- monitoring_settings is one row: fresh_months is how recent a confirmation must be for a parcel
-- to count as fresh.
CREATE TABLE monitoring_settings (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    fresh_months integer NOT NULL DEFAULT 12 CHECK (fresh_months BETWEEN 1 AND 120)
);
INSERT INTO monitoring_settings DEFAULT VALUES;

-- public_max_age_months hides from the public the parcels whose last confirmation is older (never
-- confirmed counts as older); NULL, the default, hides none. public_confirmed_since is the oldest
-- confirmation shown; the catalog's public visibility rule compares with it once per query.
ALTER TABLE monitoring_settings ADD COLUMN public_max_age_months integer CHECK (public_max_age_months BETWEEN 1 AND 120);
CREATE FUNCTION public_confirmed_since() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(((now() AT TIME ZONE 'Europe/Berlin')::date - make_interval(months => public_max_age_months))::date, '-infinity'::date)
    FROM monitoring_settings
$$;
-- A new setting changes what the public sees: its caches and ETags must move.
CREATE TRIGGER monitoring_settings_bump_version AFTER UPDATE ON monitoring_settings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_collection_version('parcels', 'sites');

-- The constraint overlay keeps its history, so that the monitoring can say which restrictions were
-- added or removed between two reference dates: each overlay row records since when it holds, and
-- a row that is replaced or removed moves to parcel_constraint_history with the time it ended.
-- Rows older than this migration, and a new parcel's first overlay, hold since ever (a parcel loaded
-- with its past states had its restrictions then too); a change of a constraint layer or of a
-- parcel's geometry holds from the time it was made.
ALTER TABLE parcel_constraints ADD COLUMN valid_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE parcel_constraints ALTER COLUMN valid_from SET DEFAULT now();
CREATE TABLE parcel_constraint_history (
    parcel_id  bigint NOT NULL REFERENCES parcels (id),
    kind       constraint_kind NOT NULL,
    severity   severity NOT NULL,
    area_ha    double precision NOT NULL,
    share      double precision NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz NOT NULL,
    CHECK (valid_to > valid_from)
);
CREATE INDEX parcel_constraint_history_idx ON parcel_constraint_history (parcel_id, valid_to);
CREATE TRIGGER parcel_constraint_history_refuse_delete BEFORE DELETE ON parcel_constraint_history FOR EACH ROW EXECUTE FUNCTION refuse_delete();

CREATE FUNCTION parcel_constraints_keep_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO parcel_constraint_history (parcel_id, kind, severity, area_ha, share, valid_from, valid_to)
    SELECT parcel_id, kind, severity, area_ha, share, valid_from, now() FROM gone WHERE valid_from < now();
    RETURN NULL;
END
$$;
CREATE TRIGGER parcel_constraints_keep_history AFTER DELETE ON parcel_constraints
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION parcel_constraints_keep_history();

CREATE OR REPLACE FUNCTION parcels_inserted_refresh_constraints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_parcel_constraints(ARRAY(SELECT id FROM inserted));
    UPDATE parcel_constraints SET valid_from = '-infinity' WHERE parcel_id IN (SELECT id FROM inserted);
    RETURN NULL;
END
$$;

-- parcel_constraints_at is the overlay as it was at a time.
CREATE FUNCTION parcel_constraints_at(at timestamptz)
RETURNS TABLE (parcel_id bigint, kind constraint_kind, severity severity, area_ha double precision, share double precision)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT parcel_id, kind, severity, area_ha, share FROM parcel_constraints WHERE valid_from <= at
    UNION ALL
    SELECT parcel_id, kind, severity, area_ha, share FROM parcel_constraint_history WHERE valid_from <= at AND valid_to > at
$$;
