// Package studytest loads the small hand-built fixture the potential study is tested on: ten
// parcels of exact rectangles in three districts, one pair touching across the border of Sachsen
// and Sachsen-Anhalt (Nordsachsen 14730 / Saalekreis 15088, near Kabelsketal and Wiedemar), with
// histories, two constraint areas and two test motorway junctions, so every figure can be worked
// out by hand. The figures are worked out in the tests that use it.
//
// Parcels (gross = the rectangle; net given unless noted):
//
//	A 15088 500×400 m = 20 ha, net 15, GI in force, offered, medium_term from 2019, now from 2024,
//	  municipal, willing, public, site S1, touches B
//	B 14730 400×400 m = 16 ha, net 10, GE in preparation, offered, medium_term, brownfield, private,
//	  willing unknown, public, site S2
//	C 14730 300×300 m =  9 ha, net 6, GI in force, offered, now, development company, willing,
//	  INTERNAL, site S2, 30 m north of B
//	D 14713 200×200 m =  4 ha, net 3, GE in force, offered, now, Land, willing, public, site S3
//	  (a strategic reserve), half of it in a severe flood zone
//	E 14713 100×100 m =  1 ha, net 0.65 (estimated), MI built-up area, offered, now, private,
//	  willing, public, wholly in a minor noise zone
//	F 14713 300×200 m =  6 ha, net 4, GI, offered from 2019-03-01, sold 2021-05-10, site S3
//	G 15088 200×200 m =  4 ha, net 2.5, GE, offered from 2018, sold 2022-08-01, site S1
//	H 14730 200×200 m =  4 ha, net 3, GI, INTERNAL, offered from 2018-06-01, sold 2023-02-01, site S2
//	I 14713 100×100 m =  1 ha, net 1, GE, first recorded already sold (2020-01-01): no take-up
//	K 15088 200×100 m =  2 ha, net 1.5, SO, reserved, federal, site S1
//
// Sites: S1 15088 public 830×400 m = 33.2 ha; S2 14730 internal 670×730 m = 48.91 ha; S3 14713
// public strategic reserve 300×600 m = 18 ha. Junctions: "AS Test-Nord (A99)" 600 m south of A,
// "AS Test-Süd (A98)" 1000 m south of D.
package studytest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"landatlas/internal/pgtest"
)

// Fixture holds the ids the database gave the fixture's records, by their letter.
type Fixture struct {
	Parcels map[string]int64
	Sites   map[string]int64
}

// AsOf is the date the fixture's current state is asked for: after its last change, fixed so the
// default window (2021–2025) and the years to 2038 (12) do not move with the clock.
var AsOf = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

type siteSpec struct {
	key, district, municipality, publication string
	strategic                                bool
	box                                      [4]float64
}

type parcelSpec struct {
	key, district, municipality, site string
	box                               [4]float64
	net                               float64 // 0: estimated by the database (0.65 × gross)
	useType, planning, availability   string
	status, potential                 string
	greenfield                        bool
	ownership, willing, publication   string
	serviced                          string
	railSiding                        bool
	powerMW                           float64
	from                              string
	changes                           []change
}

// change is a later state: the columns set and when it began.
type change struct {
	at  string
	set string
}

var sites = []siteSpec{
	{"S1", "15088", "15088150", "public", false, [4]float64{720000, 5702600, 720830, 5703000}},
	{"S2", "14730", "14730340", "internal", false, [4]float64{720830, 5702600, 721500, 5703330}},
	{"S3", "14713", "14713000", "public", true, [4]float64{736000, 5693000, 736300, 5693600}},
}

var parcels = []parcelSpec{
	{key: "A", district: "15088", municipality: "15088150", site: "S1", box: [4]float64{720330, 5702600, 720830, 5703000}, net: 15,
		useType: "GI", planning: "in_force", availability: "medium_term", status: "offered", potential: "reserve_bplan", greenfield: true,
		ownership: "municipal", willing: "yes", publication: "public", serviced: "full", railSiding: true, powerMW: 20, from: "2019-01-01",
		changes: []change{{"2024-01-01", "availability = 'now'"}}},
	{key: "B", district: "14730", municipality: "14730340", site: "S2", box: [4]float64{720830, 5702600, 721230, 5703000}, net: 10,
		useType: "GE", planning: "in_preparation", availability: "medium_term", status: "offered", potential: "brownfield",
		ownership: "private", willing: "unknown", publication: "public", serviced: "partial", from: "2018-01-01"},
	{key: "C", district: "14730", municipality: "14730340", site: "S2", box: [4]float64{720830, 5703030, 721130, 5703330}, net: 6,
		useType: "GI", planning: "in_force", availability: "now", status: "offered", potential: "reserve_bplan", greenfield: true,
		ownership: "development_company", willing: "yes", publication: "internal", serviced: "full", from: "2018-01-01"},
	{key: "D", district: "14713", municipality: "14713000", site: "S3", box: [4]float64{736000, 5693000, 736200, 5693200}, net: 3,
		useType: "GE", planning: "in_force", availability: "now", status: "offered", potential: "infill_gap",
		ownership: "land", willing: "yes", publication: "public", serviced: "full", from: "2018-01-01"},
	{key: "E", district: "14713", municipality: "14713000", box: [4]float64{736400, 5693000, 736500, 5693100},
		useType: "MI", planning: "built_up_area", availability: "now", status: "offered", potential: "infill_gap",
		ownership: "private", willing: "yes", publication: "public", serviced: "full", from: "2018-01-01"},
	{key: "F", district: "14713", municipality: "14713000", site: "S3", box: [4]float64{736000, 5693400, 736300, 5693600}, net: 4,
		useType: "GI", planning: "in_force", availability: "now", status: "offered", potential: "conversion",
		ownership: "private", willing: "yes", publication: "public", serviced: "full", from: "2019-03-01",
		changes: []change{{"2021-05-10", "status = 'sold'"}}},
	{key: "G", district: "15088", municipality: "15088150", site: "S1", box: [4]float64{720000, 5702600, 720200, 5702800}, net: 2.5,
		useType: "GE", planning: "in_force", availability: "now", status: "offered", potential: "reserve_bplan", greenfield: true,
		ownership: "private", willing: "yes", publication: "public", serviced: "full", from: "2018-01-01",
		changes: []change{{"2022-08-01", "status = 'sold'"}}},
	{key: "H", district: "14730", municipality: "14730340", site: "S2", box: [4]float64{721300, 5702600, 721500, 5702800}, net: 3,
		useType: "GI", planning: "in_force", availability: "now", status: "offered", potential: "reserve_bplan", greenfield: true,
		ownership: "private", willing: "yes", publication: "internal", serviced: "full", from: "2018-06-01",
		changes: []change{{"2023-02-01", "status = 'sold'"}}},
	{key: "I", district: "14713", municipality: "14713000", box: [4]float64{736400, 5693400, 736500, 5693500}, net: 1,
		useType: "GE", planning: "in_force", availability: "now", status: "sold", potential: "infill_gap", greenfield: true,
		ownership: "private", willing: "yes", publication: "public", serviced: "none", from: "2020-01-01"},
	{key: "K", district: "15088", municipality: "15088150", site: "S1", box: [4]float64{720000, 5702900, 720200, 5703000}, net: 1.5,
		useType: "SO", planning: "in_force", availability: "now", status: "reserved", potential: "reserve_bplan", greenfield: true,
		ownership: "federal", willing: "yes", publication: "public", serviced: "partial", from: "2018-01-01"},
}

