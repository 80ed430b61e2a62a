package studyapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"landatlas/internal/apperr"
	"landatlas/internal/auth"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
	"landatlas/internal/region"
	"landatlas/internal/study"
	"landatlas/internal/studystore"
)

// Supply answers GET /api/v1/study/supply: counts and areas grouped by group_by, with shares and
// a link to the parcels behind every group.
func (s *Service) Supply() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "group_by", "min_site_ha", "motorway_km")
		if err != nil {
			return err
		}
		sr, err := supplyRequest(req)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "supply", func(st studystore.Store) (any, error) {
			supply, err := st.Supply(r.Context(), sr)
			link(&supply, req.values.Get("filter-crs"), req.values.Get("as_of"))
			return supply, err
		})
	})
}

func supplyRequest(req request) (studystore.SupplyRequest, error) {
	groups, err := study.ParseGroupBy(req.values.Get("group_by"))
	if err != nil {
		return studystore.SupplyRequest{}, err
	}
	minSite, err := httpx.Number(req.values, "min_site_ha", 5, 0, 10000)
	if err != nil {
		return studystore.SupplyRequest{}, err
	}
	km, err := httpx.Number(req.values, "motorway_km", 5, 0.1, 200)
	if err != nil {
		return studystore.SupplyRequest{}, err
	}
	return studystore.SupplyRequest{Selection: req.sel, GroupBy: groups, MinSiteHa: minSite, MotorwayKm: km}, nil
}

// link sets the links of every group of a supply to its parcels.
func link(supply *study.Supply, filterCRS, asOf string) {
	set := func(g *study.SupplyGroup) {
		g.ParcelsHref = parcelsHref(g.ParcelsFilter, filterCRS, asOf)
		if asOf == "" {
			g.ItemsHref = itemsHref(g.ParcelsFilter, filterCRS)
		}
	}
	set(&supply.Total)
	for i := range supply.Groups {
		set(&supply.Groups[i])
	}
}

// TakeUp answers GET /api/v1/study/take-up: take-up per year and district, its mean over a
// window of full years, and the reach of the marketable reserve.
func (s *Service) TakeUp() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "from_year", "to_year")
		if err != nil {
			return err
		}
		window, err := s.window(req)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "take_up", func(st studystore.Store) (any, error) {
			return st.TakeUp(r.Context(), req.sel, window)
		})
	})
}

// window reads from_year and to_year, defaulting to the five full years before as_of.
func (s *Service) window(req request) (study.Window, error) {
	at := req.sel.AsOf
	if at.IsZero() {
		at = s.now()
	}
	w := study.DefaultWindow(at)
	var err error
	if w.From, err = httpx.Integer(req.values, "from_year", w.From, 1990, 2100); err != nil {
		return w, err
	}
	if w.To, err = httpx.Integer(req.values, "to_year", w.To, 1990, 2100); err != nil {
		return w, err
	}
	return w, w.Check(at)
}

// Balance answers GET /api/v1/study/balance: the demand to target_year by the trend and, with
// employment inputs, by jobs, and with demand=enquiries (planners and admins) by the net area
// investors' enquiries asked for, balanced against the reserve per district and for the scope.
func (s *Service) Balance() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "from_year", "to_year", "target_year", "margin", "employment", "demand")
		if err != nil {
			return err
		}
		window, err := s.window(req)
		if err != nil {
			return err
		}
		in, enquiries, err := s.balanceInputs(r, req)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "balance", func(st studystore.Store) (any, error) {
			tu, err := st.TakeUp(r.Context(), req.sel, window)
			b := study.BuildBalance(tu, in)
			if enquiries != nil {
				b.AddEnquiries(*enquiries)
			}
			return b, err
		})
	})
}

