package enquiryapi

import (
	"strings"

	"landatlas/internal/openapi"
)

// route is one documented route of the demand side.
type route struct {
	method, path, id, summary string
	// public routes need no bearer token.
	public bool
}

var documented = []route{
	{"get", "/api/v1/enquiries/form", "enquiryForm", "The enquiry form's code lists (sectors, timings, statuses, channels) and limits.", true},
	{"post", "/api/v1/enquiries", "createEnquiry", "Send an enquiry. From the public: rate-limited per address (429 with Retry-After), at most 64 KiB, contact and consent required, answered with the reference number. Signed-in planners record one by hand.", true},
	{"get", "/api/v1/enquiries", "listEnquiries", "The enquiries the reader may see (planners and admins all, editors those routed to their district), without personal data; filters status, district, year, open.", false},
	{"get", "/api/v1/enquiries/assignees", "enquiryAssignees", "The accounts an enquiry can be given to.", false},
	{"get", "/api/v1/enquiries/messages", "enquiryMessages", "The outbox of notifications as the reader may see it, sent or kept.", false},
	{"get", "/api/v1/enquiries/stats", "enquiryStats", "Demand per year by sector, use type, size class, district and outcome, with the unmet demand (planners and admins).", false},
	{"get", "/api/v1/enquiries/{id}", "getEnquiry", "An enquiry with its personal data (an audited read), timeline, shortlist and proposal links.", false},
	{"post", "/api/v1/enquiries/{id}/status", "setEnquiryStatus", "Move the enquiry along the pipeline; lost needs lost_reason.", false},
	{"post", "/api/v1/enquiries/{id}/assignee", "assignEnquiry", "Give the enquiry to an account (assignee_id, null for nobody).", false},
	{"post", "/api/v1/enquiries/{id}/notes", "addEnquiryNote", "Add a note to the timeline.", false},
	{"get", "/api/v1/enquiries/{id}/search", "searchForEnquiry", "The site search with the enquiry's requirements as criteria.", false},
	{"post", "/api/v1/enquiries/{id}/shortlist", "addShortlistItem", "Add a parcel, site or large site (member_ids) to the shortlist.", false},
	{"put", "/api/v1/enquiries/{id}/shortlist/{item}", "changeShortlistItem", "Change an entry's note or place.", false},
	{"post", "/api/v1/enquiries/{id}/shortlist/{item}/remove", "removeShortlistItem", "Take an entry off the shortlist.", false},
	{"post", "/api/v1/enquiries/{id}/proposals", "createProposal", "Make a proposal link (days, default 90); its token is in this answer only.", false},
	{"post", "/api/v1/enquiries/{id}/proposals/{proposal}/revoke", "revokeProposal", "End a proposal link at once.", false},
	{"get", "/api/v1/privacy/person", "exportPerson", "Everything stored about one person, by e-mail address (admins; audited).", false},
	{"post", "/api/v1/privacy/person/erase", "erasePerson", "Erase one person's personal data from every enquiry (admins; audited); the statistics keep the enquiries.", false},
}

// Operations documents the demand side's JSON endpoints for the one OpenAPI document.
func Operations() []openapi.Operation {
	problem := []string{"application/problem+json"}
	var out []openapi.Operation
	for _, r := range documented {
		op := openapi.Operation{Method: strings.ToUpper(r.method), Path: r.path, ID: r.id, Tag: "Enquiries", Summary: r.summary,
			Responses: openapi.OK("The answer.", "application/json")}
		if r.public {
			op.Responses = append(op.Responses, openapi.Response{Status: "429", Description: "Too many enquiries from the address; Retry-After says when to try again.", Media: problem})
		} else {
			op.SignedIn = true
			op.Responses = append(op.Responses,
				openapi.Response{Status: "401", Description: "No bearer token.", Media: problem},
				openapi.Response{Status: "403", Description: "The account may not do this.", Media: problem})
		}
		if r.method != "get" {
			op.Body = "The request, as JSON."
		}
		for _, name := range []string{"id", "item", "proposal"} {
			if strings.Contains(r.path, "{"+name+"}") {
				op.Params = append(op.Params, openapi.PathParam(name, "The id of the "+map[string]string{"id": "enquiry", "item": "shortlist entry", "proposal": "proposal link"}[name]+".", openapi.Type("integer")))
			}
		}
		out = append(out, op)
	}
	return out
}
