// The glossary: every technical term of the map, the fact sheet and the exposé with a short
// explanation in German and English. term() puts a term's explanation on hover and keyboard focus
// (a tooltip tied by aria-describedby); the glossary page (/glossary) lists them all.
import {h, replace} from './dom.ts';
import {lang, t} from './i18n.ts';

interface Entry {
	id: string;
	de: [term: string, text: string];
	en: [term: string, text: string];
}

const e = (id: string, de: [string, string], en: [string, string]): Entry => ({id, de, en});

/** entries are the glossary, in reading order. */
export const entries: Entry[] = [
	e('baunvo', ['BauNVO', 'Baunutzungsverordnung: legt fest, welche Art der baulichen Nutzung ein Baugebiet hat (GE, GI, SO, MI …).'],
		['BauNVO', 'German Land Use Ordinance: defines the type of building use of a zone (GE, GI, SO, MI …).']),
	e('GE', ['GE – Gewerbegebiet', 'Für nicht erheblich belästigende Gewerbebetriebe: Handwerk, Lager, Büros, leichte Produktion (§ 8 BauNVO).'],
		['GE – commercial area', 'For businesses that cause no significant nuisance: crafts, storage, offices, light production (§ 8 BauNVO).']),
	e('GI', ['GI – Industriegebiet', 'Für Betriebe, die anderswo unzulässig wären: Produktion mit Lärm, Schichtbetrieb, 24-Stunden-Betrieb (§ 9 BauNVO).'],
		['GI – industrial area', 'For plants not allowed elsewhere: noisy production, shift work, 24-hour operation (§ 9 BauNVO).']),
	e('GEe', ['GEe / GIe – eingeschränkt', 'Gewerbe- bzw. Industriegebiet mit Einschränkungen, meist beim Lärm, zum Schutz der Nachbarschaft.'],
		['GEe / GIe – restricted', 'Commercial or industrial area with restrictions, usually on noise, to protect the neighbourhood.']),
	e('SO', ['SO – Sondergebiet', 'Für einen bestimmten Zweck festgesetzt, z. B. Logistik, Energie, großflächiger Handel (§ 11 BauNVO).'],
		['SO – special use area', 'Zoned for one purpose, e.g. logistics, energy, large retail (§ 11 BauNVO).']),
	e('MI', ['MI – Mischgebiet', 'Wohnen und nicht wesentlich störendes Gewerbe nebeneinander (§ 6 BauNVO).'],
		['MI – mixed area', 'Housing next to businesses that do not disturb it substantially (§ 6 BauNVO).']),
	e('planning', ['Planungsrecht', 'Ob und wie gebaut werden darf: B-Plan rechtskräftig (§ 30 BauGB) oder Innenbereich (§ 34 BauGB) heißt Baurecht heute; B-Plan in Aufstellung oder nur im Flächennutzungsplan heißt später.'],
		['Planning status', 'Whether and how one may build: a binding plan in force (§ 30 BauGB) or inside the built-up area (§ 34 BauGB) means building rights today; a plan in preparation or only the land-use plan (FNP) means later.']),
	e('fnp', ['FNP – Flächennutzungsplan', 'Vorbereitender Plan der Gemeinde für ihr ganzes Gebiet; gibt noch kein Baurecht.'],
		['FNP – preparatory land-use plan', 'The municipality\'s plan for its whole area; it gives no building rights yet.']),
	e('potential', ['Potenzialart', 'Woher die Fläche kommt: Baulücke, Brachfläche (früher genutzt), Konversionsfläche (z. B. ehemals militärisch), Reserve im B-Plan oder FNP, Potenzial ohne Planrecht.'],
		['Kind of potential', 'Where the land comes from: infill gap, brownfield (used before), conversion site (e.g. former military), reserve in a binding or land-use plan, potential without planning rights.']),
	e('grz', ['GRZ – Grundflächenzahl', 'Anteil des Grundstücks, der überbaut werden darf: GRZ 0,8 heißt 80 % der Fläche.'],
		['GRZ – site coverage ratio', 'Share of the plot that may be built on: GRZ 0.8 means 80 % of the area.']),
	e('gfz', ['GFZ – Geschossflächenzahl', 'Summe aller Geschossflächen im Verhältnis zur Grundstücksfläche: GFZ 2,0 auf 1 ha erlaubt 2 ha Geschossfläche.'],
		['GFZ – floor area ratio', 'Total floor area relative to the plot: GFZ 2.0 on 1 ha allows 2 ha of floor space.']),
	e('bmz', ['BMZ – Baumassenzahl', 'Erlaubter umbauter Raum in m³ je m² Grundstück; üblich für Hallen in GE und GI.'],
		['BMZ – building volume ratio', 'Allowed built volume in m³ per m² of plot; usual for halls in GE and GI.']),
	e('noise', ['Lärmkontingent', 'Wie viel Lärm (Emissionskontingent in dB(A) je m², tags und nachts) von der Fläche ausgehen darf; bestimmt, ob z. B. Nachtbetrieb möglich ist.'],
		['Noise contingent', 'How much noise (emission contingent in dB(A) per m², day and night) may come from the plot; decides e.g. whether night operation is possible.']),
	e('serviced', ['Erschließung', 'Anschluss an Straße, Wasser, Abwasser und Energie. Voll erschlossen: sofort bebaubar.'],
		['Utilities (servicing)', 'Connection to roads, water, sewage and energy. Fully serviced: ready to build on.']),
	e('net', ['Fläche netto / brutto', 'Brutto ist die ganze Fläche, netto das nutzbare Bauland ohne Straßen und Grün; wo unbekannt, netto ≈ 0,65 × brutto.'],
		['Net / gross area', 'Gross is the whole area, net the usable building land without roads and green space; where unknown, net ≈ 0.65 × gross.']),
	e('straight', ['Luftlinie', 'Entfernungen sind Luftlinie zum nächsten Punkt (Autobahnanschluss, Güterterminal, Flughafen, Hafen), nicht Straßenkilometer.'],
		['Straight-line distance', 'Distances are as the crow flies to the nearest point (motorway junction, rail terminal, airport, port), not road kilometres.']),
	e('availability', ['Verfügbarkeit', 'Wann die Fläche bebaut werden kann: sofort, kurzfristig (≤ 2 Jahre), mittelfristig (2–5 Jahre), langfristig (> 5 Jahre).'],
		['Availability', 'When the plot can be built on: now, short term (≤ 2 years), medium term (2–5 years), long term (> 5 years).']),
	e('constraints', ['Restriktionen', 'Was die Nutzung einschränkt: Altlasten, Kampfmittel, Hochwasser (HQ100: statistisch alle 100 Jahre), Schutzgebiete, Bergbaufolgen, Lärm, Denkmal.'],
		['Restrictions', 'What limits use: contamination, unexploded ordnance, flood zones (HQ100: statistically once in 100 years), protected areas, mining subsidence, noise, heritage.']),
	e('cluster', ['Mehrere Flächen (Zahl)', 'Auf kleinen Maßstäben werden nahe Flächen zu einem Kreis zusammengefasst: die Zahl nennt, wie viele, die Größe wächst mit ihrer Fläche. Hineinzoomen zeigt sie einzeln.'],
		['Several parcels (number)', 'At small scales nearby parcels are drawn as one circle: the number says how many, its size grows with their area. Zoom in to see them one by one.']),
	e('site', ['Standort', 'Ein Gewerbegebiet oder zusammenhängendes Areal; es besteht aus einer oder mehreren Flächen, die einzeln vermarktet werden.'],
		['Site', 'A business park or coherent area; it consists of one or more parcels marketed one by one.']),
];