// mayReadEnquiries refuses the demand from enquiries to all but planners and admins: the public
// sees no enquiry data, and an editor sees only the enquiries routed to the own district, whereas
// the figures count all of them.
func mayReadEnquiries(r *http.Request) error {
	p := auth.FromContext(r.Context())
	switch {
	case p == nil:
		return apperr.New(apperr.Unauthorized, "demand=enquiries counts investors' enquiries, which planners and admins see: sign in with a bearer token, or leave out demand")
	case p.Role != auth.Planner && p.Role != auth.Admin:
		return apperr.New(apperr.Forbidden, "demand=enquiries counts the enquiries of every district, which planners and admins see, not %s accounts: leave out demand", p.Role)
	}
	return nil
}

// balanceInputs reads and checks the demand inputs of a balance and, where demand=enquiries
// asks for it, reads the demand from the enquiries routed to the scope's districts.
func (s *Service) balanceInputs(r *http.Request, req request) (study.DemandInputs, *study.EnquiryDemand, error) {
	in, err := demandInputs(req.values)
	if err != nil {
		return in, nil, err
	}
	var districts []string
	for _, d := range req.sel.Scope.DistrictsIn() {
		districts = append(districts, d.AGS)
	}
	at := req.sel.AsOf
	if at.IsZero() {
		at = s.now()
	}
	if err := in.Check(at, districts); err != nil {
		return in, nil, err
	}
	if !in.Enquiries {
		return in, nil, nil
	}
	if err := mayReadEnquiries(r); err != nil {
		return in, nil, err
	}
	if err := study.CheckEnquiryScope(req.sel.Scope, req.sel.Filter); err != nil {
		return in, nil, err
	}
	d, err := s.enquiries.Demand(r.Context(), enquiryDistricts(req.sel.Scope))
	return in, &d, err
}

// enquiryDistricts are the districts whose enquiries a scope counts: nil for the whole region,
// which counts the enquiries routed to no district too.
func enquiryDistricts(scope study.Scope) []string {
	if scope.IsRegion() {
		return nil
	}
	districts := []string{}
	for _, d := range scope.DistrictsIn() {
		districts = append(districts, d.AGS)
	}
	return districts
}

// demandInputs reads target_year, margin, employment ("15088:1200:0.02,all:5000:0.025":
// district or all, jobs, hectares per job) and demand (trend, the default, or enquiries beside it).
func demandInputs(v url.Values) (study.DemandInputs, error) {
	var in study.DemandInputs
	var err error
	switch v.Get("demand") {
	case "", "trend":
	case "enquiries":
		in.Enquiries = true
	default:
		return in, httpx.Invalid("demand", "%q is not allowed; use trend (the default) or enquiries (the demand from enquiries beside the trend)", v.Get("demand"))
	}
	if in.TargetYear, err = httpx.Integer(v, "target_year", study.DefaultTargetYear, 1990, 2200); err != nil {
		return in, err
	}
	if in.Margin, err = httpx.Number(v, "margin", 0, 0, 2); err != nil {
		return in, err
	}
	for _, item := range strings.Split(v.Get("employment"), ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		parts := strings.Split(item, ":")
		bad := apperr.New(apperr.Invalid, "employment: %q: give district:jobs:ha_per_job, e.g. 15088:1200:0.02 or all:5000:0.02", item)
		if len(parts) != 3 {
			return in, bad
		}
		e := study.EmploymentInput{DistrictAGS: parts[0]}
		if e.DistrictAGS == "all" {
			e.DistrictAGS = ""
		} else if _, ok := region.DistrictByAGS(e.DistrictAGS); !ok {
			return in, bad
		}
		if e.Jobs, err = httpx.ParseNumber("employment", parts[1]); err != nil {
			return in, bad
		}
		if e.HaPerJob, err = httpx.ParseNumber("employment", parts[2]); err != nil {
			return in, bad
		}
		in.Employment = append(in.Employment, e)
	}
	return in, nil
}

