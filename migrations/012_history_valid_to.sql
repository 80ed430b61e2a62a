-- The state of the parcels at a past date (parcels_at) takes from parcel_history the states that
-- still held then: valid_to after the date. Without an index on valid_to every as-of query read
-- the whole history (measured: the monitoring report's past date at about twice today's cost).
CREATE INDEX parcel_history_valid_to_idx ON parcel_history (valid_to);
