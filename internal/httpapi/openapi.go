package httpapi

import (
	"landatlas/internal/enquiryapi"
	"landatlas/internal/openapi"
	"landatlas/internal/studyapi"
	"landatlas/internal/tiles"
	"landatlas/internal/upload"
)

// moreOperations are the operations of every API beside the features API, for the one OpenAPI
// document at /ogcapi/api: tiles, uploads and history, the potential study, and operations.
func moreOperations() []openapi.Operation {
	ops := tiles.Operations()
	ops = append(ops, ownOperations()...)
	ops = append(ops, studyapi.Operations()...)
	return append(ops, enquiryapi.Operations()...)
}

// ownOperations are the endpoints served by this package.
func ownOperations() []openapi.Operation {
	json := func(description string) []openapi.Response { return openapi.OK(description, "application/json") }
	signedIn := func(description string) []openapi.Response {
		return append(json(description),
			openapi.Response{Status: "401", Description: "No bearer token, or one that is not valid.", Media: []string{"application/problem+json"}},
			openapi.Response{Status: "403", Description: "The account may not do this (its role or district).", Media: []string{"application/problem+json"}})
	}
	id := func(what string) openapi.Param {
		return openapi.PathParam("id", "The id of the "+what+".", openapi.Type("integer"))
	}
	ags := openapi.PathParam("ags", "The district's AGS (5 digits).", openapi.Schema("type", "string", "pattern", `^\d{5}$`))
	var statuses []string
	for _, s := range []upload.Status{upload.Received, upload.Reading, upload.Checking, upload.Ready, upload.Invalid, upload.Failed, upload.Applied} {
		statuses = append(statuses, string(s))
	}
	return []openapi.Operation{
		{Method: "GET", Path: "/healthz", ID: "healthz", Tag: "Operations", Summary: "Liveness",
			Description: "200 while the process is up.", Responses: json("The status and version.")},
		{Method: "GET", Path: "/readyz", ID: "readyz", Tag: "Operations", Summary: "Readiness",
			Description: "200 when the database answers and its schema is current, 503 with Retry-After otherwise.",
			Responses:   append(json("Ready."), openapi.Response{Status: "503", Description: "Not ready: the reason in general terms.", Media: []string{"application/json"}})},
		{Method: "GET", Path: "/metrics", ID: "metrics", Tag: "Operations", Summary: "Prometheus metrics",
			Description: "Only with Authorization: Bearer <LANDATLAS_METRICS_TOKEN>, or on the listener of LANDATLAS_METRICS_ADDR; 404 when neither is set.",
			Responses: append(openapi.OK("The metrics in the Prometheus text format.", "text/plain"),
				openapi.Response{Status: "401", Description: "The metrics token is missing or wrong.", Media: []string{"application/problem+json"}})},
		{Method: "GET", Path: "/api/v1/config", ID: "config", Tag: "Web app", Summary: "Settings of the web app",
			Description: "The base maps of the map's layer switch (none when turned off), whether an address geocoder is configured, the version and the attribution of our layers.", Responses: json("The settings.")},
		{Method: "GET", Path: "/api/v1/geocode", ID: "geocode", Tag: "Web app", Summary: "Addresses and postcodes for the map's search box",
			Description: "Asks the configured geocoder (LANDATLAS_GEOCODER_URL) and answers {results: [{label, geometry, bbox}]}, at most 8; 404 without a geocoder, 503 when it does not answer.",
			Params:      []openapi.Param{openapi.Query("q", "What to search for, 2 to 200 characters.", openapi.Type("string"))},
			Responses:   append(json("The addresses found."), openapi.Response{Status: "503", Description: "The geocoder did not answer.", Media: []string{"application/problem+json"}})},
		{Method: "GET", Path: "/api/v1/session", ID: "session", Tag: "Web app", Summary: "Who the token belongs to",
			Description: "signed_in, label, role and district of the bearer token's account; the public without a token.", Responses: json("The session.")},
		{Method: "GET", Path: "/api/v1/districts", ID: "districts", Tag: "Districts", Summary: "The nine districts with their supply",
			Description: "GeoJSON (WGS84) of the districts with the parcels and hectares on offer the reader may see.",
			Responses:   openapi.OK("The districts.", "application/geo+json")},
		{Method: "GET", Path: "/api/v1/parcels/{id}/history", ID: "parcelHistory", Tag: "Districts", Summary: "History of a parcel",
			Description: "The versions of a parcel: who changed what, when, through which upload; the public sees public parcels' public fields only.",
			Params:      []openapi.Param{id("parcel")}, Responses: json("The versions.")},
		{Method: "GET", Path: "/api/v1/uploads/fields", ID: "uploadFields", Tag: "Uploads", Summary: "Fields of an upload",
			Description: "The parcel fields an upload may carry, with their aliases, types, code lists and whether they are required; the coordinate reference systems a file may arrive in (crs) and each district's usual one (usual_crs, by AGS), which a file that names none is most likely in.",
			Responses:   json("The fields.")},
		{Method: "POST", Path: "/api/v1/uploads", ID: "createUpload", Tag: "Uploads", Summary: "Upload a district's parcel file",
			Description: "Editors of the district and admins. The file is the multipart field file or the raw body (GeoJSON, zipped Shapefile, GeoPackage, CSV, KML, GML, FlatGeobuf, DXF); " +
				"the answer (202) comes at once, reading and checking go on in the background.",
			SignedIn: true,
			Params: []openapi.Param{
				openapi.Query("district", "The district's AGS (editors: their own).", openapi.Type("string")),
				openapi.Query("mode", "upsert (the default) or replace (ends the district's parcels missing from the file).", openapi.Schema("type", "string", "enum", []string{"upsert", "replace"})),
				openapi.Query("crs", "The file's CRS where it does not say, e.g. EPSG:25833.", openapi.Type("string")),
				openapi.Query("layer", "The layer of a file with several.", openapi.Type("string")),
				openapi.Query("mapping", "The attribute mapping as JSON (column to field).", openapi.Type("string")),
				openapi.Query("filename", "The file's name, for a raw body.", openapi.Type("string")),
			},
			Responses: append([]openapi.Response{{Status: "202", Description: "The upload, being checked.", Media: []string{"application/json"}},
				{Status: "413", Description: "The body is larger than LANDATLAS_UPLOAD_MAX_MB.", Media: []string{"application/problem+json"}}},
				signedIn("")[1:]...)}, // all but the 200
		{Method: "GET", Path: "/api/v1/uploads", ID: "listUploads", Tag: "Uploads", Summary: "Uploads",
			Description: "Uploads, newest first, a page at a time (next link).", SignedIn: true,
			Params: []openapi.Param{
				openapi.Query("district", "Only this district's.", openapi.Type("string")),
				openapi.Query("status", "Only uploads in this status.", openapi.Schema("type", "string", "enum", statuses)),
				openapi.Query("limit", "Uploads per page, 1 to 100.", openapi.Schema("type", "integer", "minimum", 1, "maximum", 100, "default", 20)),
				openapi.Query("before", "Only uploads with a smaller id (paging).", openapi.Type("integer")),
			},
			Responses: signedIn("A page of uploads.")},
		{Method: "GET", Path: "/api/v1/uploads/{id}", ID: "getUpload", Tag: "Uploads", Summary: "An upload",
			Description: "Status, progress, the validation report and the preview of what would change.", SignedIn: true,
			Params: []openapi.Param{id("upload")}, Responses: signedIn("The upload.")},
		{Method: "GET", Path: "/api/v1/uploads/{id}/changes.geojson", ID: "uploadChanges", Tag: "Uploads", Summary: "Changes of an upload for the map",
			Description: "New and changed parcels, features with errors and the parcels a replace would end, GeoJSON (WGS84).", SignedIn: true,
			Params: []openapi.Param{id("upload")}, Responses: append(openapi.OK("The changes.", "application/geo+json"),
				openapi.Response{Status: "409", Description: "The upload is still being checked.", Media: []string{"application/problem+json"}})},
		{Method: "POST", Path: "/api/v1/uploads/{id}/preview", ID: "previewUpload", Tag: "Uploads", Summary: "Check an upload again",
			Description: "A new preview against the district's current parcels (after apply answered 409).", SignedIn: true,
			Params: []openapi.Param{id("upload")}, Responses: signedIn("The upload with its new preview.")},
		{Method: "POST", Path: "/api/v1/uploads/{id}/apply", ID: "applyUpload", Tag: "Uploads", Summary: "Publish an upload",
			Description: "Publishes what the preview showed, in one transaction; 409 when the district changed since the preview.", SignedIn: true,
			Params: []openapi.Param{id("upload")}, Responses: append(signedIn("The applied upload."),
				openapi.Response{Status: "409", Description: "The district changed since the preview: preview again.", Media: []string{"application/problem+json"}})},
		{Method: "GET", Path: "/api/v1/districts/{ags}/mapping", ID: "getMapping", Tag: "Uploads", Summary: "A district's attribute mapping",
			Description: "The saved mapping of the district's column names to parcel fields.", SignedIn: true,
			Params: []openapi.Param{ags}, Responses: signedIn("The mapping.")},
		{Method: "PUT", Path: "/api/v1/districts/{ags}/mapping", ID: "putMapping", Tag: "Uploads", Summary: "Save a district's attribute mapping",
			Description: "Replaces the saved mapping (editors of the district and admins).", SignedIn: true, Body: "The mapping: column name to field.",
			Params: []openapi.Param{ags}, Responses: signedIn("The saved mapping.")},
		{Method: "GET", Path: "/api/v1/catalog", ID: "catalog", Tag: "Web app", Summary: "The field registry",
			Description: "Every parcel and site field the reader may see: type, unit, German and English label and description, code list, whether it is queryable, in tiles, in exports and on the fact sheet (ETag, 304).",
			Responses:   json("The fields.")},
		{Method: "POST", Path: "/api/v1/uploads/guess-mapping", ID: "guessMapping", Tag: "Uploads", Summary: "Guess the fields of a file's columns",
			Description: "The field each column name fills, by the same rule the upload applies.", SignedIn: true, Body: "The column names.",
			Responses: signedIn("Column name to field.")},
		{Method: "GET", Path: "/api/v1/uploads/{id}/revert", ID: "previewRevert", Tag: "Uploads", Summary: "What undoing an upload would change",
			Description: "The parcels a revert would re-open, restore and end, and the later changes that stand in its way.", SignedIn: true,
			Params: []openapi.Param{id("upload")}, Responses: signedIn("The revert plan.")},
		{Method: "POST", Path: "/api/v1/uploads/{id}/revert", ID: "revertUpload", Tag: "Uploads", Summary: "Undo an applied upload or edit",
			Description: "Restores every parcel the upload touched to its state before it, in one transaction; 409 naming later changes of the same parcels (revert them first, newest first).",
			SignedIn:    true, Params: []openapi.Param{id("upload")}, Responses: append(signedIn("The revert, recorded as an upload of its own."),
				openapi.Response{Status: "409", Description: "A later change touched the same parcels.", Media: []string{"application/problem+json"}})},
		{Method: "POST", Path: "/api/v1/districts/{ags}/confirm", ID: "confirmParcels", Tag: "Uploads", Summary: "Confirm parcels as current",
			Description: "Sets last_confirmed of the given parcels (ids, or all) without changing anything else; the history records it.", SignedIn: true,
			Body: `{"ids": [...]} or {"all": true}.`, Params: []openapi.Param{ags}, Responses: signedIn("The confirmation.")},
		{Method: "GET", Path: "/api/v1/districts/{ags}/contact", ID: "getDistrictContact", Tag: "Districts", Summary: "A district's contact for investors",
			Description: "Office, name, e-mail, phone and web page; fact sheets fall back to it.", Params: []openapi.Param{ags}, Responses: json("The contact.")},
		{Method: "PUT", Path: "/api/v1/districts/{ags}/contact", ID: "putDistrictContact", Tag: "Districts", Summary: "Save a district's contact",
			Description: "Editors of the district and admins.", SignedIn: true, Body: "The contact.", Params: []openapi.Param{ags}, Responses: signedIn("The saved contact.")},
		{Method: "POST", Path: "/api/v1/edits", ID: "createEdit", Tag: "Uploads", Summary: "Edit or draw one parcel",
			Description: "One parcel's attributes and geometry, checked and previewed through the upload pipeline; 409 when the parcel changed since it was read.",
			SignedIn:    true, Body: "The parcel as a GeoJSON feature with its base version.", Responses: signedIn("The edit, as an upload with its preview.")},
		{Method: "POST", Path: "/api/v1/parcels/{id}/end", ID: "endParcel", Tag: "Uploads", Summary: "End a parcel",
			Description: "Ends a parcel with a reason (sold, withdrawn, recorded in error), through the upload pipeline, undoable like any upload.",
			SignedIn:    true, Body: `{"base": the parcel's valid_from as loaded, "reason": "sold" | "withdrawn" | "error"}.`, Params: []openapi.Param{id("parcel")}, Responses: signedIn("The ending, as an upload.")},
	}
}
