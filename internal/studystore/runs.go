package studystore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/region"
	"landatlas/internal/study"
)

// RunInput is a checked study run to compute: its parameters, the site search if it asks for
// one, and who runs it.
type RunInput struct {
	Params study.RunParams
	Search *study.Search
	// Enquiries is the demand from enquiries, given where Params.Demand.Enquiries asks for it.
	Enquiries *study.EnquiryDemand
	AccountID int64
}

// CreateRun computes a study run on one snapshot of the data and stores it with the data version
// it saw and the ids of the parcels behind its figures.
func (s Store) CreateRun(ctx context.Context, in RunInput) (study.Run, error) {
	var run study.Run
	err := s.inTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx Store) error {
		var err error
		run, err = tx.computeRun(ctx, in)
		if err != nil {
			return err
		}
		results, err := json.Marshal(run.Results)
		if err != nil {
			return err
		}
		params, err := json.Marshal(run.Params)
		if err != nil {
			return err
		}
		version, err := json.Marshal(run.DataVersion)
		if err != nil {
			return err
		}
		ids, err := tx.ParcelIDs(ctx, runSelection(run))
		if err != nil {
			return err
		}
		run.Parcels = len(ids)
		var account *int64
		if in.AccountID != 0 {
			account = &in.AccountID
		}
		return tx.db.QueryRow(ctx, `
			INSERT INTO study_runs (title, audience, account_id, as_of, params, data_version, results, parcel_ids)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			RETURNING id, created_at, coalesce((SELECT label FROM accounts WHERE id = $3), '')`,
			run.Title, run.Audience, account, run.AsOf, params, version, results, ids).Scan(&run.ID, &run.CreatedAt, &run.CreatedBy)
	})
	if err != nil {
		return study.Run{}, fmt.Errorf("study run: %w", err)
	}
	return run, nil
}

// runSelection is the selection of a run's figures.
func runSelection(run study.Run) Selection {
	c, _ := region.ParseCRS(run.Params.FilterCRS) // checked by RunParams.Check
	return Selection{Internal: run.Audience == "internal", Scope: run.Params.Scope, Filter: run.Params.Filter, FilterCRS: c, AsOf: run.AsOf}
}

func (s Store) computeRun(ctx context.Context, in RunInput) (study.Run, error) {
	p := in.Params
	now, err := s.Now(ctx)
	if err != nil {
		return study.Run{}, err
	}
	asOf, err := study.ParseAsOf(p.AsOf, now)
	if err != nil {
		return study.Run{}, err
	}
	if asOf.IsZero() {
		asOf = now
	}
	run := study.Run{Title: p.Title, Audience: p.Audience, AsOf: asOf, Params: p}
	sel := runSelection(run)
	window := study.DefaultWindow(asOf)
	if p.Window != nil {
		window = *p.Window
	}
	if err := window.Check(asOf); err != nil {
		return study.Run{}, err
	}
	var districts []string
	for _, d := range p.Scope.DistrictsIn() {
		districts = append(districts, d.AGS)
	}
	if err := p.Demand.Check(asOf, districts); err != nil {
		return study.Run{}, err
	}
	if run.DataVersion, err = s.DataVersion(ctx, run.Audience == "internal"); err != nil {
		return study.Run{}, err
	}
	groupBy, err := study.ParseGroupBy(strings.Join(p.GroupBy, ","))
	if err != nil {
		return study.Run{}, err
	}
	r := &run.Results
	if r.Supply, err = s.Supply(ctx, SupplyRequest{Selection: sel, GroupBy: groupBy, MinSiteHa: p.MinSiteHa, MotorwayKm: p.MotorwayKm}); err != nil {
		return study.Run{}, err
	}
	if r.TakeUp, err = s.TakeUp(ctx, sel, window); err != nil {
		return study.Run{}, err
	}
	r.Balance = study.BuildBalance(r.TakeUp, p.Demand)
	if p.Demand.Enquiries {
		if in.Enquiries == nil {
			return study.Run{}, fmt.Errorf("the run asks for the demand from enquiries, and none was given")
		}
		r.Balance.AddEnquiries(*in.Enquiries)
	}
	if r.LargeSites, err = s.LargeSites(ctx, sel, p.LargeSites); err != nil {
		return study.Run{}, err
	}
	if in.Search != nil {
		res, err := s.Search(ctx, sel, *in.Search, SearchPages{Limit: 50, ExcludedLimit: 50})
		if err != nil {
			return study.Run{}, err
		}
		r.Search = &res
	}
	if r.Map, err = s.mapOverview(ctx, p.Scope, r.LargeSites.Sites); err != nil {
		return study.Run{}, err
	}
	if r.Synthetic, err = s.synthetic(ctx, sel); err != nil {
		return study.Run{}, err
	}
	return run, nil
}

