package demo

// The hand-entered places this package draws its data around: approximate WGS84 positions read off
// public maps, precise enough for demo data. A test checks every centre lies in the municipality
// named beside it.

// centre is a town or economic hub the generated sites cluster around.
type centre struct {
	name   string
	ags    string // the municipality the point lies in (checked by a test)
	at     wgs
	weight float64 // relative pull within its district
	sigma  float64 // metres: how far its sites spread at the default size
}

// centres are the region's economic centres, strongest around Leipzig – Halle – Bitterfeld-Wolfen
// (domain.md: forecast demand concentrates there).
func centres() []centre {
	return []centre{
		{"Leipzig", "14713000", wgs{12.3731, 51.3397}, 10, 6500},
		{"Leipzig-Nord", "14713000", wgs{12.3600, 51.4050}, 6, 3000},
		{"Halle (Saale)", "15002000", wgs{11.9697, 51.4828}, 6, 4500},
		{"Halle-Ost", "15002000", wgs{12.0350, 51.4920}, 3, 2000},
		{"Schkeuditz", "14730270", wgs{12.2200, 51.3960}, 5, 3000},
		{"Delitzsch", "14730070", wgs{12.3390, 51.5260}, 3, 3000},
		{"Eilenburg", "14730110", wgs{12.6300, 51.4600}, 2, 2500},
		{"Torgau", "14730310", wgs{13.0050, 51.5600}, 1.5, 2500},
		{"Oschatz", "14730230", wgs{13.1070, 51.3000}, 1, 2000},
		{"Taucha", "14730300", wgs{12.4900, 51.3800}, 1.5, 2000},
		{"Markranstädt", "14729270", wgs{12.2200, 51.3020}, 2, 2500},
		{"Böhlen", "14729040", wgs{12.3870, 51.2020}, 2, 2500},
		{"Borna", "14729050", wgs{12.4970, 51.1240}, 1.5, 2500},
		{"Grimma", "14729160", wgs{12.7250, 51.2360}, 1.5, 2500},
		{"Wurzen", "14729410", wgs{12.7390, 51.3700}, 1.5, 2500},
		{"Brandis", "14729070", wgs{12.6100, 51.3350}, 1, 2000},
		{"Bitterfeld-Wolfen", "15082015", wgs{12.3064, 51.6260}, 6, 3500},
		{"Sandersdorf-Brehna", "15082340", wgs{12.2200, 51.5700}, 3, 2500},
		{"Köthen (Anhalt)", "15082180", wgs{11.9700, 51.7500}, 2, 2500},
		{"Zörbig", "15082440", wgs{12.1200, 51.6300}, 1, 2000},
		{"Zerbst/Anhalt", "15082430", wgs{12.0800, 51.9660}, 1, 2000},
		{"Leuna", "15088205", wgs{12.0150, 51.3150}, 5, 3000},
		{"Merseburg", "15088220", wgs{11.9950, 51.3560}, 2, 2500},
		{"Schkopau", "15088330", wgs{11.9550, 51.3900}, 2, 2500},
		{"Landsberg", "15088195", wgs{12.1600, 51.5270}, 2, 2500},
		{"Querfurt", "15088305", wgs{11.6000, 51.3800}, 1, 2000},
		{"Weißenfels", "15084550", wgs{11.9700, 51.2000}, 2.5, 2500},
		{"Zeitz", "15084590", wgs{12.1380, 51.0480}, 2.5, 2500},
		{"Naumburg (Saale)", "15084355", wgs{11.8100, 51.1520}, 1.5, 2500},
		{"Hohenmölsen", "15084235", wgs{12.1000, 51.1600}, 1, 2000},
		{"Sangerhausen", "15087370", wgs{11.3000, 51.4700}, 2, 2500},
		{"Eisleben", "15087130", wgs{11.5500, 51.5280}, 2, 2500},
		{"Hettstedt", "15087220", wgs{11.5050, 51.6450}, 1, 2000},
		{"Altenburg", "16077001", wgs{12.4400, 50.9900}, 2.5, 2500},
		{"Schmölln", "16077043", wgs{12.3500, 50.8950}, 1, 2000},
		{"Meuselwitz", "16077032", wgs{12.3000, 51.0450}, 1, 2000},
		{"Nobitz", "16077036", wgs{12.5000, 50.9750}, 1, 2000},
	}
}

// brownfieldHubs are the old industrial cores where sites are mostly brownfields: the chemical parks
// of Bitterfeld-Wolfen, Leuna and Schkopau, the lignite and refinery sites of Zeitz and Böhlen, the
// copper belt of Mansfeld.
func brownfieldHubs() []wgs {
	return []wgs{
		{12.2900, 51.6350}, // Bitterfeld-Wolfen, chemical park
		{12.0150, 51.3100}, // Leuna
		{11.9600, 51.3950}, // Schkopau (Buna)
		{12.1400, 51.0500}, // Zeitz
		{12.3850, 51.1950}, // Böhlen / Lippendorf
		{11.5000, 51.6500}, // Hettstedt
		{12.4300, 51.0000}, // Altenburg
	}
}

// hydrogenNetwork is the planned hydrogen pipeline, approximately: Leuna – Schkopau – Halle –
// Bitterfeld-Wolfen, and Leuna – Schkeuditz – Leipzig-Nord with a branch to Böhlen.
func hydrogenNetwork() [][]wgs {
	return [][]wgs{
		{{12.0150, 51.3100}, {11.9600, 51.3950}, {12.0300, 51.4900}, {12.1800, 51.5600}, {12.2900, 51.6350}},
		{{12.0150, 51.3100}, {12.2200, 51.3960}, {12.3600, 51.4100}},
		{{12.2200, 51.3000}, {12.3850, 51.1950}},
	}
}

