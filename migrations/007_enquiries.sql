-- The demand side (issue 14): investors' enquiries with their requirements and status pipeline,
-- the timeline of every change, shortlists, proposal links (only a hash of the token is stored)
-- and the outbox of notifications.

CREATE TYPE enquiry_status AS ENUM ('new', 'in_progress', 'offer_sent', 'site_visit', 'won', 'lost', 'withdrawn');

CREATE SEQUENCE enquiry_reference_seq;

-- enquiries holds one row per enquiry. The personal fields (company, contact_name, email, phone,
-- message) are erased, not the row, once the retention period after closing has passed: the
-- requirements and the outcome stay for the statistics.
CREATE TABLE enquiries (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference          text NOT NULL UNIQUE,
    received_at        timestamptz NOT NULL DEFAULT now(),
    channel            text NOT NULL CHECK (channel IN ('web', 'phone', 'email', 'fair', 'other')),
    lang               text NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en')),
    status             enquiry_status NOT NULL DEFAULT 'new',
    lost_reason        text,
    closed_at          timestamptz,
    assignee_id        bigint REFERENCES accounts (id),
    created_by         bigint REFERENCES accounts (id),
    -- Personal fields.
    company            text,
    contact_name       text,
    email              text,
    phone              text,
    message            text,
    consent_at         timestamptz,
    personal_erased_at timestamptz,
    -- Requirements.
    sector             text NOT NULL,
    use_types          text[] NOT NULL DEFAULT '{}',
    min_net_ha         double precision CHECK (min_net_ha >= 0),
    max_net_ha         double precision CHECK (max_net_ha >= min_net_ha),
    timing             text NOT NULL,
    jobs               integer CHECK (jobs >= 0),
    investment_meur    double precision CHECK (investment_meur >= 0),
    max_motorway_km    double precision CHECK (max_motorway_km > 0),
    rail_siding        boolean NOT NULL DEFAULT false,
    -- What it asked about, and the districts it is routed to.
    parcel_ids         bigint[] NOT NULL DEFAULT '{}',
    site_ids           bigint[] NOT NULL DEFAULT '{}',
    districts          text[] NOT NULL DEFAULT '{}',
    updated_at         timestamptz NOT NULL DEFAULT now(),
    reminded_at        timestamptz,
    CHECK ((status IN ('won', 'lost', 'withdrawn')) = (closed_at IS NOT NULL)),
    CHECK (status <> 'lost' OR lost_reason IS NOT NULL)
);
CREATE INDEX enquiries_received_idx ON enquiries (received_at);
CREATE INDEX enquiries_districts_idx ON enquiries USING gin (districts);
CREATE INDEX enquiries_email_idx ON enquiries (lower(email));

-- enquiry_events is the timeline of an enquiry: every change, note, shortlist edit, proposal and
-- view, with who did it. Notes keep their text in detail.
CREATE TABLE enquiry_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enquiry_id bigint NOT NULL REFERENCES enquiries (id),
    at         timestamptz NOT NULL DEFAULT now(),
    account_id bigint REFERENCES accounts (id),
    kind       text NOT NULL,
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX enquiry_events_enquiry_idx ON enquiry_events (enquiry_id, at);

-- shortlist_items are the parcels, sites and merged large sites (member_ids, the parcels a site
-- search merged) a planner proposes for an enquiry, in order. A removed item keeps its row with
-- removed_at set.
CREATE TABLE shortlist_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enquiry_id bigint NOT NULL REFERENCES enquiries (id),
    kind       text NOT NULL CHECK (kind IN ('parcel', 'site', 'large_site')),
    item_id    bigint NOT NULL,
    member_ids bigint[] NOT NULL DEFAULT '{}',
    position   integer NOT NULL,
    note       text NOT NULL DEFAULT '',
    added_at   timestamptz NOT NULL DEFAULT now(),
    added_by   bigint REFERENCES accounts (id),
    removed_at timestamptz,
    CHECK ((kind = 'large_site') = (cardinality(member_ids) > 1))
);
CREATE UNIQUE INDEX shortlist_items_current_idx ON shortlist_items (enquiry_id, kind, item_id) WHERE removed_at IS NULL;

-- proposals are the links sent to investors. token_hash is the SHA-256 of the link's token, which
-- is shown once and never stored.
CREATE TABLE proposals (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enquiry_id      bigint NOT NULL REFERENCES enquiries (id),
    token_hash      bytea NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      bigint REFERENCES accounts (id),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    first_viewed_at timestamptz,
    last_viewed_at  timestamptz,
    views           integer NOT NULL DEFAULT 0,
    CHECK (expires_at > created_at)
);
CREATE INDEX proposals_enquiry_idx ON proposals (enquiry_id);

-- outbox holds every notification: sent through SMTP when it is configured, else kept for the
-- workspace's message list. recipient is 'region' (the coordinator) or a district's AGS.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    kind       text NOT NULL CHECK (kind IN ('enquiry_new', 'proposal_viewed', 'reminder')),
    recipient  text NOT NULL,
    to_address text,
    subject    text NOT NULL,
    body       text NOT NULL,
    enquiry_id bigint REFERENCES enquiries (id),
    sent_at    timestamptz,
    attempts   integer NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL;
