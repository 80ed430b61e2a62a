package httpx

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// Compress returns the one compression middleware of the service: gzip (klauspost's gzhttp) for
// every response the client takes it for, except media that are compressed already. The client's
// Accept-Encoding is read by the library alone, RFC 9110's way: "*" accepts gzip unless gzip is
// named with q=0. A handler that sends bytes compressed in advance (cached vector tiles) asks
// AcceptsGzip and sets Content-Encoding itself; the middleware passes such bodies through.
func Compress() func(http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.EnableZstd(false), // one coding, so that AcceptsGzip answers for every response
		gzhttp.AcceptWildcards(true),
		gzhttp.CompressionLevel(1), // fast: most bodies are streamed from the database
	)
	if err != nil {
		panic(err) // the options above are constant
	}
	return func(next http.Handler) http.Handler { return wrap(next) }
}

// AcceptsGzip reports whether the response w may carry a gzip body: true exactly when the
// compression middleware found that the request accepts gzip. It is the one Accept-Encoding
// rule; handlers ask it instead of parsing the header again.
func AcceptsGzip(w http.ResponseWriter) bool {
	for {
		switch rw := w.(type) {
		case *gzhttp.GzipResponseWriter, gzhttp.GzipResponseWriterWithCloseNotify:
			return true
		case *gzhttp.NoGzipResponseWriter:
			return false
		case interface{ Unwrap() http.ResponseWriter }:
			w = rw.Unwrap()
		default:
			return false
		}
	}
}
