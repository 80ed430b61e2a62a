-- parcel_changes logs where each statement on parcels wrote, so that tile caches drop only the
-- tiles a write touched instead of every parcel tile (internal/tiles, reconcile.go). One row per
-- statement: the extent of its rows' old and new geometries in EPSG:25832 (NULL when it wrote no
-- row), whether a public row was among them (what moved the public versions), and the counters of
-- collection_versions right after the statement's own triggers moved them. The statement's
-- transaction holds the row locks of its counters until it commits, so each row's values of
-- 'parcels' and 'sites' are exactly those this statement moved them to; a cache that finds a step
-- of a counter without a row here (a write to another table, TRUNCATE, a pruned row) drops every
-- tile of the layer as before.
CREATE TABLE parcel_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    counters     jsonb NOT NULL, -- {"parcels": [version, public_version], ...}
    public_moved boolean NOT NULL,
    extent       box2d
);

CREATE FUNCTION log_parcel_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    e box2d;
    seen boolean;
    logged bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT ST_Extent(geom), coalesce(bool_or(publication = 'public'), false) INTO e, seen FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT ST_Extent(geom), coalesce(bool_or(publication = 'public'), false) INTO e, seen FROM old_rows;
    ELSE
        SELECT ST_Extent(geom), coalesce(bool_or(publication = 'public'), false) INTO e, seen
        FROM (SELECT geom, publication FROM old_rows UNION ALL SELECT geom, publication FROM new_rows) r;
    END IF;
    INSERT INTO parcel_changes (counters, public_moved, extent)
    SELECT jsonb_object_agg(collection, jsonb_build_array(version, public_version)), seen, e FROM collection_versions
    RETURNING id INTO logged;
    -- The log serves caches of recent versions: the last 10,000 statements are kept.
    DELETE FROM parcel_changes WHERE id <= logged - 10000;
    RETURN NULL;
END
$$;

-- Named to run after parcels_bump_version and parcels_bump_public_version_* (triggers of one event
-- fire in the order of their names), so that the counters are those after this statement.
CREATE TRIGGER parcels_zz_log_change_insert AFTER INSERT ON parcels
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_parcel_change();
CREATE TRIGGER parcels_zz_log_change_update AFTER UPDATE ON parcels
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_parcel_change();
CREATE TRIGGER parcels_zz_log_change_delete AFTER DELETE ON parcels
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_parcel_change();
