-- An English description of a parcel, where the district gives one (issue 16): the public fact
-- sheet shows it in English mode and says "only in German" otherwise. parcel_history and the
-- parcel_versions view follow through sync_parcel_history(); parcels_at() returns the view's rows,
-- so it is made anew around it, as it was.
ALTER TABLE parcels ADD COLUMN description_en text;
DROP FUNCTION parcels_at(timestamptz);
SELECT sync_parcel_history();
CREATE FUNCTION parcels_at(t timestamptz) RETURNS SETOF parcel_versions
LANGUAGE sql STABLE AS $$
    SELECT * FROM parcel_versions v
    WHERE v.valid_from <= t AND (v.valid_to IS NULL OR v.valid_to > t) AND (v.ended_at IS NULL OR v.ended_at > t)
$$;