// borderPair asks for two neighbouring sites facing each other across the border between a
// municipality of one district group and one of the other, near a place if one is given: the
// "large sites across borders" a cluster search should find.
type borderPair struct {
	from, to []string // district AGS on either side; the same list means two municipalities of it
	near     *wgs
}

func borderPairs() []borderPair {
	return []borderPair{
		// Schkeuditz / Günthersdorf: Sachsen – Sachsen-Anhalt along the A9.
		{[]string{"14730", "14713", "14729"}, []string{"15088"}, &wgs{12.1800, 51.3700}},
		// Landkreis Leipzig – Altenburger Land: Sachsen – Thüringen south of Borna.
		{[]string{"14729"}, []string{"16077"}, &wgs{12.4200, 51.0600}},
		// Delitzsch / Sandersdorf-Brehna: Sachsen – Sachsen-Anhalt along the A9.
		{[]string{"14730"}, []string{"15082"}, &wgs{12.2600, 51.5600}},
		{[]string{"15002"}, []string{"15088"}, &wgs{12.0600, 51.5100}},
		{[]string{"14713"}, []string{"14729", "14730"}, &wgs{12.4800, 51.2900}},
		{[]string{"15084"}, []string{"15088"}, &wgs{12.0500, 51.2700}},
		{[]string{"15082"}, []string{"15082"}, &wgs{12.2600, 51.6100}},
		{[]string{"15088"}, []string{"15088"}, nil},
	}
}

type districtShare struct {
	ags   string
	share float64
}

// districtShares are the districts' shares of the supply at the default size, weighted towards
// the Leipzig – Halle – Bitterfeld-Wolfen core; at large sizes placement tends towards area shares
// so that nothing runs out of room.
func districtShares() []districtShare {
	return []districtShare{
		{"14713", 0.12}, {"14729", 0.11}, {"14730", 0.14}, {"15002", 0.07}, {"15082", 0.15},
		{"15084", 0.10}, {"15087", 0.06}, {"15088", 0.18}, {"16077", 0.07},
	}
}

// river is a flood-prone river as a rough polyline, downstream.
type river struct {
	name string
	line []wgs
}

func rivers() []river {
	return []river{
		{"Saale", []wgs{{11.7400, 51.1250}, {11.8100, 51.1600}, {11.9700, 51.2050}, {12.0700, 51.2950},
			{11.9950, 51.3550}, {11.9550, 51.4000}, {11.9450, 51.4800}, {11.8500, 51.5600}, {11.8100, 51.5900},
			{11.7700, 51.6700}, {11.6800, 51.7100}, {11.7400, 51.7950}}},
		{"Weiße Elster", []wgs{{12.1400, 51.0400}, {12.2000, 51.1200}, {12.2500, 51.1700}, {12.3300, 51.2300},
			{12.3500, 51.3300}, {12.2200, 51.4000}, {12.1000, 51.4200}, {11.9800, 51.4350}}},
		{"Mulde", []wgs{{12.7350, 51.2200}, {12.7500, 51.2900}, {12.7400, 51.3750}, {12.6400, 51.4600},
			{12.5900, 51.5900}, {12.4100, 51.6300}, {12.3000, 51.6900}, {12.2500, 51.8300}}},
	}
}

// protectedArea is a hand-placed nature reserve or mining area; its outline is drawn at random.
type protectedArea struct {
	kind     string
	severity string
	name     string
	at       wgs
	radius   float64 // metres
}

func protectedAreas() []protectedArea {
	return []protectedArea{
		{"nature_lsg", "minor", "Landschaftsschutzgebiet Dübener Heide", wgs{12.5800, 51.6500}, 6000},
		{"nature_ffh", "severe", "FFH-Gebiet Leipziger Auensystem", wgs{12.3000, 51.3700}, 2500},
		{"nature_ffh", "severe", "FFH-Gebiet Saale-Elster-Aue bei Halle", wgs{11.9900, 51.4250}, 2500},
		{"nature_lsg", "minor", "Landschaftsschutzgebiet Goitzsche", wgs{12.3700, 51.6000}, 3000},
		{"nature_nsg", "severe", "Naturschutzgebiet Süßer See", wgs{11.6700, 51.4950}, 1500},
		{"nature_ffh", "severe", "FFH-Gebiet Gipskarstlandschaft Südharz", wgs{11.0500, 51.5100}, 4000},
		{"nature_nsg", "severe", "Naturschutzgebiet Colditzer Forst", wgs{12.8000, 51.1200}, 2000},
		{"nature_spa", "severe", "Vogelschutzgebiet Elbaue bei Torgau", wgs{13.0100, 51.6000}, 3000},
		{"nature_ffh", "severe", "FFH-Gebiet Leinawald", wgs{12.5200, 50.9800}, 1800},
		{"mining", "severe", "Tagebau Vereinigtes Schleenhain", wgs{12.3700, 51.1300}, 3500},
		{"mining", "minor", "Bergbaufolgelandschaft Zwenkauer See", wgs{12.3200, 51.2200}, 2500},
		{"mining", "minor", "Bergbaufolgelandschaft Borna-Ost", wgs{12.5200, 51.1200}, 2000},
		{"mining", "severe", "Tagebau Profen", wgs{12.2100, 51.1300}, 3000},
		{"mining", "minor", "Bergbaufolgelandschaft Geiseltal", wgs{11.9000, 51.2800}, 3500},
	}
}