// synthetic reports whether the selection counts synthetic demo parcels.
func (s Store) synthetic(ctx context.Context, sel Selection) (bool, error) {
	if parcelsCollection.Synthetic == "" {
		return false, nil
	}
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return false, err
	}
	var yes bool
	err = s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+from+` WHERE `+where(append(conds, parcelsCollection.Synthetic))+`)`, q.Values()...).Scan(&yes)
	if err != nil {
		return false, fmt.Errorf("synthetic data: %w", err)
	}
	return yes, nil
}

// mapOverview draws the nine districts (marking those in the scope) and the large sites as SVG
// paths, simplified to what a printed page shows.
func (s Store) mapOverview(ctx context.Context, scope study.Scope, sites []study.LargeSite) (study.MapOverview, error) {
	var inScope []string
	for _, d := range scope.DistrictsIn() {
		inScope = append(inScope, d.AGS)
	}
	var m study.MapOverview
	var districts []byte
	err := s.db.QueryRow(ctx, `
		SELECT (SELECT format('%s %s %s %s', floor(ST_XMin(e)) - 1000, -ceil(ST_YMax(e)) - 1000,
		                      ceil(ST_XMax(e) - ST_XMin(e)) + 2000, ceil(ST_YMax(e) - ST_YMin(e)) + 2000)
		        FROM (SELECT ST_Extent(geom)::geometry AS e FROM districts) x),
		       coalesce(json_agg(json_build_object('id', ags, 'label', CASE WHEN ags = '14729' THEN 'Landkreis Leipzig' ELSE name END,
		           'path', ST_AsSVG(ST_SimplifyPreserveTopology(geom, 250), 0, 0), 'in_scope', ags = ANY ($1::bpchar[]))
		           ORDER BY ags), '[]')
		FROM districts`, inScope).Scan(&m.ViewBox, &districts)
	if err != nil {
		return m, fmt.Errorf("map overview: %w", err)
	}
	if err := json.Unmarshal(districts, &m.Districts); err != nil {
		return m, fmt.Errorf("map overview: %w", err)
	}
	m.Sites = []study.MapShape{}
	for _, site := range sites {
		shape := study.MapShape{ID: site.ID, Label: study.FormatHa(site.NetHa, "de")}
		err := s.db.QueryRow(ctx, `SELECT ST_AsSVG(ST_SimplifyPreserveTopology(g, 20), 0, 0), ST_X(ST_PointOnSurface(g)), -ST_Y(ST_PointOnSurface(g))
			FROM (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 25832) AS g) x`, string(site.Geometry)).
			Scan(&shape.Path, &shape.LabelX, &shape.LabelY)
		if err != nil {
			return m, fmt.Errorf("map overview: %w", err)
		}
		m.Sites = append(m.Sites, shape)
	}
	return m, nil
}

// Run reads a stored run. The public reads public runs only; another run is not found for it. A
// public run shows what is public now and was public at its as_of: when a parcel it counted is no
// longer public, its figures, lists and large-site unions are computed again, at the same as_of,
// without it (what the run would have been had the parcel been internal then).
func (s Store) Run(ctx context.Context, id int64, internal bool) (study.Run, error) {
	var run study.Run
	err := s.Snapshot(ctx, func(tx Store) error {
		var err error
		if run, err = tx.storedRun(ctx, id, internal); err != nil {
			return err
		}
		if run.Audience == "public" {
			run, err = tx.publicNow(ctx, run)
		}
		return err
	})
	return run, err
}

// publicNow returns a public run as the public may see it now.
func (s Store) publicNow(ctx context.Context, run study.Run) (study.Run, error) {
	sel, err := s.RunSelection(ctx, run)
	if err != nil {
		return run, err
	}
	visible, err := s.ParcelIDs(ctx, sel)
	if err != nil {
		return run, err
	}
	if len(visible) == len(sel.IDs) {
		return run, nil
	}
	in := RunInput{Params: run.Params}
	in.Params.AsOf = run.AsOf.Format(time.RFC3339Nano)
	if run.Results.Search != nil {
		in.Search = &run.Results.Search.Search
	}
	again, err := s.computeRun(ctx, in)
	if err != nil {
		return run, fmt.Errorf("study run %d without the parcels no longer public: %w", run.ID, err)
	}
	run.Results, run.Parcels = again.Results, len(visible)
	return run, nil
}

