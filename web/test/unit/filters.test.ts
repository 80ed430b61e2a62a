// The map's filters and their CQL2, with the flags of a registry as the server serves it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {flags, type Catalog, type Field} from '../../src/catalog.ts';
import {activeCount, cql2, defaultFilters, fromParams, toParams} from '../../src/filters.ts';

const flag = (name: string, de: string, en: string, extra: Partial<Field> = {}): Field => ({
	name, type: 'boolean', label: {de, en}, description: {de: '', en: ''}, queryable: true, flag: true, ...extra,
});

const registry: Catalog = {
	parcels: [
		{name: 'net_area_ha', type: 'number', unit: 'ha', label: {de: 'Fläche netto', en: 'Net area'}, description: {de: '', en: ''}, queryable: true},
		flag('rail_siding', 'Gleisanschluss', 'Rail siding'),
		flag('hydrogen', 'Wasserstoffanschluss', 'Hydrogen access'),
		flag('operation_24h', '24/7-Betrieb zulässig', '24-hour operation allowed'),
		flag('not_filterable', 'x', 'x', {queryable: false}),
	],
	sites: [], code_lists: {}, sheet_sections: [],
};
const flagNames = flags(registry).map((f) => f.name);

test('the flags are the registry fields marked as flags that can be queried, in its order', () => {
	assert.deepEqual(flagNames, ['rail_siding', 'hydrogen', 'operation_24h']);
});

test('the default filters ask for the parcels on offer', () => {
	assert.equal(cql2(defaultFilters(), flagNames), "status = 'offered'");
	assert.equal(activeCount(defaultFilters()), 0);
});

test('a flag of the registry becomes a condition; one it does not hold is left out', () => {
	const f = {...defaultFilters(), status: [], flags: ['operation_24h', 'rail_siding', 'nightshift']};
	assert.equal(cql2(f, flagNames), 'operation_24h = TRUE AND rail_siding = TRUE');
});

test('filters combine into one CQL2 text with quoted literals', () => {
	const f = {
		...defaultFilters(), district: '15088', status: ['offered', 'reserved'], use: ['GI', 'SO'], minHa: 2, maxMotorwayKm: 10,
		availableBy: '2027-06-30', name: "O'Brien 50%", flags: ['operation_24h'],
	};
	assert.equal(cql2(f, flagNames),
		"district_ags = '15088' AND status IN ('offered', 'reserved') AND use_type IN ('GI', 'SO') AND " +
		"(availability = 'now' OR available_from <= DATE('2027-06-30')) AND net_area_ha >= 2 AND dist_motorway_km <= 10 AND " +
		"operation_24h = TRUE AND CASEI(name) LIKE CASEI('%O''Brien 50%')");
});

test('the URL keeps the flags and reads them back', () => {
	const f = {...defaultFilters(), flags: ['operation_24h', 'hydrogen'], minPowerMw: 5};
	const params = new URLSearchParams();
	toParams(f, params);
	assert.equal(params.get('util'), 'operation_24h,hydrogen');
	assert.deepEqual(fromParams(params), f);
	assert.equal(activeCount(f), 2);
});

test('a link cannot smuggle CQL2 in as a flag', () => {
	const f = fromParams(new URLSearchParams('util=rail_siding,1%3D1%20OR%20true,operation_24h'));
	assert.deepEqual(f.flags, ['rail_siding', 'operation_24h']);
	assert.equal(cql2(f, flagNames), "status = 'offered' AND rail_siding = TRUE AND operation_24h = TRUE");
});
