package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
	"landatlas/internal/upload"
)

// Edit is a change of one parcel made in the browser, or a new parcel drawn there. It goes
// through the pipeline of an upload: EditFile writes it as a one-feature file the importer reads
// and checks, and the upload is previewed and applied like any other.
type Edit struct {
	DistrictAGS string
	// ParcelID and Base name the parcel to change and the state (valid_from) the editor saw;
	// both are zero for a new parcel.
	ParcelID int64
	Base     time.Time
	// Properties are the fields to set, named as landatlas names them (upload.Fields).
	Properties map[string]any
	// Geometry is the new outline as WGS84 GeoJSON, or nil to keep the parcel's.
	Geometry json.RawMessage
}

// EditFile writes an edit as a GeoJSON file in EPSG:25832: an existing parcel's current values
// with the edit's on top (so the file has every required field and the preview shows exactly
// what the edit changes), the outline at full precision. A parcel that changed since Base is a
// Conflict naming what changed.
func (s Uploads) EditFile(ctx context.Context, e Edit) ([]byte, error) {
	props := map[string]any{}
	var geom []byte
	if e.ParcelID != 0 {
		var current []byte
		var ags string
		var ended *time.Time
		err := s.DB.QueryRow(ctx, `
			SELECT district_ags, ended_at, to_jsonb(p) - 'geom', ST_AsGeoJSON(geom, 15)::bytea FROM parcels p WHERE id = $1`, e.ParcelID).
			Scan(&ags, &ended, &current, &geom)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, apperr.New(apperr.NotFound, "there is no parcel %d", e.ParcelID)
		}
		if err != nil {
			return nil, fmt.Errorf("parcel %d: %w", e.ParcelID, err)
		}
		if ags != e.DistrictAGS {
			return nil, apperr.New(apperr.Invalid, "parcel %d belongs to district %s, not %s", e.ParcelID, ags, e.DistrictAGS)
		}
		if ended != nil {
			return nil, apperr.New(apperr.Conflict, "parcel %d was ended (%s): undo its ending first, then edit it", e.ParcelID, ended.Format(time.RFC3339))
		}
		if err := parcelUnchangedSince(ctx, s.DB, e.ParcelID, e.Base); err != nil {
			return nil, err
		}
		var row map[string]any
		if err := json.Unmarshal(current, &row); err != nil {
			return nil, err
		}
		for _, col := range append(upload.Columns(), "external_id") {
			if v, ok := row[col]; ok && v != nil {
				props[col] = v
			}
		}
	}
	for k, v := range e.Properties {
		if _, ok := upload.FieldByName(k); !ok {
			return nil, apperr.New(apperr.Invalid, "%q is not a field of a parcel: use one of the names GET /api/v1/uploads/fields lists", k)
		}
		if e.ParcelID != 0 && k == "external_id" && v != props["external_id"] {
			return nil, apperr.New(apperr.Invalid, "the external id of parcel %d stays %v: a parcel keeps its id", e.ParcelID, props["external_id"])
		}
		props[k] = v
	}
	if len(e.Geometry) > 0 {
		err := s.DB.QueryRow(ctx, `SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326), 25832), 15)::bytea`, string(e.Geometry)).Scan(&geom)
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "the geometry is not a GeoJSON polygon in longitude/latitude: %v", err)
		}
	}
	if geom == nil {
		return nil, apperr.New(apperr.Invalid, "a new parcel needs its outline: draw it on the map")
	}
	doc := map[string]any{
		"type": "FeatureCollection",
		"crs":  map[string]any{"type": "name", "properties": map[string]any{"name": "urn:ogc:def:crs:EPSG::25832"}},
		"features": []any{map[string]any{
			"type": "Feature", "properties": props, "geometry": json.RawMessage(geom),
		}},
	}
	return json.Marshal(doc)
}

// parcelUnchangedSince refuses with a Conflict when a parcel's current state is not the one that
// began at base, naming each field changed since and who changed it.
func parcelUnchangedSince(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, id int64, base time.Time) error {
	var from time.Time
	var by string
	var uploadID *int64
	var then, now []byte
	err := q.QueryRow(ctx, `
		SELECT p.valid_from, p.changed_by, p.upload_id,
		       coalesce((SELECT to_jsonb(v) - $3::text[] FROM parcel_versions v WHERE v.id = p.id AND v.valid_from = $2 LIMIT 1), '{}'),
		       to_jsonb(p) - $3::text[]
		FROM parcels p WHERE p.id = $1`, id, base, versionKeys).Scan(&from, &by, &uploadID, &then, &now)
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.NotFound, "there is no parcel %d", id)
	}
	if err != nil {
		return fmt.Errorf("parcel %d: %w", id, err)
	}
	if from.Equal(base) {
		return nil
	}
	var a, b map[string]any
	_ = json.Unmarshal(then, &a)
	_ = json.Unmarshal(now, &b)
	fields := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if fmt.Sprint(a[k]) != fmt.Sprint(b[k]) {
			if k == "geom" {
				fields["geometry"] = "a new outline"
				continue
			}
			fields[k] = fmt.Sprintf("%v → %v", a[k], b[k])
		}
	}
	var names []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		names = append(names, k+": "+fields[k])
	}
	through := ""
	if uploadID != nil {
		through = fmt.Sprintf(" through upload %d", *uploadID)
	}
	e := apperr.New(apperr.Conflict, "parcel %d was changed meanwhile by %s at %s%s (%s): nothing was saved. Load the parcel again and repeat your change",
		id, by, from.Format(time.RFC3339), through, strings.Join(names, "; "))
	e.Fields = fields
	return e
}

