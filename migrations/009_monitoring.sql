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
