package parcel

// NetShareEstimate is the share of gross area taken as net building land where a district gives
// no net area: inside domain.md's 0.60-0.68 band. The database's generated column uses the same.
const NetShareEstimate = 0.65

// SizeClasses are the study's size classes in hectares, by largest contiguous area; each class
// runs from its lower bound (inclusive) to the next one's.
func SizeClasses() []SizeClass {
	return []SizeClass{
		{"<0.5", 0, 0.5}, {"0.5-1", 0.5, 1}, {"1-5", 1, 5}, {"5-10", 5, 10}, {"10-20", 10, 20},
		{"20-50", 20, 50}, {"50-100", 50, 100}, {">=100", 100, 0},
	}
}

// SizeClass is one size class; Max 0 means open-ended.
type SizeClass struct {
	Label    string
	Min, Max float64
}

// SizeClassOf returns the label of the class an area (ha) falls in; the SQL function size_class
// does the same in the database.
func SizeClassOf(ha float64) string {
	classes := SizeClasses()
	for _, c := range classes {
		if c.Max == 0 || ha < c.Max {
			return c.Label
		}
	}
	return classes[len(classes)-1].Label
}
