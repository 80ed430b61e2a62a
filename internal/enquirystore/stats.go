package enquirystore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/enquiry"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Count is a number of enquiries and the net area they asked for (their least, else their most).
type Count struct {
	Value     string  `json:"value"`
	Enquiries int     `json:"enquiries"`
	Ha        float64 `json:"ha"`
}

// Year is the demand of one calendar year (Europe/Berlin), broken down.
type Year struct {
	Year      int                `json:"year"`
	Enquiries int                `json:"enquiries"`
	Ha        float64            `json:"ha"`
	By        map[string][]Count `json:"by"`
	Unmet     Unmet              `json:"unmet"`
	// ParcelIDs are the parcels the year's enquiries asked about.
	ParcelIDs []int64 `json:"parcel_ids"`
}

// Unmet are the enquiries of a year the site search found no candidate for at their date.
type Unmet struct {
	Enquiries int     `json:"enquiries"`
	Ha        float64 `json:"ha"`
	// ByReason counts the unmet enquiries by the criterion that excluded most candidates.
	ByReason []Count        `json:"by_reason"`
	List     []UnmetEnquiry `json:"list"`
	// Checked is how many enquiries were searched for.
	Checked int `json:"checked"`
}

// UnmetEnquiry is one enquiry nothing was found for.
type UnmetEnquiry struct {
	ID        int64   `json:"id"`
	Reference string  `json:"reference"`
	Sector    string  `json:"sector"`
	Ha        float64 `json:"ha"`
	TopReason string  `json:"top_reason"`
}

// dimensions are the breakdowns of the statistics: SQL of one value per enquiry (or a set, for
// the lists), over enquiries e. Our own constants, never a request's.
var dimensions = []struct{ name, sql string }{
	{"sector", "SELECT e.sector"},
	{"use_type", "SELECT coalesce(u, 'any') FROM unnest(CASE WHEN cardinality(e.use_types) = 0 THEN ARRAY[NULL::text] ELSE e.use_types END) u"},
	{"size_class", "SELECT coalesce(size_class(coalesce(nullif(e.min_net_ha, 0), e.max_net_ha)), 'unknown')"},
	{"district", byDistrict},
	{"outcome", "SELECT e.status::text"},
}

// byDistrict is the districts an enquiry was routed to, "region" for none.
const byDistrict = "SELECT coalesce(d, 'region') FROM unnest(CASE WHEN cardinality(e.districts) = 0 THEN ARRAY[NULL::text] ELSE e.districts END) d"

// askedHa is the area an enquiry counts with.
const askedHa = "coalesce(nullif(e.min_net_ha, 0), e.max_net_ha, 0)"

const yearOf = "extract(year FROM e.received_at AT TIME ZONE 'Europe/Berlin')::int"

