package importer_test

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"landatlas/internal/importer"
	"landatlas/internal/pgtest"
	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// hostileFile is one file of the hostile-upload corpus and what its upload must end with.
type hostileFile struct {
	name  string
	write func(w io.Writer) error
	// zipped packs the file into a zip (deflate makes 1 GiB of spaces about 1 MB).
	zipped bool
	// want is a part of the failed upload's message, or of its report's issues.
	want string
}

// repeat writes s n times.
func repeat(w io.Writer, s string, n int) error {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for ; n >= per; n -= per {
		if _, err := io.WriteString(w, chunk); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, strings.Repeat(s, n))
	return err
}

// writeAll writes its parts in turn: strings as they are, funcs to fill the part between.
func writeAll(w io.Writer, parts ...any) error {
	for _, p := range parts {
		var err error
		switch x := p.(type) {
		case string:
			_, err = io.WriteString(w, x)
		case func(io.Writer) error:
			err = x(w)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func spaces(n int) func(io.Writer) error { return func(w io.Writer) error { return repeat(w, " ", n) } }

// hostileCorpus is the corpus of issue 15: files small or plain on disk that once made the
// server's memory grow without limit, each with the limit that must stop it.
func hostileCorpus() []hostileFile {
	const collection = `{"type":"FeatureCollection","features":[`
	ring := func(points int) func(io.Writer) error {
		return func(w io.Writer) error { return repeat(w, "[12.1234567,51.1234567],", points) }
	}
	return []hostileFile{
		{name: "gib-of-spaces.geojson", zipped: true, want: "the limit for one feature",
			write: func(w io.Writer) error { return writeAll(w, collection, spaces(1<<30), "]}") }},
		{name: "200mb-of-spaces.geojson", want: "the limit for one feature",
			write: func(w io.Writer) error { return writeAll(w, collection, spaces(200<<20), "]}") }},
		{name: "newlines.geojsonl", want: "the limit for one feature",
			write: func(w io.Writer) error { return repeat(w, "\n", 200<<20) }},
		{name: "huge-string.geojson", want: "the limit for one feature",
			write: func(w io.Writer) error {
				return writeAll(w, collection+`{"type":"Feature","properties":{"x":"`, func(w io.Writer) error { return repeat(w, "x", 100<<20) }, `"}}]}`)
			}},
		{name: "million-vertices.geojson", want: "the limit for one feature",
			write: func(w io.Writer) error {
				return writeAll(w, collection+`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[`, ring(1_000_000), `[12.1234567,51.1234567]]]},"properties":{}}]}`)
			}},
		{name: "too-many-vertices.geojson", want: "more than the 100000 allowed",
			write: func(w io.Writer) error {
				return writeAll(w, collection+`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[`, ring(upload.MaxVertices+10), `[12.1234567,51.1234567]]]},"properties":{}}]}`)
			}},
		{name: "deep.geojson", want: "more than 32 deep",
			write: func(w io.Writer) error {
				return writeAll(w, collection+`{"type":"Feature","properties":{"x":`, func(w io.Writer) error { return repeat(w, "[", 1<<20) })
			}},
	}
}

// writeHostile writes a corpus file into dir, zipped if it says so, and returns its path.
func writeHostile(b testing.TB, dir string, h hostileFile) string {
	b.Helper()
	path := filepath.Join(dir, h.name)
	if h.zipped {
		path += ".zip"
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var zw *zip.Writer
	if h.zipped {
		zw = zip.NewWriter(bw)
		if w, err = zw.Create(h.name); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.write(w); err != nil {
		b.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			b.Fatal(err)
		}
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkHostileUploads reads the hostile-upload corpus four times at once (every file in four
// concurrent uploads, with four workers) and reports the process's peak resident memory, which
// must stay under 300 MB; each upload must end with a message naming the limit that stopped it.
func BenchmarkHostileUploads(b *testing.B) {
	if os.Getenv(pgtest.EnvURL) == "" && os.Getenv("LANDATLAS_BENCH_DATABASE_URL") != "" {
		b.Setenv(pgtest.EnvURL, os.Getenv("LANDATLAS_BENCH_DATABASE_URL"))
	}
	db := pgtest.New(b, pgtest.Reference)
	dir := b.TempDir()
	corpus := hostileCorpus()
	paths := make([]string, len(corpus))
	for i, h := range corpus {
		paths[i] = writeHostile(b, dir, h)
	}
	uploads := store.Uploads{DB: db.Pool}
	svc := importer.New(importer.Config{Uploads: uploads, TempDir: b.TempDir(), Workers: 4})
	runtime.GC()
	// Reset the peak resident memory (Linux: "5" to clear_refs), so it is this benchmark's.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	b.ResetTimer()
	for range b.N {
		for i, h := range corpus {
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for copy := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					up, err := uploads.Create(context.Background(), store.NewUpload{DistrictAGS: "15088", ChangedBy: "bench",
						Mode: upload.Upsert, Filename: filepath.Base(paths[i])})
					if err != nil {
						errs <- err
						return
					}
					u, _ := svc.Process(context.Background(), up, paths[i], nil)
					if !strings.Contains(u.Message+issuesOf(u), h.want) {
						errs <- fmt.Errorf("%s (copy %d): %s %q %s, want %q", h.name, copy, u.Status, u.Message, issuesOf(u), h.want)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				b.Error(err)
			}
		}
	}
	b.StopTimer()
	rss := vmHWM()
	b.ReportMetric(float64(rss)/(1<<20), "MB-peak-RSS")
	if rss > 300<<20 {
		b.Errorf("peak resident memory %d MB with the hostile corpus 4 at once, the target is under 300 MB", rss>>20)
	}
}
