// The code lists of the public parcel attributes with German and English labels, mirrored from
// internal/parcel/codes.go (a Go test there checks the two agree; the order is the display order).

/** Code is one value of a code list with its labels. */
export interface Code {
	value: string;
	de: string;
	en: string;
}

const c = (value: string, de: string, en: string): Code => ({value, de, en});

export const useTypes: Code[] = [
	c('GE', 'Gewerbegebiet (GE)', 'Commercial area (GE)'),
	c('GI', 'Industriegebiet (GI)', 'Industrial area (GI)'),
	c('SO', 'Sondergebiet (SO)', 'Special use area (SO)'),
	c('MI', 'Mischgebiet (MI)', 'Mixed area (MI)'),
	c('GEe', 'Eingeschränktes Gewerbegebiet (GEe)', 'Restricted commercial area (GEe)'),
	c('GIe', 'Eingeschränktes Industriegebiet (GIe)', 'Restricted industrial area (GIe)'),
];

export const planningStatuses: Code[] = [
	c('in_force', 'B-Plan rechtskräftig (§ 30 BauGB)', 'Binding land-use plan in force (§ 30 BauGB)'),
	c('in_preparation', 'B-Plan in Aufstellung', 'Binding land-use plan in preparation'),
	c('built_up_area', 'Innenbereich (§ 34 BauGB)', 'Inside built-up area (§ 34 BauGB)'),
	c('land_use_plan', 'Nur im Flächennutzungsplan', 'Only in the preparatory land-use plan (FNP)'),
	c('none', 'Kein Planungsrecht', 'No planning rights'),
];

/** buildingRights are the planning states that give building rights today (§ 30 and § 34 BauGB). */
export const buildingRights = ['in_force', 'built_up_area'];

export const availabilities: Code[] = [
	c('now', 'sofort', 'now'),
	c('short_term', 'kurzfristig (≤ 2 Jahre)', 'short term (≤ 2 years)'),
	c('medium_term', 'mittelfristig (2–5 Jahre)', 'medium term (2–5 years)'),
	c('long_term', 'langfristig (> 5 Jahre)', 'long term (> 5 years)'),
	c('not_available', 'nicht verfügbar', 'not available'),
];

export const statuses: Code[] = [
	c('offered', 'angeboten', 'on offer'),
	c('reserved', 'reserviert', 'reserved'),
	c('sold', 'vermarktet', 'sold / let'),
	c('company_held', 'betriebsgebunden', 'held by a company for expansion'),
	c('withdrawn', 'zurückgezogen', 'withdrawn'),
];

export const potentialKinds: Code[] = [
	c('infill_gap', 'Baulücke', 'Infill gap'),
	c('brownfield', 'Brachfläche', 'Brownfield'),
	c('conversion', 'Konversionsfläche', 'Conversion site'),
	c('reserve_bplan', 'Reserve im B-Plan', 'Reserve in a binding plan'),
	c('reserve_fnp', 'Reserve im FNP', 'Reserve in the land-use plan'),
	c('no_planning_rights', 'Potenzial ohne Planrecht', 'Potential without planning rights'),
];

export const servicedStates: Code[] = [
	c('full', 'voll erschlossen', 'fully serviced'),
	c('partial', 'teilweise erschlossen', 'partly serviced'),
	c('none', 'nicht erschlossen', 'not serviced'),
];

export const infrastructureKinds: Code[] = [
	c('motorway_junction', 'Autobahnanschlussstelle', 'Motorway junction'),
	c('rail_freight_terminal', 'Güterverkehrsterminal (Schiene)', 'Rail freight terminal'),
	c('rail_station', 'Bahnhof', 'Rail station'),
	c('airport', 'Flughafen', 'Airport'),
	c('inland_port', 'Binnenhafen', 'Inland port'),
];

export const constraintKinds: Code[] = [
	c('contamination', 'Altlasten', 'Contamination'),
	c('ordnance', 'Kampfmittel', 'Unexploded ordnance'),
	c('flood_hq100', 'Überschwemmungsgebiet HQ100', 'Flood zone HQ100'),
	c('flood_hqextreme', 'Hochwasserrisikogebiet HQextrem', 'Flood risk zone HQextreme'),
	c('nature_nsg', 'Naturschutzgebiet (NSG)', 'Nature reserve (NSG)'),
	c('nature_ffh', 'FFH-Gebiet', 'Habitats Directive site (FFH)'),
	c('nature_spa', 'Vogelschutzgebiet (SPA)', 'Bird protection area (SPA)'),
	c('nature_lsg', 'Landschaftsschutzgebiet (LSG)', 'Landscape protection area (LSG)'),
	c('water_protection', 'Wasserschutzgebiet', 'Water protection zone'),
	c('mining', 'Bergbaufolgen', 'Mining legacy / subsidence'),
	c('noise', 'Lärm', 'Noise'),
	c('seveso', 'Seveso-Abstand', 'Seveso safety distance'),
	c('monument', 'Denkmal', 'Listed monument'),
];

export const severities: Code[] = [c('minor', 'gering', 'minor'), c('severe', 'schwerwiegend', 'severe')];

export const lands: Code[] = [
	c('Sachsen', 'Sachsen', 'Saxony'),
	c('Sachsen-Anhalt', 'Sachsen-Anhalt', 'Saxony-Anhalt'),
	c('Thüringen', 'Thüringen', 'Thuringia'),
];

/** districts are the nine districts of the project group, labelled as people tell the two Leipzigs apart. */
export const districts: Code[] = [
	c('14713', 'Leipzig', 'Leipzig'),
	c('14729', 'Landkreis Leipzig', 'Leipzig district'),
	c('14730', 'Nordsachsen', 'Nordsachsen'),
	c('15002', 'Halle (Saale)', 'Halle (Saale)'),
	c('15082', 'Anhalt-Bitterfeld', 'Anhalt-Bitterfeld'),
	c('15084', 'Burgenlandkreis', 'Burgenlandkreis'),
	c('15087', 'Mansfeld-Südharz', 'Mansfeld-Südharz'),
	c('15088', 'Saalekreis', 'Saalekreis'),
	c('16077', 'Altenburger Land', 'Altenburger Land'),
];

/** sizeClasses are the study's size classes (ha), as the API labels them. */
export const sizeClasses = ['<0.5', '0.5-1', '1-5', '5-10', '10-20', '20-50', '50-100', '>=100'];

/** utilities are the boolean utility attributes a parcel may offer, in display order. */
export const utilities = ['rail_siding', 'hydrogen', 'gas', 'water', 'process_water', 'waste_water', 'district_heat'] as const;

/** ownerships, ownerWillingness and publications are internal attributes, shown to signed-in readers only. */
export const ownerships: Code[] = [
	c('municipal', 'kommunal', 'municipal'),
	c('land', 'Land', 'federal state'),
	c('federal', 'Bund', 'federal government'),
	c('development_company', 'Entwicklungsgesellschaft', 'development company'),
	c('private', 'privat', 'private'),
	c('mixed', 'gemischt', 'mixed'),
	c('unknown', 'unbekannt', 'unknown'),
];

export const ownerWillingness: Code[] = [c('yes', 'ja', 'yes'), c('no', 'nein', 'no'), c('unknown', 'unbekannt', 'unknown')];

export const publications: Code[] = [c('public', 'öffentlich', 'public'), c('internal', 'intern', 'internal')];

/** roles are the kinds of accounts (internal/auth). */
export const roles: Code[] = [
	c('planner', 'Planung', 'planner'),
	c('editor', 'Kreis-Redaktion', 'district editor'),
	c('admin', 'Administration', 'administrator'),
];
