package httpapi

import (
	"io/fs"
	"net/http"
	"strings"
)

// handleWeb serves the built front end; paths that are not files get index.html so that the app's
// own routes work on reload. Without a build it serves a page that says how to make one.
func (s *Server) handleWeb() http.HandlerFunc {
	if s.cfg.Web == nil {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(noFrontendPage))
		}
	}
	files := http.FileServerFS(s.cfg.Web)
	return func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name != "" {
			if _, err := fs.Stat(s.cfg.Web, name); err != nil {
				r.URL.Path = "/"
			}
		}
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	}
}

const noFrontendPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>landatlas</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>landatlas</h1>
<p>The API is running, but this binary was built without the web front end.</p>
<p>Build it with <code>make web</code> (or run <code>make run</code>, which does everything), then rebuild the binary.</p>
<p>Meanwhile: <a href="/api/v1/districts">/api/v1/districts</a>, <a href="/readyz">/readyz</a>.</p>
</body></html>`
