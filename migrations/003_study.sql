-- Potential study (issue 6): the constraint overlay of the parcels, kept current by triggers; the
-- stored study runs; and the indexes the study's queries need.

-- parcel_constraints holds, for each parcel and each constraint kind and severity, how much of the
-- parcel lies in constraint areas of that kind: area_ha, and share of the parcel's area. Areas of one
-- kind that overlap each other count once. It follows the parcel's current geometry and the current
-- constraint layers (which have no history); ended parcels keep their rows.
CREATE TABLE parcel_constraints (
    parcel_id bigint NOT NULL REFERENCES parcels (id),
    kind      constraint_kind NOT NULL,
    severity  severity NOT NULL,
    area_ha   double precision NOT NULL CHECK (area_ha > 0),
    share     double precision NOT NULL CHECK (share > 0 AND share <= 1),
    PRIMARY KEY (parcel_id, kind, severity)
);

-- refresh_parcel_constraints recomputes the overlay of the given parcels. Each constraint area is
-- cut to the parcel before the pieces are unioned, so a large protected area costs no more than a
-- small one. Slivers under 1 m² are digitising noise, not a constraint.
CREATE FUNCTION refresh_parcel_constraints(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM parcel_constraints WHERE parcel_id = ANY (ids);
    INSERT INTO parcel_constraints (parcel_id, kind, severity, area_ha, share)
    SELECT id, kind, severity, area / 10000, least(area / parcel_area, 1)
    FROM (
        SELECT p.id, c.kind, c.severity, ST_Area(p.geom) AS parcel_area,
               ST_Area(ST_Union(ST_Intersection(p.geom, c.geom))) AS area
        FROM parcels p
        JOIN constraint_areas c ON ST_Intersects(c.geom, p.geom)
        WHERE p.id = ANY (ids)
        GROUP BY p.id, p.geom, c.kind, c.severity
    ) overlay
    WHERE area >= 1;
$$;

-- Statement-level triggers with transition tables, so a bulk load (COPY of 100,000 parcels) makes
-- one set-based overlay query instead of one per row.
CREATE FUNCTION parcels_inserted_refresh_constraints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_parcel_constraints(ARRAY(SELECT id FROM inserted));
    RETURN NULL;
END
$$;
CREATE TRIGGER parcels_inserted_refresh_constraints AFTER INSERT ON parcels
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION parcels_inserted_refresh_constraints();

-- Only parcels whose geometry changed are recomputed: most updates change attributes or distances.
CREATE FUNCTION parcels_updated_refresh_constraints() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_parcel_constraints(ARRAY(
        SELECT n.id FROM updated_new n JOIN updated_old o ON o.id = n.id WHERE o.geom IS DISTINCT FROM n.geom));
    RETURN NULL;
END
$$;
CREATE TRIGGER parcels_updated_refresh_constraints AFTER UPDATE ON parcels
    REFERENCING OLD TABLE AS updated_old NEW TABLE AS updated_new
    FOR EACH STATEMENT EXECUTE FUNCTION parcels_updated_refresh_constraints();

-- A changed constraint layer recomputes the parcels under its old and its new areas.
CREATE FUNCTION constraint_areas_refresh_overlay() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        ids := ARRAY(SELECT DISTINCT p.id FROM parcels p
                     JOIN (SELECT geom FROM changed UNION ALL SELECT geom FROM changed_old) c ON ST_Intersects(p.geom, c.geom));
    ELSE
        ids := ARRAY(SELECT DISTINCT p.id FROM parcels p JOIN changed c ON ST_Intersects(p.geom, c.geom));
    END IF;
    PERFORM refresh_parcel_constraints(ids);
    RETURN NULL;
END
$$;
CREATE TRIGGER constraint_areas_inserted_refresh_overlay AFTER INSERT ON constraint_areas
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION constraint_areas_refresh_overlay();
CREATE TRIGGER constraint_areas_updated_refresh_overlay AFTER UPDATE ON constraint_areas
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION constraint_areas_refresh_overlay();
CREATE TRIGGER constraint_areas_deleted_refresh_overlay AFTER DELETE ON constraint_areas
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION constraint_areas_refresh_overlay();

CREATE FUNCTION constraint_areas_truncated_clear_overlay() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE parcel_constraints;
    RETURN NULL;
END
$$;
CREATE TRIGGER constraint_areas_truncated_clear_overlay AFTER TRUNCATE ON constraint_areas
    FOR EACH STATEMENT EXECUTE FUNCTION constraint_areas_truncated_clear_overlay();

-- Databases migrated with data get their overlay now.
SELECT refresh_parcel_constraints(ARRAY(SELECT id FROM parcels));

-- study_runs keeps each study run as it was computed: its parameters, the data version it saw (the
-- collection versions and the as_of time), the figures, and the ids of the parcels behind them, so
-- the run reads the same later whatever happened to the data since.
CREATE TABLE study_runs (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL,
    -- audience 'public' runs count public parcels only and may be read by anyone.
    audience   publication NOT NULL,
    account_id bigint REFERENCES accounts (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    as_of      timestamptz NOT NULL,
    params     jsonb NOT NULL,
    data_version jsonb NOT NULL,
    results    jsonb NOT NULL,
    parcel_ids bigint[] NOT NULL
);
CREATE INDEX study_runs_audience_idx ON study_runs (audience, id);

-- Take-up looks for states that became sold and the state before each: sold states by time, and
-- the earlier state by the time it ended.
CREATE INDEX parcel_history_sold_idx ON parcel_history (valid_from) WHERE status = 'sold';
CREATE INDEX parcels_sold_idx ON parcels (valid_from) WHERE status = 'sold';
CREATE INDEX parcel_history_parcel_end_idx ON parcel_history (id, valid_to);