// Load writes the fixture into a database made from pgtest.Reference and returns its ids.
func Load(t testing.TB, db *pgtest.DB) Fixture {
	t.Helper()
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("load study fixture: %v\n%s", err, sql)
		}
	}
	// The junctions come first, so the parcels' distances are measured to them.
	exec(`INSERT INTO infrastructure (kind, name, ref, source, geom) VALUES
		('motorway_junction', 'AS Test-Nord (A99)', 'A99', 'study fixture', ST_SetSRID(ST_Point(720580, 5702000), 25832)),
		('motorway_junction', 'AS Test-Süd (A98)', 'A98', 'study fixture', ST_SetSRID(ST_Point(736100, 5692000), 25832))`)
	f := Fixture{Parcels: map[string]int64{}, Sites: map[string]int64{}}
	for _, s := range sites {
		var id int64
		err := db.Pool.QueryRow(ctx, `
			INSERT INTO sites (district_ags, municipality_ags, external_id, name, strategic_reserve, publication, source, geom, valid_from)
			VALUES ($1, $2, $3, $4, $5, $6, 'study fixture', ST_Multi(ST_MakeEnvelope($7, $8, $9, $10, 25832)), '2018-01-01')
			RETURNING id`, s.district, s.municipality, "FIX-"+s.key, "Standort "+s.key, s.strategic, s.publication,
			s.box[0], s.box[1], s.box[2], s.box[3]).Scan(&id)
		if err != nil {
			t.Fatalf("load study fixture: site %s: %v", s.key, err)
		}
		f.Sites[s.key] = id
	}
	for _, p := range parcels {
		var site, net, power any
		if p.site != "" {
			site = f.Sites[p.site]
		}
		if p.net > 0 {
			net = p.net
		}
		if p.powerMW > 0 {
			power = p.powerMW
		}
		var id int64
		err := db.Pool.QueryRow(ctx, `
			INSERT INTO parcels (district_ags, external_id, municipality_ags, site_id, name, use_type, planning_status,
			    availability, status, potential_kind, greenfield, ownership, owner_willing, serviced, rail_siding, power_mw,
			    publication, source, geom, net_area_given_ha, valid_from, changed_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'study fixture',
			    ST_Multi(ST_MakeEnvelope($18, $19, $20, $21, 25832)), $22, $23, 'study fixture')
			RETURNING id`,
			p.district, "FIX-"+p.key, p.municipality, site, "Fläche "+p.key, p.useType, p.planning, p.availability, p.status,
			p.potential, p.greenfield, p.ownership, p.willing, p.serviced, p.railSiding, power, p.publication,
			p.box[0], p.box[1], p.box[2], p.box[3], net, day(p.from)).Scan(&id)
		if err != nil {
			t.Fatalf("load study fixture: parcel %s: %v", p.key, err)
		}
		f.Parcels[p.key] = id
		for _, c := range p.changes {
			exec(fmt.Sprintf(`UPDATE parcels SET %s, valid_from = $2 WHERE id = $1`, c.set), id, day(c.at))
		}
	}
	exec(`INSERT INTO constraint_areas (kind, severity, name, source, geom) VALUES
		('flood_hq100', 'severe', 'Test-Überschwemmungsgebiet', 'study fixture', ST_Multi(ST_MakeEnvelope(735900, 5692900, 736100, 5693300, 25832))),
		('noise', 'minor', 'Test-Lärmzone', 'study fixture', ST_Multi(ST_MakeEnvelope(736350, 5692950, 736550, 5693150, 25832)))`)
	return f
}

// IDs returns the database ids of the parcels with the given letters.
func (f Fixture) IDs(keys ...string) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = f.Parcels[k]
	}
	return out
}
