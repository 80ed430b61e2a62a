package problem_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"landatlas/internal/apperr"
	"landatlas/internal/httpx"
	"landatlas/internal/problem"
)

var discard = slog.New(slog.DiscardHandler)

// An error before the first byte is a problem document with the kind's status.
func TestHandlerWritesProblemBeforeTheBody(t *testing.T) {
	srv := httptest.NewServer(problem.Handler(discard, func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("ETag", `W/"x"`)
		return apperr.New(apperr.Invalid, "parameter limit: give a number")
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc problem.Document
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" || resp.Header.Get("ETag") != "" ||
		doc.Detail != "parameter limit: give a number" {
		t.Errorf("%d %s ETag %q: %+v; want a 400 problem without the ETag", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), doc)
	}
}

// An error after the first byte cuts the response off: the client sees an error, never a
// truncated 200 it could take for the whole document.
func TestHandlerAbortsAStreamThatFails(t *testing.T) {
	for _, c := range []struct {
		size int
		enc  string
	}{{10, "identity"}, {100_000, "identity"}, {10, "gzip"}, {100_000, "gzip"}} { // buffered by net/http, and sent already
		h := problem.Handler(discard, func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("Content-Type", "application/geo+json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"type":"FeatureCollection","features":[`+strings.Repeat(`{"type":"Feature"},`, c.size/20+1))
			return errors.New("the query failed in the middle")
		})
		srv := httptest.NewServer(httpx.Compress()(h))
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.Header.Set("Accept-Encoding", c.enc) // Go's client unpacks gzip itself when it asked for it
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Errorf("%d bytes (%s), then a failure: the client read a complete response", c.size, c.enc)
		}
		srv.Close()
	}
}

// A database that cannot be reached is 503 with Retry-After, without its address.
func TestUnreachableDatabaseIs503(t *testing.T) {
	err := &pgconn.ConnectError{}
	w := httptest.NewRecorder()
	problem.Write(w, httptest.NewRequest(http.MethodGet, "/api/v1/districts", nil), discard, errors.Join(errors.New("districts"), err))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "try again") {
		t.Errorf("%d Retry-After %q: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
}