// LargeSites answers GET /api/v1/study/large-sites: neighbouring available parcels merged across
// borders into candidate sites of at least min_net_ha, and (for planners) the strategic reserves.
func (s *Service) LargeSites() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "distance_m", "min_net_ha")
		if err != nil {
			return err
		}
		opt := study.LargeSiteOptions{}
		if opt.DistanceM, err = httpx.Number(req.values, "distance_m", study.DefaultClusterDistanceM, 0, 1000); err != nil {
			return err
		}
		if opt.MinNetHa, err = httpx.Number(req.values, "min_net_ha", study.DefaultLargeSiteMinHa, 0.01, 10000); err != nil {
			return err
		}
		return s.respond(w, r, req, "large_sites", func(st studystore.Store) (any, error) {
			return st.LargeSites(r.Context(), req.sel, opt)
		})
	})
}

// Nearby answers GET /api/v1/study/nearby: the parcels within distance_m of a point (lon,lat in
// WGS84) or a parcel, and/or the k nearest, with distances in metres.
func (s *Service) Nearby() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "point", "parcel", "distance_m", "k", "offset")
		if err != nil {
			return err
		}
		nr, err := nearbyRequest(req)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "nearby", func(st studystore.Store) (any, error) {
			return st.Nearby(r.Context(), nr)
		})
	})
}

func nearbyRequest(req request) (studystore.NearbyRequest, error) {
	v := req.values
	nr := studystore.NearbyRequest{Selection: req.sel}
	point, parcel := v.Get("point"), v.Get("parcel")
	switch {
	case (point == "") == (parcel == ""):
		return nr, apperr.New(apperr.Invalid, "give either point=lon,lat (WGS84) or parcel=<id>")
	case parcel != "":
		id, err := strconv.ParseInt(parcel, 10, 64)
		if err != nil || id <= 0 {
			return nr, httpx.Invalid("parcel", "%q is not allowed; give a parcel id", parcel)
		}
		nr.ParcelID = id
	default:
		lon, lat, ok := strings.Cut(point, ",")
		var err1, err2 error
		nr.Lon, err1 = httpx.ParseNumber("point", lon)
		nr.Lat, err2 = httpx.ParseNumber("point", lat)
		if !ok || err1 != nil || err2 != nil || nr.Lon < -180 || nr.Lon > 180 || nr.Lat < -90 || nr.Lat > 90 {
			return nr, httpx.Invalid("point", "%q is not allowed; give lon,lat in WGS84, e.g. 12.18,51.43", point)
		}
	}
	var err error
	if nr.DistanceM, err = httpx.Number(v, "distance_m", 0, 0, 50000); err != nil {
		return nr, err
	}
	defK := 0
	if nr.DistanceM == 0 {
		defK = 10
	}
	if nr.K, err = httpx.Integer(v, "k", defK, 0, 1000); err != nil {
		return nr, err
	}
	if nr.DistanceM == 0 && nr.K == 0 {
		return nr, apperr.New(apperr.Invalid, "give distance_m, k or both")
	}
	if nr.Offset, err = httpx.Integer(v, "offset", 0, 0, 1_000_000); err != nil {
		return nr, err
	}
	return nr, nil
}

// Constraints answers GET /api/v1/study/constraints: how much of the selection lies in each kind
// and severity of constraint, and a page of the constrained parcels with their shares.
func (s *Service) Constraints() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "limit", "offset")
		if err != nil {
			return err
		}
		limit, offset, err := page(req.values, 100, 1000)
		if err != nil {
			return err
		}
		return s.respond(w, r, req, "constraints", func(st studystore.Store) (any, error) {
			return st.Overlay(r.Context(), req.sel, limit, offset)
		})
	})
}

// Parcels answers GET /api/v1/study/parcels: the parcels of a selection as GeoJSON, the list
// behind any figure (its parcels_href), at the figure's date.
func (s *Service) Parcels() http.HandlerFunc {
	return problem.Handler(s.log, func(w http.ResponseWriter, r *http.Request) error {
		req, err := s.parse(r, "limit", "offset")
		if err != nil {
			return err
		}
		limit, offset, err := page(req.values, 1000, 10000)
		if err != nil {
			return err
		}
		var body []byte
		err = s.store.Snapshot(r.Context(), func(st studystore.Store) error {
			body, err = st.ParcelsGeoJSON(r.Context(), req.sel, limit, offset)
			return err
		})
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, _ = w.Write(body)
		return nil
	})
}
