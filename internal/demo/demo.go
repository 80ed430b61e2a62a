// Package demo generates a plausible, plainly synthetic demo data set for landatlas: business
// parks (sites) subdivided into parcels over the nine districts, with ten years of parcel history and
// synthetic constraint areas (flood plains, nature reserves, mining, contamination). At its default
// size the data has the order of magnitude of the region's potential study (domain.md "Published
// figures"): about 146 sites of at least 5 ha with 3,870 ha in all, about 200 ha of strategic
// reserve sites and a yearly take-up of 100–200 ha. Every record says it is synthetic.
//
// Generate is pure and deterministic: the same municipalities, junctions, seed and "now" give the
// same data set, byte for byte. Load writes a data set into an empty landatlas database in one
// transaction with COPY.
package demo

import (
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"
)

// Municipality is what the generator needs to know of a municipality (geometry in EPSG:25832).
type Municipality struct {
	AGS, DistrictAGS, Name string
	Geom                   orb.MultiPolygon
}

// Junction is an infrastructure point (EPSG:25832) the generator places sites near, such as a
// motorway junction.
type Junction struct {
	Name  string
	Point orb.Point
}

// Options control the size and randomness of the generated data.
type Options struct {
	// Parcels is the number of parcels to generate; 0 means DefaultParcels. Larger numbers make
	// more, smaller sites so that everything still fits the region.
	Parcels int
	// Seed selects the random data set; 0 means 1.
	Seed int64
	// Now is "today": the history runs from 2015 up to it and dates are relative to it. It is
	// injected, not read from the clock, so that Generate stays deterministic; it is required.
	Now time.Time
}

// DefaultParcels is the size of the study-like demo data set.
const DefaultParcels = 2500

// historyStartYear is the year the generated parcel history begins, on 1 January.
const historyStartYear = 2015

func historyStart() time.Time {
	return time.Date(historyStartYear, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// Dataset is the generated data, all geometry EPSG:25832.
type Dataset struct {
	Sites       []Site
	Parcels     []Parcel
	History     []ParcelState
	Constraints []ConstraintArea
}

// Site is a business park (Standort) for the sites table.
type Site struct {
	ExternalID       string
	DistrictAGS      string
	MunicipalityAGS  string
	Name             string
	Description      string
	StrategicReserve bool
	Publication      string // publication enum: public or internal
	Source           string
	Geom             orb.MultiPolygon
	ValidFrom        time.Time
}

// Parcel is the current state of a parcel (Fläche) for the parcels table: every column that is not
// generated or derived. Text fields that are empty and times that are zero are written as NULL;
// nil pointers are NULL. Codes are the values of the migration's enum types.
type Parcel struct {
	// Site is the index of the parcel's site in Dataset.Sites, or -1 for a parcel outside any site.
	Site            int
	ExternalID      string
	DistrictAGS     string
	MunicipalityAGS string
	Name            string
	UseType         string
	PlanningStatus  string
	Availability    string
	AvailableFrom   time.Time // a date
	Status          string
	PotentialKind   string
	Greenfield      bool
	Ownership       string
	OwnerWilling    string
	PriceMinEURm2   *float64
	PriceMaxEURm2   *float64
	Serviced        string
	PowerMW         *float64
	Gas             bool
	Hydrogen        bool
	Water           bool
	ProcessWater    bool
	WasteWater      bool
	DistrictHeat    bool
	BroadbandMbps   *int
	RailSiding      bool
	Operation24h    bool
	GRZ             *float64
	GFZ             *float64
	BMZ             *float64
	MaxHeightM      *float64
	NoiseDayDB      *float64
	NoiseNightDB    *float64
	Description     string
	Remarks         string
	ContactName     string
	ContactEmail    string
	ContactPhone    string
	ExposeURL       string
	Publication     string
	Source          string
	LastConfirmed   time.Time // a date
	Geom            orb.MultiPolygon
	NetAreaGivenHa  *float64
	ValidFrom       time.Time
	EndedAt         time.Time
	ChangedBy       string
}

// ParcelState is an earlier state of a parcel for parcel_history: the parcel's columns as they were
// from Parcel.ValidFrom until ValidTo.
type ParcelState struct {
	// ParcelIndex is the index of the parcel in Dataset.Parcels.
	ParcelIndex int
	Parcel
	ValidTo time.Time
}

// ConstraintArea is a synthetic restriction (Restriktion) for the constraint_areas table.
type ConstraintArea struct {
	Kind     string // constraint_kind enum
	Severity string // severity enum: minor or severe
	Name     string
	Source   string
	Geom     orb.MultiPolygon
}

// changedBy marks every generated state in the parcels' bookkeeping column.
const changedBy = "landatlas seed --demo"

// Generate makes a demo data set over the given municipalities, placing sites near the junctions
// and the region's economic centres. It does no I/O and is deterministic for its inputs, the seed
// and opt.Now.
func Generate(munis []Municipality, junctions []Junction, opt Options) (*Dataset, error) {
	if len(munis) == 0 {
		return nil, errors.New("demo: no municipalities to place the data in")
	}
	if opt.Parcels < 0 {
		return nil, fmt.Errorf("demo: %d parcels: the number must not be negative", opt.Parcels)
	}
	if opt.Parcels == 0 {
		opt.Parcels = DefaultParcels
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.Now.IsZero() {
		return nil, errors.New("demo: Options.Now is required (the history runs up to it)")
	}
	opt.Now = opt.Now.UTC()
	if opt.Now.Before(historyStart().AddDate(1, 0, 0)) {
		return nil, fmt.Errorf("demo: Options.Now %s is before 2016: the history starts in 2015", opt.Now.Format(time.DateOnly))
	}
	for _, m := range munis {
		if len(m.AGS) != 8 || len(m.DistrictAGS) != 5 || m.AGS[:5] != m.DistrictAGS {
			return nil, fmt.Errorf("demo: municipality %q: AGS %q does not belong to district %q", m.Name, m.AGS, m.DistrictAGS)
		}
	}
	g := newGenerator(munis, junctions, opt)
	if err := g.placeAll(); err != nil {
		return nil, err
	}
	g.assignAttributes()
	g.writeHistory()
	g.addConstraints()
	return g.ds, nil
}
