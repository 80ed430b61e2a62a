package demo

import (
	"slices"
	"time"
)

// Figures are the headline numbers of a data set, computed the study's way (domain.md "Study
// metrics"): for the command's summary and for checking a data set against the study.
type Figures struct {
	Sites, Parcels, HistoryStates, ConstraintAreas int
	// LargeSites counts the sites of at least 5 ha gross; LargeSitesHa is their gross area.
	LargeSites   int
	LargeSitesHa float64
	// StrategicReserveHa is the gross area of the strategic reserve sites.
	StrategicReserveHa float64
	// OfferedNetHa is the reserve: the net area of the current parcels on offer.
	OfferedNetHa float64
	// TakeUp is the net area that became sold in each year, oldest first.
	TakeUp []YearTakeUp
	// DistrictsWithOffer lists the districts (AGS, sorted) with at least one parcel on offer.
	DistrictsWithOffer []string
}

// YearTakeUp is the take-up (Flächenumsatz) of one year in net hectares.
type YearTakeUp struct {
	Year int
	Ha   float64
}

// Figures computes the data set's headline numbers as of now.
func (d *Dataset) Figures(now time.Time) Figures {
	f := Figures{Sites: len(d.Sites), Parcels: len(d.Parcels), HistoryStates: len(d.History), ConstraintAreas: len(d.Constraints)}
	for _, s := range d.Sites {
		ha := multiPolygonArea(s.Geom) / 1e4
		if ha >= 5 {
			f.LargeSites++
			f.LargeSitesHa += ha
		}
		if s.StrategicReserve {
			f.StrategicReserveHa += ha
		}
	}
	for y := historyStartYear; y <= now.Year(); y++ {
		f.TakeUp = append(f.TakeUp, YearTakeUp{Year: y})
	}
	// A parcel became sold when a sold state follows a state that was not sold.
	sold := func(p *Parcel, wasSold bool) {
		if p.Status != "sold" || wasSold {
			return
		}
		if y := p.ValidFrom.Year() - historyStartYear; y >= 0 && y < len(f.TakeUp) {
			f.TakeUp[y].Ha += netHa(p, multiPolygonArea(p.Geom)/1e4)
		}
	}
	// History states are written newest first per parcel; order them by time to see transitions.
	states := make([][]*Parcel, len(d.Parcels))
	for k := range d.History {
		h := &d.History[k]
		states[h.ParcelIndex] = append(states[h.ParcelIndex], &h.Parcel)
	}
	for i := range d.Parcels {
		p := &d.Parcels[i]
		seq := append(states[i], p)
		slices.SortStableFunc(seq, func(a, b *Parcel) int { return a.ValidFrom.Compare(b.ValidFrom) })
		for k, s := range seq {
			sold(s, k > 0 && seq[k-1].Status == "sold")
		}
		if p.Status == "offered" && p.EndedAt.IsZero() {
			f.OfferedNetHa += netHa(p, multiPolygonArea(p.Geom)/1e4)
			if !slices.Contains(f.DistrictsWithOffer, p.DistrictAGS) {
				f.DistrictsWithOffer = append(f.DistrictsWithOffer, p.DistrictAGS)
			}
		}
	}
	slices.Sort(f.DistrictsWithOffer)
	return f
}
