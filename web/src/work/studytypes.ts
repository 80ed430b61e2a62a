// The answers of the study API (internal/study), as the dashboard reads them.

/** Text is a sentence in German and English. */
export interface Text {
	de: string;
	en: string;
}

export interface Figure {
	parcels: number;
	net_ha: number;
}

export interface SupplyGroup {
	key?: Record<string, string>;
	label?: Record<string, Text>;
	parcels: number;
	gross_ha: number;
	net_ha: number;
	reserve: Figure;
	sites: {count: number; gross_ha: number};
	sites_at_least_min: {count: number; gross_ha: number};
	shares: Record<string, {net_ha: number; share: number}>;
	parcels_filter: string;
}

export interface Supply {
	group_by: string[];
	min_site_ha: number;
	motorway_km: number;
	marketable_rule: Text;
	total: SupplyGroup;
	groups: SupplyGroup[];
}

export interface YearValue {
	year: number;
	net_ha: number;
	parcels: number;
	partial?: boolean;
}

export interface TakeUpUnit {
	district_ags?: string;
	name: string;
	series: YearValue[];
	window_net_ha: number;
	mean_net_ha_per_year: number;
	reserve_net_ha: number;
	marketable_net_ha: number;
	reach_years: number | null;
}

export interface TakeUp {
	as_of: string;
	window: {from: number; to: number};
	marketable_rule: Text;
	total: TakeUpUnit;
	districts: TakeUpUnit[];
}

export interface BalanceUnit {
	district_ags?: string;
	name: string;
	reserve_net_ha: number;
	marketable_net_ha: number;
	mean_take_up_net_ha_per_year: number;
	trend_demand_ha: number;
	trend_balance_ha: number;
	employment_demand_ha?: number;
	employment_balance_ha?: number;
	/** enquiry is the demand from enquiries (demand=enquiries, planners and admins). */
	enquiry?: EnquiryFigures;
}

/** EnquiryFigures are a unit's demand and balance from the net area enquiries asked for. */
export interface EnquiryFigures {
	enquiries: number;
	asked_ha: number;
	mean_ha_per_year: number;
	demand_ha: number;
	balance_ha: number;
}

export interface Balance {
	as_of: string;
	target_year: number;
	/** first_year is the first year the demand counts (missing in runs saved before it was added). */
	first_year?: number;
	years: number;
	margin: number;
	window: {from: number; to: number};
	inputs_used: Text[];
	/** enquiry_window is the years whose enquiries the enquiry demand counts, where it was asked for and there were some. */
	enquiry_window?: {from: number; to: number};
	total: BalanceUnit;
	districts: BalanceUnit[];
}

export interface LargeSite {
	id: string;
	member_ids: number[];
	district_ags: string[];
	district_names: string[];
	crosses_districts: boolean;
	crosses_lands: boolean;
	net_ha: number;
	available_net_ha: number;
	gross_ha: number;
	largest_contiguous_ha: number;
	best_planning_status: string;
	strategic_reserve?: boolean;
	geometry: GeoJSON.Geometry;
}

export interface LargeSites {
	distance_m: number;
	min_net_ha: number;
	sites: LargeSite[];
	total_net_ha: number;
}

export interface RunSummary {
	id: number;
	title: string;
	audience: string;
	created_at: string;
	created_by?: string;
	as_of: string;
	parcels: number;
}

export interface Run extends RunSummary {
	params: {scope: {district?: string[]; land?: string[]; municipality?: string[]}; group_by: string[]; as_of?: string; demand: {target_year: number; enquiries?: boolean}};
	data_changed: boolean;
	results: {supply: Supply; take_up: TakeUp; balance: Balance; large_sites: LargeSites; synthetic: boolean};
	links: {rel: string; type: string; title: string; href: string}[];
}