// editBaseHolds refuses to apply an edit whose parcel changed since the editor loaded it.
func editBaseHolds(ctx context.Context, tx pgx.Tx, id int64) error {
	var parcelID *int64
	var base *time.Time
	if err := tx.QueryRow(ctx, `SELECT edit_parcel, edit_base FROM uploads WHERE id = $1`, id).Scan(&parcelID, &base); err != nil {
		return fmt.Errorf("upload %d: %w", id, err)
	}
	if parcelID == nil || base == nil {
		return nil
	}
	return parcelUnchangedSince(ctx, tx, *parcelID, *base)
}

// EndReason is why a parcel is ended: sold, withdrawn, or recorded in error.
type EndReason string

// The reasons for ending a parcel. Sold and withdrawn also set its status, so the take-up and
// the history count them.
const (
	EndSold      EndReason = "sold"
	EndWithdrawn EndReason = "withdrawn"
	EndError     EndReason = "error"
)

// End ends a parcel, with a reason, as an edit of its own: one transaction under the district's
// lock, refused with a Conflict when the parcel changed since base, recorded in the history as an
// upload of kind edit (so undoing it is a revert) and audited.
func (s Uploads) End(ctx context.Context, id int64, base time.Time, reason EndReason, accountID *int64, by string) (Upload, error) {
	status := map[EndReason]string{EndSold: "sold", EndWithdrawn: "withdrawn", EndError: ""}
	st, ok := status[reason]
	if !ok {
		return Upload{}, apperr.New(apperr.Invalid, "reason %q: give sold, withdrawn or error (recorded in error)", reason)
	}
	var editID int64
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		var ags, ext, name string
		var ended *time.Time
		var area float64
		err := tx.QueryRow(ctx, `SELECT district_ags, external_id, name, ended_at, round(gross_area_ha::numeric, 4)::float8 FROM parcels WHERE id = $1`, id).
			Scan(&ags, &ext, &name, &ended, &area)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.New(apperr.NotFound, "there is no parcel %d", id)
		}
		if err != nil {
			return err
		}
		if err := lockDistrict(ctx, tx, ags); err != nil {
			return err
		}
		if ended != nil {
			return apperr.New(apperr.Conflict, "parcel %d was ended already (%s)", id, ended.Format(time.RFC3339))
		}
		if err := parcelUnchangedSince(ctx, tx, id, base); err != nil {
			return err
		}
		preview := upload.Preview{Mode: upload.Upsert, Ended: 1, NewList: []upload.ParcelRef{}, Changes: []upload.ParcelChange{}, Same: []upload.ParcelRef{},
			EndedList: []upload.ParcelRef{{ParcelID: id, ExternalID: ext, Name: name, AreaHa: area}}, Listed: upload.PreviewedParcels}
		d, _ := region.DistrictByAGS(ags)
		err = tx.QueryRow(ctx, `
			INSERT INTO uploads (district_ags, account_id, changed_by, mode, filename, status, kind, edit_parcel, edit_base, preview, message,
			                     progress, previewed_at, applied_at)
			VALUES ($1, $2, $3, 'upsert', $4, 'applied', 'edit', $5, $6, $7, $8, '{"phase": "applied"}', now(), now()) RETURNING id`,
			ags, accountID, by, "Beendet: "+ext, id, base, preview, "ended: "+string(reason)).Scan(&editID)
		if err != nil {
			return fmt.Errorf("record ending of parcel %d: %w", id, err)
		}
		tag, err := tx.Exec(ctx, `
			UPDATE parcels SET ended_at = now(), status = coalesce(nullif($2, '')::parcel_status, status), changed_by = $3, upload_id = $4
			WHERE id = $1 AND ended_at IS NULL`, id, st, by, editID)
		if err != nil {
			return fmt.Errorf("end parcel %d: %w", id, err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("end parcel %d: %d rows ended, want 1", id, tag.RowsAffected())
		}
		return auditTx(ctx, tx, accountID, "parcel.end", fmt.Sprintf("parcel %d", id), map[string]any{
			"district": d.AGS, "by": by, "reason": reason, "upload": editID})
	})
	if err != nil {
		return Upload{}, err
	}
	return s.Get(ctx, editID)
}

// ParcelDistrict returns the district of a parcel and its external id.
func (s Uploads) ParcelDistrict(ctx context.Context, id int64) (ags, externalID string, err error) {
	err = s.DB.QueryRow(ctx, `SELECT district_ags, external_id FROM parcels WHERE id = $1`, id).Scan(&ags, &externalID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", apperr.New(apperr.NotFound, "there is no parcel %d", id)
	}
	if err != nil {
		return "", "", fmt.Errorf("parcel %d: %w", id, err)
	}
	return ags, externalID, nil
}
