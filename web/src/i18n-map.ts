// Messages of the investor map's additions (issue 16): the base map switch, result export,
// favourites and comparison, in German (the default) and English.

export const mapDe = {
	'basemap.title': 'Grundkarte',
	'basemap.map': 'Karte',
	'basemap.grey': 'Grau',
	'basemap.aerial': 'Luftbild',
	'basemap.none': 'Keine',
	'basemap.loading': 'Grundkarte wird geladen …',
	'basemap.fallback': 'basemap.de nicht erreichbar – eigene Kartenebenen',
	'basemap.own': 'Eigene Kartenebenen: Grenzen, Orte, Verkehrspunkte',
	'basemap.source': 'basemap.de © GeoBasis-DE / BKG',
};

export const mapEn: Record<keyof typeof mapDe, string> = {
	'basemap.title': 'Base map',
	'basemap.map': 'Map',
	'basemap.grey': 'Grey',
	'basemap.aerial': 'Aerial',
	'basemap.none': 'None',
	'basemap.loading': 'Loading the base map …',
	'basemap.fallback': 'basemap.de unreachable – our own layers',
	'basemap.own': 'Our own layers: boundaries, places, transport points',
	'basemap.source': 'basemap.de © GeoBasis-DE / BKG',
};
