-- Statistics for the parcels' code fields as filters compare them: as text (catalog.columnSQL
-- reads enums and char codes as text, so that a filter compares strings). PostgreSQL keeps
-- statistics for columns, not for a cast of one, and guessed that use_type IN ('GI', 'SO') AND
-- availability IN ('now', 'short_term') held 1 of 100,000 parcels (3,450 did): it joined and
-- sorted as for one row, 396 ms for a page where 141 ms is needed. A test (internal/query) checks
-- that every code field of the registry has its statistics here.
CREATE STATISTICS parcels_district_ags_text ON ((district_ags::text)) FROM parcels;
CREATE STATISTICS parcels_municipality_ags_text ON ((municipality_ags::text)) FROM parcels;
CREATE STATISTICS parcels_use_type_text ON ((use_type::text)) FROM parcels;
CREATE STATISTICS parcels_planning_status_text ON ((planning_status::text)) FROM parcels;
CREATE STATISTICS parcels_availability_text ON ((availability::text)) FROM parcels;
CREATE STATISTICS parcels_status_text ON ((status::text)) FROM parcels;
CREATE STATISTICS parcels_potential_kind_text ON ((potential_kind::text)) FROM parcels;
CREATE STATISTICS parcels_ownership_text ON ((ownership::text)) FROM parcels;
CREATE STATISTICS parcels_owner_willing_text ON ((owner_willing::text)) FROM parcels;
CREATE STATISTICS parcels_serviced_text ON ((serviced::text)) FROM parcels;
CREATE STATISTICS parcels_publication_text ON ((publication::text)) FROM parcels;
ANALYZE parcels;
