-- 24-hour operation allowed (issue 11): whether a parcel's plan allows operation around the clock,
-- one of the location shares the Hamburg and Ruhr monitoring reports carry. Unknown counts as not
-- allowed, as for the utilities.
ALTER TABLE parcels ADD COLUMN operation_24h boolean NOT NULL DEFAULT false;

-- Earlier states did not record it: they read as not allowed, like the current rows did.
ALTER TABLE parcel_history ADD COLUMN operation_24h boolean NOT NULL DEFAULT false;

-- parcel_versions is rebuilt over the new column; parcels_at returns its rows, so it is dropped
-- first and made again as in 001.
DROP FUNCTION parcels_at(timestamptz);
SELECT sync_parcel_history();
CREATE FUNCTION parcels_at(t timestamptz) RETURNS SETOF parcel_versions
LANGUAGE sql STABLE AS $$
    SELECT * FROM parcel_versions v
    WHERE v.valid_from <= t AND (v.valid_to IS NULL OR v.valid_to > t) AND (v.ended_at IS NULL OR v.ended_at > t)
$$;
