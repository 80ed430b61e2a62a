package httpapi

import (
	"io/fs"
	"net/http"
	"strings"

	"landatlas/internal/apperr"
	"landatlas/internal/problem"
)

// handleWebApp answers the web app's own routes with index.html, so that they work on reload.
// Without a build it serves a page that says how to make one.
func (s *Server) handleWebApp() http.HandlerFunc {
	if s.cfg.Web == nil {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(noFrontendPage))
		}
	}
	files := http.FileServerFS(s.cfg.Web)
	return func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/"
		files.ServeHTTP(w, r)
	}
}

// handleWebFile serves the files of the built front end; a path that is none of them is a 404
// problem document (only the app's own routes fall back to index.html).
func (s *Server) handleWebFile() http.HandlerFunc {
	notFound := s.handleNotFound()
	if s.cfg.Web == nil {
		return notFound
	}
	files := http.FileServerFS(s.cfg.Web)
	return func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if isAPIPath(r.URL.Path) || !fs.ValidPath(name) || strings.HasSuffix(name, "/") {
			notFound(w, r)
			return
		}
		if st, err := fs.Stat(s.cfg.Web, name); err != nil || st.IsDir() {
			notFound(w, r)
			return
		}
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	}
}

// isAPIPath tells the paths of the APIs, which never answer with the web app.
func isAPIPath(path string) bool {
	for _, p := range []string{"/api", "/ogcapi", "/tiles"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// handleNotFound answers paths no route serves with a 404 problem document.
func (s *Server) handleNotFound() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		what := "the web app's pages are /, /parcel/{id}, /study, /search and /upload"
		if isAPIPath(r.URL.Path) {
			what = "the API is described at /ogcapi/api"
		}
		problem.Write(w, r, s.log, apperr.New(apperr.NotFound, "there is nothing at %s; %s", r.URL.Path, what))
	}
}

// handleMethodNotAllowed answers a known path asked with a method it does not take.
func (s *Server) handleMethodNotAllowed() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusMethodNotAllowed
		problem.JSON(w, "application/problem+json", status, problem.Document{Type: "about:blank", Title: http.StatusText(status),
			Status: status, Detail: r.Method + " is not allowed on " + r.URL.Path + "; the API is described at /ogcapi/api"})
	}
}

const noFrontendPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>landatlas</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>landatlas</h1>
<p>The API is running, but this binary was built without the web front end.</p>
<p>Build it with <code>make web</code> (or run <code>make run</code>, which does everything), then rebuild the binary.</p>
<p>Meanwhile: <a href="/api/v1/districts">/api/v1/districts</a>, <a href="/readyz">/readyz</a>.</p>
</body></html>`