/** fieldTerms ties a fact sheet field to its glossary entry. */
export const fieldTerms: Record<string, string> = {
	use_type: 'baunvo', planning_status: 'planning', potential_kind: 'potential', grz: 'grz', gfz: 'gfz', bmz: 'bmz',
	noise_day_db: 'noise', noise_night_db: 'noise', serviced: 'serviced', net_area_ha: 'net', gross_area_ha: 'net',
	dist_motorway_km: 'straight', dist_rail_terminal_km: 'straight', dist_airport_km: 'straight', dist_port_km: 'straight',
	availability: 'availability', constraints: 'constraints', site_name: 'site',
};

let serial = 0;

/** term wraps a label with the explanation of a glossary entry, shown on hover and focus. */
export function term(id: string | undefined, labelText: string): Node {
	const entry = id ? entries.find((x) => x.id === id) : undefined;
	if (!entry) return document.createTextNode(labelText);
	const tipId = `term-tip-${++serial}`;
	return h('span', {class: 'term', tabindex: 0, 'aria-describedby': tipId, 'data-term': entry.id},
		labelText,
		h('span', {class: 'term-tip', role: 'tooltip', id: tipId}, entry[lang()][1]));
}

/** GlossaryPage is the page of all terms (/glossary), in the current language. */
export class GlossaryPage {
	settled: Promise<void> = Promise.resolve();

	constructor(private root: HTMLElement, private onBack: () => void, private onLang: () => void) {
		root.hidden = false;
		this.render();
	}

	render(): void {
		const l = lang();
		document.title = `${t('glossary.title')} – landatlas`;
		this.root.dataset.state = 'ready';
		replace(this.root,
			h('div', {class: 'print-toolbar'},
				h('button', {type: 'button', class: 'button', onclick: () => this.onBack()}, t('list.back')),
				h('button', {type: 'button', class: 'button button-quiet', lang: l === 'de' ? 'en' : 'de', 'aria-label': t('lang.switch.label'), onclick: () => this.onLang()}, t('lang.switch'))),
			h('article', {class: 'glossary'},
				h('h1', {}, t('glossary.title')),
				h('p', {}, t('glossary.intro')),
				h('dl', {class: 'glossary-list'}, entries.flatMap((x) => [
					h('dt', {id: `g-${x.id}`}, x[l][0], l === 'en' ? h('span', {class: 'muted', lang: 'de'}, ` (${x.de[0]})`) : null),
					h('dd', {}, x[l][1]),
				]))));
	}

	destroy(): void {
		this.root.hidden = true;
		replace(this.root);
	}
}
