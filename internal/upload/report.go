package upload

// Status is where an upload stands.
type Status string

// The states of an upload: received -> reading -> checking -> ready | invalid | failed;
// ready -> applied.
const (
	Received Status = "received" // stored, waiting for the worker
	Reading  Status = "reading"  // features are being read and their attributes checked
	Checking Status = "checking" // geometries are being checked and the preview computed
	Ready    Status = "ready"    // checked without errors: the preview can be applied
	Invalid  Status = "invalid"  // checked, with errors: nothing can be applied
	Failed   Status = "failed"   // the file could not be read at all
	Applied  Status = "applied"  // published
)

// Busy reports whether the worker is still at it.
func (s Status) Busy() bool { return s == Received || s == Reading || s == Checking }

// Mode says what a file stands for.
type Mode string

// The modes.
const (
	// Replace: the file is the district's full data set; current parcels missing from it are ended.
	Replace Mode = "replace"
	// Upsert: the file holds some parcels; others stay as they are.
	Upsert Mode = "upsert"
)

// ParseMode checks a mode; the default is upsert, which can never end a parcel by accident.
func ParseMode(s string) (Mode, bool) {
	switch Mode(s) {
	case "", Upsert:
		return Upsert, true
	case Replace:
		return Replace, true
	}
	return "", false
}

// Progress says how far the work on an upload is.
type Progress struct {
	Phase     Status `json:"phase"`
	Read      int    `json:"read"`
	Validated int    `json:"validated"`
	// Total is the number of features when the format tells it in advance.
	Total int `json:"total,omitempty"`
}

// The limits of what a report and a preview list; the counts are always complete.
const (
	ReportedIssues   = 1000
	StoredIssues     = 100000
	PreviewedParcels = 1000
)

// Report is the validation report of an upload.
type Report struct {
	Format   string      `json:"format"`
	Layer    string      `json:"layer,omitempty"`
	CRS      ReportCRS   `json:"crs"`
	Features int         `json:"features"`
	Errors   int         `json:"errors"`
	Warnings int         `json:"warnings"`
	ByRule   []RuleCount `json:"by_rule"`
	Columns  []ColumnUse `json:"columns"`
	Issues   []Issue     `json:"issues"`
	// NotListed counts the issues beyond the first ReportedIssues.
	NotListed int `json:"issues_not_listed,omitempty"`
}

// ReportCRS is the CRS an upload was read in.
type ReportCRS struct {
	SRID   int       `json:"srid,omitempty"`
	Name   string    `json:"name,omitempty"`
	Source CRSSource `json:"source,omitempty"`
}

// RuleCount counts the issues of one rule.
type RuleCount struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Count    int      `json:"count"`
}

// Preview is what applying an upload would change.
type Preview struct {
	Mode      Mode           `json:"mode"`
	New       int            `json:"new"`
	Changed   int            `json:"changed"`
	Unchanged int            `json:"unchanged"`
	Ended     int            `json:"ended"`
	NewList   []ParcelRef    `json:"new_parcels"`
	Changes   []ParcelChange `json:"changed_parcels"`
	Same      []ParcelRef    `json:"unchanged_parcels"`
	EndedList []ParcelRef    `json:"ended_parcels"`
	Listed    int            `json:"listed_per_kind"`
	// Current is how many current parcels the district had at the preview; ConfirmEnded says
	// that the endings are so many that applying needs their number confirmed.
	Current      int  `json:"district_current"`
	ConfirmEnded bool `json:"confirm_ended_required"`
}

// ParcelRef names a parcel of a preview.
type ParcelRef struct {
	Feature    int     `json:"feature,omitempty"`
	ParcelID   int64   `json:"parcel_id,omitempty"`
	ExternalID string  `json:"external_id"`
	Name       string  `json:"name,omitempty"`
	AreaHa     float64 `json:"area_ha"` // of the geometry
	// NetAreaHa is the net area the file gives, if it gives one.
	NetAreaHa *float64 `json:"net_area_ha,omitempty"`
}

// ParcelChange is a changed parcel with each changed field, old and new; geometry shows as its
// area in ha.
type ParcelChange struct {
	ParcelRef
	Fields map[string]Change `json:"fields"`
}

// Change is a field's old and new value.
type Change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// ManyEndings is how many endings one publication may make without the uploader confirming
// their number (it must also stay within a tenth of the district's current parcels).
const ManyEndings = 10

// EndingsNeedConfirmation reports whether ending ended of a district's current parcels is so
// many that the uploader must confirm the number: more than ManyEndings, or more than 10 %.
func EndingsNeedConfirmation(ended, current int) bool {
	return ended > ManyEndings || ended*10 > current
}
