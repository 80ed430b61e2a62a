package ogcapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"landatlas/internal/httpx"
)

// Media types of the API.
const (
	mediaJSON    = "application/json"
	mediaGeoJSON = "application/geo+json"
	mediaHTML    = "text/html"
	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	mediaSchema  = "application/schema+json"
)

// link is a link of a JSON document.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// withQuery returns base with the query q, in which each pair of kv sets a parameter (an empty
// value removes it).
func withQuery(base string, q url.Values, kv ...string) string {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			out.Del(kv[i])
		} else {
			out.Set(kv[i], kv[i+1])
		}
	}
	if len(out) == 0 {
		return base
	}
	return base + "?" + out.Encode()
}

func urlPathEscape(s string) string { return url.PathEscape(s) }

// canonicalQuery is the request's query in a stable order, for ETags.
func canonicalQuery(r *http.Request) string { return r.URL.Query().Encode() }

// etagOf builds a weak ETag from the parts that decide a response (httpx.ETag).
func etagOf(parts ...string) string { return httpx.ETag(parts...) }

// preconditions sets the caching headers and answers 304 when the client has the current
// version; it reports whether the response is complete.
func (s *Service) preconditions(w http.ResponseWriter, req *request, etag string) bool {
	h := w.Header()
	// Readers with a token see more: their responses must not land in shared caches.
	if req.internal {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "public, no-cache")
	}
	h.Add("Vary", "Accept, Authorization")
	return httpx.NotModified(w, req.r, etag)
}

// send answers with a whole document; its ETag is a hash of the content.
func (s *Service) send(w http.ResponseWriter, req *request, contentType string, body []byte) error {
	if s.preconditions(w, req, etagOf(contentType, string(body), strconv.FormatBool(req.internal))) {
		return nil
	}
	w.Header().Set("Content-Type", contentType)
	if req.r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // an error means the client went away
	return nil
}

// sendJSON answers with a JSON document.
func (s *Service) sendJSON(w http.ResponseWriter, req *request, contentType string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.send(w, req, contentType, append(b, '\n'))
}