// storedRun reads a run as it was stored.
func (s Store) storedRun(ctx context.Context, id int64, internal bool) (study.Run, error) {
	var run study.Run
	var params, version, results []byte
	err := s.db.QueryRow(ctx, `
		SELECT r.id, r.title, r.audience::text, r.created_at, coalesce(a.label, ''), r.as_of, r.params, r.data_version,
		       r.results, cardinality(r.parcel_ids)
		FROM study_runs r LEFT JOIN accounts a ON a.id = r.account_id
		WHERE r.id = $1 AND ($2 OR r.audience = 'public')`, id, internal).
		Scan(&run.ID, &run.Title, &run.Audience, &run.CreatedAt, &run.CreatedBy, &run.AsOf, &params, &version, &results, &run.Parcels)
	if err != nil {
		return study.Run{}, notFound(err, "study run %d: not found", id)
	}
	if !internal {
		run.CreatedBy = ""
	}
	for _, x := range []struct {
		raw []byte
		v   any
	}{{params, &run.Params}, {version, &run.DataVersion}, {results, &run.Results}} {
		if err := json.Unmarshal(x.raw, x.v); err != nil {
			return study.Run{}, fmt.Errorf("study run %d: %w", id, err)
		}
	}
	return run, nil
}

// Runs lists the runs a reader may read, newest first, and how many there are.
func (s Store) Runs(ctx context.Context, internal bool, limit, offset int) ([]study.RunSummary, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM study_runs WHERE $1 OR audience = 'public'`, internal).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("study runs: %w", err)
	}
	// A public run counts the parcels that are still public, as Run shows it.
	rows, err := s.db.Query(ctx, `
		SELECT r.id, r.title, r.audience::text, r.created_at, CASE WHEN $1 THEN coalesce(a.label, '') ELSE '' END,
		       r.as_of, r.data_version, CASE WHEN r.audience = 'public'
		           THEN (SELECT count(*) FROM parcels t WHERE t.id = ANY (r.parcel_ids) AND `+parcelsCollection.Public+`)
		           ELSE cardinality(r.parcel_ids) END
		FROM study_runs r LEFT JOIN accounts a ON a.id = r.account_id
		WHERE $1 OR r.audience = 'public'
		ORDER BY r.id DESC LIMIT $2 OFFSET $3`, internal, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("study runs: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (study.RunSummary, error) {
		var rs study.RunSummary
		err := r.Scan(&rs.ID, &rs.Title, &rs.Audience, &rs.CreatedAt, &rs.CreatedBy, &rs.AsOf, &rs.DataVersion, &rs.Parcels)
		return rs, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("study runs: %w", err)
	}
	if out == nil {
		out = []study.RunSummary{}
	}
	return out, total, nil
}

// RunSelection returns the selection of a stored run's parcels: the ids it stored, in their state
// at the run's as_of, with the eyes of its audience.
func (s Store) RunSelection(ctx context.Context, run study.Run) (Selection, error) {
	var ids []int64
	if err := s.db.QueryRow(ctx, `SELECT parcel_ids FROM study_runs WHERE id = $1`, run.ID).Scan(&ids); err != nil {
		return Selection{}, notFound(err, "study run %d: not found", run.ID)
	}
	return Selection{Internal: run.Audience == "internal", AsOf: run.AsOf, IDs: ids}, nil
}

// WriteParcels streams the parcels of a selection to fn one at a time, as WGS84 GeoJSON features
// ordered by id, so an export of 100,000 parcels never sits in memory whole.
func (s Store) WriteParcels(ctx context.Context, sel Selection, fn func(feature []byte) error) error {
	var q stmt
	from, conds, err := q.selection(sel)
	if err != nil {
		return err
	}
	rows, err := s.db.Query(ctx, `
		SELECT json_build_object('type', 'Feature', 'id', t.id, 'geometry', ST_AsGeoJSON(ST_Transform(t.geom, 4326), 6)::json,
		       'properties', jsonb_build_object('id', t.id) || `+propertiesSQL(sel.Internal)+`)::text
		FROM `+from+` WHERE `+where(conds)+` ORDER BY t.id`, q.Values()...)
	if err != nil {
		return fmt.Errorf("parcels: %w", err)
	}
	var feature []byte
	_, err = pgx.ForEachRow(rows, []any{&feature}, func() error { return fn(feature) })
	if err != nil {
		return fmt.Errorf("parcels: %w", err)
	}
	return nil
}
