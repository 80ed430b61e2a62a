package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
)

// storageSRID is the CRS of all stored geometry (EPSG:25832).
const storageSRID = 25832

// Load writes a data set into the database in one transaction, with COPY: the sites, the parcels'
// current states, their earlier states and the constraint areas. It refuses a database that
// already holds parcels; on any error nothing is written. Ids are reserved from the tables'
// identity sequences up front and written explicitly (COPY writes identity columns as given), so
// parcels can name their sites and history rows their parcels without reading anything back.
// progress, if not nil, is called every few thousand rows with the rows written so far and the
// total (history rows count twice: they are staged first).
func Load(ctx context.Context, db *pgxpool.Pool, d *Dataset, progress func(done, total int)) error {
	if progress == nil {
		progress = func(int, int) {}
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit

	// Nobody else may add parcels or sites meanwhile: the check below and the reserved ids hold.
	if _, err := tx.Exec(ctx, `LOCK TABLE sites, parcels, parcel_history IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("demo: lock tables: %w", err)
	}
	var existing int64
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM parcels`).Scan(&existing); err != nil {
		return fmt.Errorf("demo: count parcels: %w", err)
	}
	if existing > 0 {
		return fmt.Errorf("demo: the database already holds %d parcels; demo data goes into an empty database only", existing)
	}
	firstSite, err := reserveIDs(ctx, tx, "sites", len(d.Sites))
	if err != nil {
		return err
	}
	firstParcel, err := reserveIDs(ctx, tx, "parcels", len(d.Parcels))
	if err != nil {
		return err
	}

	// History rows are written twice: staged, then into parcel_history.
	total := len(d.Sites) + len(d.Parcels) + 2*len(d.History) + len(d.Constraints)
	done := 0
	copyRows := func(table string, columns []string, n int, row func(i int, b *rowBuffer) error) error {
		src := &rowSource{n: n, row: row, report: func(k int) { progress(done+k, total) }}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src); err != nil {
			return fmt.Errorf("demo: copy %s: %w", table, err)
		}
		done += n
		progress(done, total)
		return nil
	}

	siteColumns := []string{"id", "district_ags", "municipality_ags", "external_id", "name", "description",
		"strategic_reserve", "publication", "source", "geom", "valid_from"}
	err = copyRows("sites", siteColumns, len(d.Sites), func(i int, b *rowBuffer) error {
		s := &d.Sites[i]
		g, err := b.geometry(s.Geom)
		b.values = append(b.values, firstSite+int64(i), s.DistrictAGS, s.MunicipalityAGS, s.ExternalID, s.Name,
			text(s.Description), s.StrategicReserve, s.Publication, s.Source, g, s.ValidFrom)
		return err
	})
	if err != nil {
		return err
	}
	err = copyRows("parcels", append([]string{"id"}, parcelColumns...), len(d.Parcels), func(i int, b *rowBuffer) error {
		return b.parcel(&d.Parcels[i], firstParcel+int64(i), firstSite)
	})
	if err != nil {
		return err
	}

	// History rows need the values parcels compute (areas, size class, distances): stage them and
	// let the database fill those in from the same expressions and the parcels just written, a
	// slice of parcels at a time so that progress keeps moving.
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE demo_history ON COMMIT DROP AS
		SELECT id, `+strings.Join(parcelColumns, ", ")+`, valid_to FROM parcel_history WITH NO DATA`); err != nil {
		return fmt.Errorf("demo: stage history: %w", err)
	}
	err = copyRows("demo_history", append(append([]string{"id"}, parcelColumns...), "valid_to"), len(d.History), func(i int, b *rowBuffer) error {
		h := &d.History[i]
		err := b.parcel(&h.Parcel, firstParcel+int64(h.ParcelIndex), firstSite)
		b.values = append(b.values, h.ValidTo)
		return err
	})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE INDEX ON demo_history (id); ANALYZE demo_history`); err != nil {
		return fmt.Errorf("demo: index staged history: %w", err)
	}
	const slice = 100000
	for lo := firstParcel; lo < firstParcel+int64(len(d.Parcels)); lo += slice {
		tag, err := tx.Exec(ctx, insertHistory, lo, lo+slice)
		if err != nil {
			return fmt.Errorf("demo: write history: %w", err)
		}
		done += int(tag.RowsAffected())
		progress(done, total)
	}

	err = copyRows("constraint_areas", []string{"kind", "severity", "name", "source", "synthetic", "geom"}, len(d.Constraints), func(i int, b *rowBuffer) error {
		c := &d.Constraints[i]
		g, err := b.geometry(c.Geom)
		b.values = append(b.values, c.Kind, c.Severity, c.Name, c.Source, true, g)
		return err
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("demo: commit: %w", err)
	}
	// Fresh statistics, so the first queries on a million new rows plan well.
	if _, err := db.Exec(ctx, `ANALYZE sites, parcels, parcel_history, constraint_areas`); err != nil {
		return fmt.Errorf("demo: analyze: %w", err)
	}
	return nil
}

