-- The rate limit of public enquiries, shared by every server instance on the database (issue 14,
-- several instances: issue 17). A row counts the requests of one client address in one window;
-- its key is a hash of a secret, the window and the address, so the table never holds an address
-- and rows of different windows cannot be linked to each other. Expired windows are deleted by
-- the hourly housekeeping.
CREATE TABLE enquiry_rate (
    key        bytea PRIMARY KEY,
    window_end timestamptz NOT NULL,
    requests   integer NOT NULL CHECK (requests > 0)
);
CREATE INDEX enquiry_rate_window_end_idx ON enquiry_rate (window_end);

-- enquiry_rate_secret is the one secret of the hash, made here so every instance uses the same
-- one without configuration; without it an IPv4 address could be found from its hash by trying
-- all 2^32.
CREATE TABLE enquiry_rate_secret (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    secret text NOT NULL
);
INSERT INTO enquiry_rate_secret (secret) VALUES (gen_random_uuid()::text || gen_random_uuid()::text);
