package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"landatlas/internal/apperr"
	"landatlas/internal/query"
	"landatlas/internal/upload"
)

// ParcelHistory answers for the versions of a parcel.
type ParcelHistory struct{ DB *pgxpool.Pool }

// ParcelVersion is one state of a parcel and how it differs from the one before.
type ParcelVersion struct {
	Version   int        `json:"version"`
	ValidFrom time.Time  `json:"valid_from"`
	ValidTo   *time.Time `json:"valid_to"`
	// Who, and through which upload; only signed-in readers see them.
	ChangedBy string     `json:"changed_by,omitempty"`
	UploadID  *int64     `json:"upload_id,omitempty"`
	EndedAt   *time.Time `json:"ended_at,omitempty"`
	// Changes holds each field that differs from the previous version (all fields of the first),
	// with its old and new value; a new outline shows as geometry with the areas in ha.
	Changes map[string]upload.Change `json:"changes"`
}

// bookkeeping are the columns of a version that are not its content.
var bookkeeping = []string{"geom", "valid_from", "valid_to", "changed_by", "upload_id", "history_id",
	"dist_motorway_m", "dist_rail_terminal_m", "dist_airport_m", "dist_port_m"}

// Versions returns the versions of a parcel, oldest first. A reader who does not see internal
// records (the public) gets only public fields of the versions in which the parcel was public,
// and a parcel that is internal now is not found.
func (s ParcelHistory) Versions(ctx context.Context, id int64, internal bool) ([]ParcelVersion, error) {
	// The query core decides whether the reader may see the parcel at all: for the public, the
	// parcel is public now and was public in some state.
	a := &query.Args{}
	sel, err := query.Selection{Collection: parcelsCollection, Internal: internal, Time: query.AllVersions(), IDs: []int64{id}}.Build(a)
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := s.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+sel.From+sel.WhereClause()+`)`, a.Values()...).Scan(&exists); err != nil {
		return nil, fmt.Errorf("parcel %d: %w", id, err)
	}
	if !exists {
		return nil, apperr.New(apperr.NotFound, "there is no parcel %d", id)
	}
	// The site id is the catalog's: the public sees the ids of public sites only.
	site, _ := parcelsCollection.Property("site_id", internal)
	rows, err := s.DB.Query(ctx, `
		SELECT t.valid_from, t.valid_to, t.ended_at, t.changed_by, t.upload_id, t.publication::text,
		       to_jsonb(t) - $2::text[] || jsonb_build_object('site_id', `+site.PropertySQL(internal)+`),
		       md5(ST_AsBinary(t.geom)), round((ST_Area(t.geom) / 1e4)::numeric, 4)::float8
		FROM `+parcelsCollection.FromClauseVersions()+` WHERE t.id = $1 ORDER BY t.valid_from`, id, bookkeeping)
	if err != nil {
		return nil, fmt.Errorf("history of parcel %d: %w", id, err)
	}
	type state struct {
		v        ParcelVersion
		public   bool
		fields   map[string]any
		geomHash string
		areaHa   float64
	}
	states, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (state, error) {
		var st state
		var pub string
		var content []byte
		err := r.Scan(&st.v.ValidFrom, &st.v.ValidTo, &st.v.EndedAt, &st.v.ChangedBy, &st.v.UploadID, &pub, &content, &st.geomHash, &st.areaHa)
		if err != nil {
			return st, err
		}
		st.public = pub == "public"
		return st, json.Unmarshal(content, &st.fields)
	})
	if err != nil {
		return nil, fmt.Errorf("history of parcel %d: %w", id, err)
	}
	visible := visibleParcelFields(internal)
	var out []ParcelVersion
	var prev *state
	for i := range states {
		st := &states[i]
		if !internal && !st.public {
			continue
		}
		v := st.v
		v.Changes = map[string]upload.Change{}
		for k, val := range st.fields {
			if !visible[k] {
				continue
			}
			var old any
			if prev != nil {
				old = prev.fields[k]
			}
			if (prev == nil && val != nil) || (prev != nil && !reflect.DeepEqual(old, val)) {
				v.Changes[k] = upload.Change{Old: old, New: val}
			}
		}
		if prev == nil || prev.geomHash != st.geomHash {
			var old any
			if prev != nil {
				old = map[string]float64{"area_ha": prev.areaHa}
			}
			v.Changes["geometry"] = upload.Change{Old: old, New: map[string]float64{"area_ha": st.areaHa}}
		}
		if !internal {
			v.ChangedBy, v.UploadID, v.EndedAt = "", nil, nil
			if prev != nil && len(v.Changes) == 0 {
				prev = st
				continue
			}
		}
		v.Version = len(out) + 1
		out = append(out, v)
		prev = st
	}
	return out, nil
}

// visibleParcelFields are the parcel columns a reader may see: the published properties of the
// parcels collection (the public ones only for the public), plus, for signed-in readers, the
// content columns the collection derives its properties from.
func visibleParcelFields(internal bool) map[string]bool {
	visible := map[string]bool{}
	for _, p := range parcelsCollection.Visible(internal) {
		visible[p.Name] = true
	}
	if internal {
		for _, col := range upload.Columns() {
			visible[col] = true
		}
		visible["municipality_ags"], visible["ended_at"] = true, true
	}
	return visible
}
