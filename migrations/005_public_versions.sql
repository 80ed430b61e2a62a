-- collection_versions.public_version counts only the changes the public can see, so that ETags,
-- cache keys and data versions shown to anonymous readers do not tell them that something
-- internal changed. version still moves with every write (signed-in readers, invalidation).
-- The triggers of 001 keep their names; bump_collection_version moves public_version too, except
-- for the statements on parcels and sites, whose own triggers below move it only when a public
-- row is written (before or after the change).
ALTER TABLE collection_versions ADD COLUMN public_version bigint NOT NULL DEFAULT 1;
UPDATE collection_versions SET public_version = version;

CREATE OR REPLACE FUNCTION bump_collection_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c text;
    public_too boolean := TG_TABLE_NAME NOT IN ('parcels', 'sites') OR TG_OP = 'TRUNCATE';
BEGIN
    FOREACH c IN ARRAY TG_ARGV LOOP
        UPDATE collection_versions
        SET version = version + 1, public_version = public_version + CASE WHEN public_too THEN 1 ELSE 0 END, changed_at = now()
        WHERE collection = c;
    END LOOP;
    PERFORM pg_notify('landatlas_collection_changed', array_to_string(TG_ARGV, ','));
    RETURN NULL;
END
$$;

CREATE FUNCTION bump_public_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    c text;
    seen boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        seen := EXISTS (SELECT 1 FROM new_rows WHERE publication = 'public');
    ELSIF TG_OP = 'DELETE' THEN
        seen := EXISTS (SELECT 1 FROM old_rows WHERE publication = 'public');
    ELSE
        seen := EXISTS (SELECT 1 FROM old_rows WHERE publication = 'public')
             OR EXISTS (SELECT 1 FROM new_rows WHERE publication = 'public');
    END IF;
    IF seen THEN
        FOREACH c IN ARRAY TG_ARGV LOOP
            UPDATE collection_versions SET public_version = public_version + 1 WHERE collection = c;
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

-- A public parcel feeds the public site figures; a public site's name shows on its parcels.
CREATE TRIGGER parcels_bump_public_version_insert AFTER INSERT ON parcels
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('parcels', 'sites');
CREATE TRIGGER parcels_bump_public_version_update AFTER UPDATE ON parcels
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('parcels', 'sites');
CREATE TRIGGER parcels_bump_public_version_delete AFTER DELETE ON parcels
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('parcels', 'sites');
CREATE TRIGGER sites_bump_public_version_insert AFTER INSERT ON sites
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('sites', 'parcels');
CREATE TRIGGER sites_bump_public_version_update AFTER UPDATE ON sites
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('sites', 'parcels');
CREATE TRIGGER sites_bump_public_version_delete AFTER DELETE ON sites
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bump_public_version('sites', 'parcels');