// Stats returns the demand per year from the enquiries (every enquiry counts, also those whose
// personal data were erased), with the unmet demand of each year: the enquiries for which the
// site search with their requirements, over the parcels as they were at the enquiry's date,
// finds neither a parcel nor a merged large site.
func (s Store) Stats(ctx context.Context, st studystore.Store) ([]Year, error) {
	demand, err := s.demand(ctx, nil)
	if err != nil {
		return nil, err
	}
	years := map[int]*Year{}
	for _, d := range demand.years {
		years[d.Year] = &Year{Year: d.Year, Enquiries: d.Enquiries, Ha: round(d.Ha), By: map[string][]Count{"district": demand.byDistrict[d.Year]},
			Unmet: Unmet{ByReason: []Count{}, List: []UnmetEnquiry{}}, ParcelIDs: []int64{}}
	}
	rows, err := s.DB.Query(ctx, `SELECT `+yearOf+`, array_agg(DISTINCT p ORDER BY p) FROM enquiries e, unnest(e.parcel_ids) p GROUP BY 1`)
	if err != nil {
		return nil, fmt.Errorf("demand statistics: %w", err)
	}
	var y int
	var ids []int64
	if _, err := pgx.ForEachRow(rows, []any{&y, &ids}, func() error {
		if years[y] != nil { // nil: a year whose first enquiry arrived after the count above
			years[y].ParcelIDs = ids
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("demand statistics: %w", err)
	}
	for _, d := range dimensions {
		if d.name == "district" {
			continue
		}
		by, err := s.breakdown(ctx, d.name, d.sql)
		if err != nil {
			return nil, err
		}
		for y, counts := range by {
			if years[y] != nil {
				years[y].By[d.name] = counts
			}
		}
	}
	if err := s.unmet(ctx, st, years); err != nil {
		return nil, err
	}
	out := make([]Year, 0, len(years))
	for _, y := range years {
		out = append(out, *y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

// breakdown counts the enquiries of each year by one dimension, largest first.
func (s Store) breakdown(ctx context.Context, name, sql string) (map[int][]Count, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+yearOf+`, v.value, count(*), sum(`+askedHa+`)
		FROM enquiries e CROSS JOIN LATERAL (`+sql+`) v(value) GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`)
	if err != nil {
		return nil, fmt.Errorf("demand statistics by %s: %w", name, err)
	}
	out := map[int][]Count{}
	var y int
	var c Count
	if _, err := pgx.ForEachRow(rows, []any{&y, &c.Value, &c.Enquiries, &c.Ha}, func() error {
		c.Ha = round(c.Ha)
		out[y] = append(out[y], c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("demand statistics by %s: %w", name, err)
	}
	return out, nil
}

// yearDemand is the demand of the enquiries per year and by district, as the statistics count it.
type yearDemand struct {
	since      time.Time
	years      []study.EnquiryYear
	byDistrict map[int][]Count
}

// demand counts the enquiries and the net area they asked for per year: of those routed to one
// of districts (nil: every enquiry, also those routed to no district), and by district.
func (s Store) demand(ctx context.Context, districts []string) (yearDemand, error) {
	var d yearDemand
	var since *time.Time
	if err := s.DB.QueryRow(ctx, `SELECT min(received_at) FROM enquiries`).Scan(&since); err != nil {
		return d, fmt.Errorf("demand from enquiries: %w", err)
	}
	if since == nil {
		return d, nil
	}
	d.since = *since
	rows, err := s.DB.Query(ctx, `SELECT `+yearOf+`, count(*), sum(`+askedHa+`) FROM enquiries e
		WHERE $1::text[] IS NULL OR e.districts && $1::text[] GROUP BY 1 ORDER BY 1`, districts)
	if err != nil {
		return d, fmt.Errorf("demand from enquiries: %w", err)
	}
	var y study.EnquiryYear
	if _, err := pgx.ForEachRow(rows, []any{&y.Year, &y.Enquiries, &y.Ha}, func() error {
		d.years = append(d.years, y)
		return nil
	}); err != nil {
		return d, fmt.Errorf("demand from enquiries: %w", err)
	}
	d.byDistrict, err = s.breakdown(ctx, "district", byDistrict)
	return d, err
}

// Demand is the study balance's input from enquiries: the net area asked for per year by the
// enquiries routed to one of districts (nil: the whole region) and by district, counted as the
// demand statistics count it.
func (s Store) Demand(ctx context.Context, districts []string) (study.EnquiryDemand, error) {
	d, err := s.demand(ctx, districts)
	if err != nil {
		return study.EnquiryDemand{}, err
	}
	out := study.EnquiryDemand{Since: d.since, Years: d.years}
	for i := range out.Years {
		y := &out.Years[i]
		y.Districts = map[string]study.EnquiryCount{}
		for _, c := range d.byDistrict[y.Year] {
			if districts == nil || slices.Contains(districts, c.Value) {
				y.Districts[c.Value] = study.EnquiryCount{Enquiries: c.Enquiries, Ha: c.Ha}
			}
		}
	}
	return out, nil
}

// unmet runs each enquiry's site search at its date (with internal parcels: the question is what
// the region could offer, not what it publishes).
func (s Store) unmet(ctx context.Context, st studystore.Store, years map[int]*Year) error {
	rows, err := s.DB.Query(ctx, `SELECT e.id, e.reference, `+yearOf+`, e.received_at, `+askedHa+`, e.sector, e.use_types,
		e.min_net_ha, e.max_net_ha, e.timing, e.max_motorway_km, e.rail_siding FROM enquiries e ORDER BY e.id`)
	if err != nil {
		return fmt.Errorf("unmet demand: %w", err)
	}
	type row struct {
		e    UnmetEnquiry
		year int
		sel  studystore.Selection
		req  enquiry.Requirements
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.e.ID, &x.e.Reference, &x.year, &x.sel.AsOf, &x.e.Ha, &x.e.Sector, &x.req.UseTypes,
			&x.req.MinNetHa, &x.req.MaxNetHa, &x.req.Timing, &x.req.MaxMotorwayKm, &x.req.RailSiding)
		x.req.Sector = x.e.Sector
		x.sel.Internal = true
		return x, err
	})
	if err != nil {
		return fmt.Errorf("unmet demand: %w", err)
	}
	reasons := map[int]map[string]*Count{}
	for _, x := range list {
		if years[x.year] == nil {
			continue // received after the yearly count: the next answer counts it
		}
		res, err := st.Search(ctx, x.sel, x.req.Search(), studystore.SearchPages{Limit: 1})
		if err != nil {
			return fmt.Errorf("unmet demand of %s: %w", x.e.Reference, err)
		}
		u := &years[x.year].Unmet
		u.Checked++
		if enquiry.Served(res) {
			continue
		}
		x.e.TopReason = enquiry.TopReason(res.Excluded.ByReason)
		x.e.Ha = round(x.e.Ha)
		u.Enquiries++
		u.Ha = round(u.Ha + x.e.Ha)
		u.List = append(u.List, x.e)
		if reasons[x.year] == nil {
			reasons[x.year] = map[string]*Count{}
		}
		c := reasons[x.year][x.e.TopReason]
		if c == nil {
			c = &Count{Value: x.e.TopReason}
			reasons[x.year][x.e.TopReason] = c
		}
		c.Enquiries++
		c.Ha = round(c.Ha + x.e.Ha)
	}
	for y, byReason := range reasons {
		for _, c := range byReason {
			years[y].Unmet.ByReason = append(years[y].Unmet.ByReason, *c)
		}
		sort.Slice(years[y].Unmet.ByReason, func(i, j int) bool {
			a, b := years[y].Unmet.ByReason[i], years[y].Unmet.ByReason[j]
			if a.Enquiries != b.Enquiries {
				return a.Enquiries > b.Enquiries
			}
			return a.Value < b.Value
		})
	}
	return nil
}

func round(v float64) float64 { return study.Round(v, 3) }