// reserveIDs takes n consecutive values from a table's identity sequence and returns the first.
func reserveIDs(ctx context.Context, tx pgx.Tx, table string, n int) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	var last int64
	err := tx.QueryRow(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), nextval(pg_get_serial_sequence($1, 'id')) + $2 - 1)`,
		table, n).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("demo: reserve %s ids: %w", table, err)
	}
	return last - int64(n) + 1, nil
}

// insertHistory moves the staged history of the parcels with ids in [$1, $2) into parcel_history,
// computing the columns that are generated in parcels.
var insertHistory = `INSERT INTO parcel_history (id, ` + strings.Join(parcelColumns, ", ") + `, valid_to,
		gross_area_ha, net_area_ha, net_area_estimated, size_class,
		dist_motorway_m, dist_rail_terminal_m, dist_airport_m, dist_port_m)
	SELECT h.id, ` + strings.Join(prefixed("h.", parcelColumns), ", ") + `, h.valid_to,
		ST_Area(h.geom) / 10000, coalesce(h.net_area_given_ha, 0.65 * ST_Area(h.geom) / 10000),
		h.net_area_given_ha IS NULL, size_class(largest_part_ha(h.geom)),
		p.dist_motorway_m, p.dist_rail_terminal_m, p.dist_airport_m, p.dist_port_m
	FROM demo_history h JOIN parcels p ON p.id = h.id
	WHERE h.id >= $1 AND h.id < $2 AND p.id >= $1 AND p.id < $2`

// parcelColumns are the columns of parcels a Parcel fills, besides id; parcelRow gives the values
// in this order.
var parcelColumns = []string{
	"district_ags", "external_id", "municipality_ags", "site_id", "name", "use_type", "planning_status",
	"availability", "available_from", "status", "potential_kind", "greenfield", "ownership", "owner_willing",
	"price_min_eur_m2", "price_max_eur_m2", "serviced", "power_mw", "gas", "hydrogen", "water", "process_water",
	"waste_water", "district_heat", "broadband_mbps", "rail_siding", "operation_24h", "grz", "gfz", "bmz", "max_height_m",
	"noise_day_db", "noise_night_db", "description", "remarks", "contact_name", "contact_email", "contact_phone",
	"expose_url", "publication", "source", "last_confirmed", "geom", "net_area_given_ha", "valid_from",
	"ended_at", "changed_by",
}

// parcel appends the values of a parcel state for the id and parcelColumns.
func (b *rowBuffer) parcel(p *Parcel, id, firstSite int64) error {
	g, err := b.geometry(p.Geom)
	if err != nil {
		return fmt.Errorf("parcel %s: %w", p.ExternalID, err)
	}
	var site any
	if p.Site >= 0 {
		site = firstSite + int64(p.Site)
	}
	b.values = append(b.values,
		id, p.DistrictAGS, p.ExternalID, p.MunicipalityAGS, site, p.Name, p.UseType, p.PlanningStatus,
		p.Availability, timeOrNull(p.AvailableFrom), p.Status, p.PotentialKind, p.Greenfield, p.Ownership, p.OwnerWilling,
		p.PriceMinEURm2, p.PriceMaxEURm2, p.Serviced, p.PowerMW, p.Gas, p.Hydrogen, p.Water, p.ProcessWater,
		p.WasteWater, p.DistrictHeat, p.BroadbandMbps, p.RailSiding, p.Operation24h, p.GRZ, p.GFZ, p.BMZ, p.MaxHeightM,
		p.NoiseDayDB, p.NoiseNightDB, text(p.Description), text(p.Remarks), text(p.ContactName), text(p.ContactEmail),
		text(p.ContactPhone), text(p.ExposeURL), p.Publication, p.Source, timeOrNull(p.LastConfirmed), g,
		p.NetAreaGivenHa, p.ValidFrom, timeOrNull(p.EndedAt), p.ChangedBy)
	return nil
}

// rowBuffer holds one row of a COPY. pgx encodes each row before it asks for the next, so one
// buffer serves all rows: a million rows leave no garbage of values and geometry behind.
type rowBuffer struct {
	values []any
	wkb    bytes.Buffer
	enc    *ewkb.Encoder
}

// geometry encodes a multipolygon as EWKB with the storage SRID, which PostGIS takes as the binary
// form of a geometry. The bytes are valid until the next row.
func (b *rowBuffer) geometry(mp orb.MultiPolygon) ([]byte, error) {
	if len(mp) == 0 {
		return nil, errors.New("empty geometry")
	}
	if b.enc == nil {
		b.enc = ewkb.NewEncoder(&b.wkb)
	}
	b.wkb.Reset()
	if err := b.enc.Encode(mp, storageSRID); err != nil {
		return nil, err
	}
	return b.wkb.Bytes(), nil
}

func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func prefixed(prefix string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = prefix + c
	}
	return out
}

// rowSource feeds CopyFrom row by row from the data set, so no encoded copy of it is ever held.
type rowSource struct {
	n, i   int
	row    func(i int, b *rowBuffer) error
	buf    rowBuffer
	err    error
	report func(k int)
}

func (s *rowSource) Next() bool {
	if s.err != nil || s.i >= s.n {
		return false
	}
	s.buf.values = s.buf.values[:0]
	s.err = s.row(s.i, &s.buf)
	s.i++
	if s.i%5000 == 0 {
		s.report(s.i)
	}
	return s.err == nil
}

func (s *rowSource) Values() ([]any, error) { return s.buf.values, s.err }
func (s *rowSource) Err() error             { return s.err }
