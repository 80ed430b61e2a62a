// Labels and code lists come from the registry the server serves; what is not a published field
// falls back to the app's own messages.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {codes, fieldCodes, fieldLabel, flags, setCatalog, sheetFields, type Catalog} from '../../src/catalog.ts';

const useTypes = {name: 'use_type', codes: [{value: 'GE', de: 'Gewerbegebiet (GE)', en: 'Commercial area (GE)'}, {value: 'GI', de: 'Industriegebiet (GI)', en: 'Industrial area (GI)'}]};
const registry: Catalog = {
	parcels: [
		{name: 'use_type', type: 'code', codes: useTypes, label: {de: 'Art der baulichen Nutzung', en: 'Type of use'}, description: {de: '', en: ''}, queryable: true, sheet: 'planning'},
		{name: 'operation_24h', type: 'boolean', label: {de: '24/7-Betrieb zulässig', en: '24-hour operation allowed'}, description: {de: '', en: ''}, queryable: true, flag: true, sheet: 'utilities'},
	],
	sites: [], code_lists: {use_type: useTypes}, sheet_sections: ['planning', 'utilities'],
};

test('field labels are the registry labels', () => {
	setCatalog(registry);
	assert.equal(fieldLabel('operation_24h'), '24/7-Betrieb zulässig');
	assert.equal(fieldLabel('use_type'), 'Art der baulichen Nutzung');
});

test('what the registry does not publish keeps a message of its own, or its name', () => {
	setCatalog(registry);
	assert.equal(fieldLabel('geometry'), 'Umring');
	assert.equal(fieldLabel('ownership'), 'ownership', 'a field the reader may not see has no label');
});

test('code lists by name and by field; the sheet and the flags as the registry places them', () => {
	setCatalog(registry);
	assert.deepEqual(codes('use_type').map((c) => c.value), ['GE', 'GI']);
	assert.deepEqual(fieldCodes('use_type'), useTypes.codes);
	assert.deepEqual(codes('ownership'), [], 'a list the reader does not get is empty');
	assert.deepEqual(sheetFields('utilities').map((f) => f.name), ['operation_24h']);
	assert.deepEqual(flags().map((f) => f.name), ['operation_24h']);
});
