package upload

import (
	"strings"
	"testing"
)

func TestRepairMessagesSayWhatRemains(t *testing.T) {
	tests := []struct {
		name   string
		facts  GeometryFacts
		rule   string
		de, en string
	}{
		{"bowtie: the rings cancel out", GeometryFacts{Valid: false, Reason: "Self-intersection[701000 5690000]", AreaBefore: 0.0001, AreaAfter: 20000, HullArea: 40000, InsideDistrict: 1},
			"geometry.invalid", "Selbstüberschneidung bei 701000, 5690000: nach der Reparatur blieben 50,0 % der Fläche", "Self-intersection at 701000, 5690000: after a repair 50.0 % of the area would remain"},
		{"a loop cut off", GeometryFacts{Valid: false, Reason: "Self-intersection[1 2]", AreaBefore: 10000, AreaAfter: 200, HullArea: 12000, InsideDistrict: 1},
			"geometry.invalid", "nach der Reparatur blieben 2,0 % der Fläche", "after a repair 2.0 % of the area would remain"},
		{"a small loop", GeometryFacts{Valid: false, Reason: "Ring Self-intersection[1 2]", AreaBefore: 10000, AreaAfter: 10050, HullArea: 12000, InsideDistrict: 1},
			"geometry.repaired", "Der Umring berührt sich selbst bei 1, 2", "this changes its area by 0.5 %"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			issues := CheckGeometry(tc.facts, "Saalekreis")
			if len(issues) != 1 || issues[0].Rule != tc.rule {
				t.Fatalf("issues %+v, want one %s", issues, tc.rule)
			}
			if !strings.Contains(issues[0].DE, tc.de) {
				t.Errorf("German message %q, want it to say %q", issues[0].DE, tc.de)
			}
			if !strings.Contains(issues[0].EN, tc.en) {
				t.Errorf("English message %q, want it to say %q", issues[0].EN, tc.en)
			}
			for _, msg := range []string{issues[0].DE, issues[0].EN} {
				for _, absurd := range []string{"100,1", "mehr als 100", "more than 100", "e+"} {
					if strings.Contains(msg, absurd) {
						t.Errorf("message %q has an absurd share", msg)
					}
				}
			}
		})
	}
}

func TestParcelInTwoMunicipalitiesIsAWarningNamingBoth(t *testing.T) {
	f := GeometryFacts{Valid: true, AreaAfter: 20000, InsideDistrict: 1, Municipality: "Merseburg", InMunicipality: 0.52, OtherMunicipality: "Leuna", InOther: 0.48}
	issues := CheckGeometry(f, "Saalekreis")
	if len(issues) != 1 || issues[0].Rule != "geometry.municipality" || issues[0].Severity != Warning {
		t.Fatalf("issues %+v, want one municipality warning", issues)
	}
	if !strings.Contains(issues[0].DE, "52,0 % in Merseburg") || !strings.Contains(issues[0].DE, "48,0 % in Leuna") {
		t.Errorf("message %q does not name both municipalities with their shares", issues[0].DE)
	}
	f.InMunicipality, f.InOther = 0.97, 0.03
	if issues := CheckGeometry(f, "Saalekreis"); len(issues) != 0 {
		t.Errorf("97 %% in one municipality: %+v, want no issue", issues)
	}
}
