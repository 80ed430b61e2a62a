package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"landatlas/internal/apperr"
	"landatlas/internal/region"
	"landatlas/internal/upload"
)

// Confirmation says which current parcels of a district an editor confirms as still current:
// the listed ids, or with All every one of the district.
type Confirmation struct {
	DistrictAGS string
	IDs         []int64
	All         bool
	AccountID   *int64
	By          string
}

// Confirm records that parcels are still current: their last_confirmed becomes today, nothing
// else changes, and each gets a version in its history made by an upload of kind confirm (so a
// confirmation is undone like any upload). Parcels confirmed today already are left as they are,
// unless a monitoring campaign opened since their version began: then the confirmation is
// recorded again, as the district's answer to the campaign.
// An id that is not a current parcel of the district is refused, and then nothing is confirmed.
func (s Uploads) Confirm(ctx context.Context, c Confirmation) (Upload, error) {
	if !c.All && len(c.IDs) == 0 {
		return Upload{}, apperr.New(apperr.Invalid, "name the parcels to confirm (ids), or confirm the whole district (all)")
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := lockDistrict(ctx, tx, c.DistrictAGS); err != nil {
			return err
		}
		if !c.All {
			rows, err := tx.Query(ctx, `
				SELECT x FROM unnest($1::bigint[]) x
				WHERE NOT EXISTS (SELECT 1 FROM parcels p WHERE p.id = x AND p.district_ags = $2 AND p.ended_at IS NULL)
				ORDER BY x`, c.IDs, c.DistrictAGS)
			if err != nil {
				return fmt.Errorf("check parcels to confirm: %w", err)
			}
			missing, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return fmt.Errorf("check parcels to confirm: %w", err)
			}
			if len(missing) > 0 {
				district, _ := region.DistrictByAGS(c.DistrictAGS)
				names := make([]string, 0, min(len(missing), 20))
				for _, m := range missing[:min(len(missing), 20)] {
					names = append(names, fmt.Sprint(m))
				}
				return apperr.New(apperr.Invalid, "%d of the parcels to confirm are not current parcels of %s: %s; nothing was confirmed",
					len(missing), district.Label(), strings.Join(names, ", "))
			}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO uploads (district_ags, account_id, changed_by, mode, filename, status, kind, progress, previewed_at, applied_at)
			VALUES ($1, $2, $3, 'upsert', 'Bestätigung', 'applied', 'confirm', '{"phase": "applied"}', now(), now()) RETURNING id`,
			c.DistrictAGS, c.AccountID, c.By).Scan(&id)
		if err != nil {
			return fmt.Errorf("record confirmation: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			UPDATE parcels SET last_confirmed = current_date, changed_by = $3, upload_id = $4
			WHERE district_ags = $1 AND ended_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY ($2))
			  AND (last_confirmed IS DISTINCT FROM current_date
			       OR valid_from < (SELECT max(opened_at) FROM campaigns WHERE closed_at IS NULL))`, c.DistrictAGS, idsOrAll(c), c.By, id)
		if err != nil {
			return fmt.Errorf("confirm parcels of %s: %w", c.DistrictAGS, err)
		}
		n := int(tag.RowsAffected())
		preview := upload.Preview{Mode: upload.Upsert, Changed: n, NewList: []upload.ParcelRef{}, Same: []upload.ParcelRef{},
			EndedList: []upload.ParcelRef{}, Listed: upload.PreviewedParcels}
		rows, err := tx.Query(ctx, `
			SELECT id, external_id, name, round(gross_area_ha::numeric, 4)::float8 FROM parcels WHERE upload_id = $1 ORDER BY external_id LIMIT $2`,
			id, upload.PreviewedParcels)
		if err != nil {
			return err
		}
		preview.Changes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (upload.ParcelChange, error) {
			var pc upload.ParcelChange
			err := r.Scan(&pc.ParcelID, &pc.ExternalID, &pc.Name, &pc.AreaHa)
			return pc, err
		})
		if err != nil {
			return fmt.Errorf("confirmed parcels: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE uploads SET preview = $2 WHERE id = $1`, id, preview); err != nil {
			return err
		}
		return auditTx(ctx, tx, c.AccountID, "parcels.confirm", fmt.Sprintf("upload %d", id), map[string]any{
			"district": c.DistrictAGS, "by": c.By, "all": c.All, "confirmed": n})
	})
	if err != nil {
		return Upload{}, err
	}
	return s.Get(ctx, id)
}

// idsOrAll is the id list of a confirmation as a bind value: NULL for the whole district.
func idsOrAll(c Confirmation) any {
	if c.All {
		return nil
	}
	ids := slices.Clone(c.IDs)
	slices.Sort(ids)
	return slices.Compact(ids)
}
