// Package importer reads district uploads: it detects a file's format, unpacks zips safely,
// decodes GeoJSON itself and everything else through GDAL's ogr2ogr, streams the features through
// the rules of package upload into the store's staging rows, has PostGIS check their geometry,
// and concludes with the report and the change preview. The HTTP API runs it in the background,
// the command line in the foreground.
package importer

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"landatlas/internal/store"
	"landatlas/internal/upload"
)

// Config is what the importer needs.
type Config struct {
	Uploads store.Uploads
	Log     *slog.Logger
	// TempDir holds spooled uploads and unpacked zips; "" is the system's temporary directory.
	TempDir string
	// MaxFeatures is the most features a file may hold.
	MaxFeatures int
	Zip         ZipLimits
	// GDALTimeout stops a GDAL run that takes longer: a damaged file must not hang a worker.
	GDALTimeout time.Duration
	// CheckTimeout is the longest reading and checking one upload may take, GDAL included.
	CheckTimeout time.Duration
	// Workers is how many uploads are read at once; more wait their turn.
	Workers int
	// Now is the clock; dates after today are refused.
	Now func() time.Time
}

// The defaults of the limits.
const (
	DefaultMaxFeatures  = 500_000
	DefaultGDALTimeout  = 10 * time.Minute
	DefaultCheckTimeout = 30 * time.Minute
	DefaultZipEntries   = 1000
	DefaultZipBytes     = 2 << 30
	DefaultWorkers      = 2
	// StagingRetention is how long the staged rows of a finished upload are kept: long enough to
	// look at its changes, apply a preview or compare; the report and preview stay for good.
	StagingRetention = 14 * 24 * time.Hour
)

// Service reads uploads.
type Service struct {
	cfg  Config
	log  *slog.Logger
	gdal gdal
	sem  chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	held map[string]bool // spooled files in use
}

// New returns an importer; zero limits take their defaults.
func New(cfg Config) *Service {
	if cfg.MaxFeatures <= 0 {
		cfg.MaxFeatures = DefaultMaxFeatures
	}
	if cfg.GDALTimeout <= 0 {
		cfg.GDALTimeout = DefaultGDALTimeout
	}
	if cfg.CheckTimeout <= 0 {
		cfg.CheckTimeout = max(DefaultCheckTimeout, 2*cfg.GDALTimeout)
	}
	if cfg.Zip.MaxEntries <= 0 {
		cfg.Zip.MaxEntries = DefaultZipEntries
	}
	if cfg.Zip.MaxBytes <= 0 {
		cfg.Zip.MaxBytes = DefaultZipBytes
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, log: cfg.Log, gdal: gdal{timeout: cfg.GDALTimeout}, sem: make(chan struct{}, cfg.Workers), held: map[string]bool{}}
}

// Limits returns the limits in force, for messages.
func (s *Service) Limits() (maxFeatures int, zip ZipLimits) { return s.cfg.MaxFeatures, s.cfg.Zip }

// SpoolFile creates the temporary file an upload's body is written to before it is read.
func (s *Service) SpoolFile() (*os.File, error) {
	return os.CreateTemp(s.cfg.TempDir, spoolPrefix+"*")
}

const (
	spoolPrefix = "landatlas-upload-"
	workPrefix  = "landatlas-import-"
	// claimedMark follows spoolPrefix in the name of a spooled file that holds a created upload.
	claimedMark = "u"
)

// Start reads an upload in the background, at most Workers at a time, and removes its spooled
// file afterwards. The work is detached from the request that started it. While it waits for a
// worker the upload is kept alive, so that no sweep takes it for interrupted.
func (s *Service) Start(up store.Upload, path string) {
	s.wg.Add(1)
	path = s.claim(path, up.ID)
	s.hold(path, true)
	go func() {
		defer s.wg.Done()
		defer func() { os.Remove(path); s.hold(path, false) }()
		stop := s.keepAlive(up.ID)
		s.sem <- struct{}{}
		stop()
		defer func() { <-s.sem }()
		s.expire(context.Background())
		if _, err := s.Process(context.Background(), up, path, nil); err != nil {
			s.log.Info("upload not accepted", "upload", up.ID, "district", up.DistrictAGS, "err", err)
		}
	}()
}

// claim renames a spooled file after the upload it holds, so that a sweep removes it as soon as
// the upload is over, also when the process that read it was killed. It returns the new path (the
// old one if the file cannot be renamed).
func (s *Service) claim(path string, id int64) string {
	named := filepath.Join(filepath.Dir(path), spoolPrefix+claimedMark+strconv.FormatInt(id, 10)+"-"+strings.TrimPrefix(filepath.Base(path), spoolPrefix))
	if err := os.Rename(path, named); err != nil {
		return path
	}
	return named
}

// claimedID returns the upload id of a claimed spooled file's name.
func claimedID(name string) (int64, bool) {
	rest, ok := strings.CutPrefix(name, spoolPrefix+claimedMark)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.SplitN(rest, "-", 2)[0], 10, 64)
	return id, err == nil
}

// Wait waits until the background work has finished.
func (s *Service) Wait() { s.wg.Wait() }

// The timing of the sweep: a worker touches its upload every KeepAliveEvery; an upload not
// touched for StaleAfter has no worker any more and the sweep, every SweepEvery, marks it failed.
// An upload is thus never left "reading" or "checking" for more than a minute after its worker
// stopped.
const (
	KeepAliveEvery = 10 * time.Second
	StaleAfter     = 40 * time.Second
	SweepEvery     = 15 * time.Second
	// spoolStaleAfter is how long a spooled file nobody holds may stay: a slow client's upload
	// is still being written to it.
	spoolStaleAfter = 10 * time.Minute
)

// keepAlive touches an upload every KeepAliveEvery until stop is called.
func (s *Service) keepAlive(id int64) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(KeepAliveEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), KeepAliveEvery)
				if err := s.cfg.Uploads.Touch(ctx, id); err != nil {
					s.log.Warn("keep upload alive", "upload", id, "err", err)
				}
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// hold records that this process uses a spooled file (or no longer does).
func (s *Service) hold(path string, held bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held {
		s.held[path] = true
	} else {
		delete(s.held, path)
	}
}

// Recover marks as failed the uploads a stopped process left half-read, removes temporary files
// such a process left behind and the staged rows of uploads past StagingRetention. A server runs
// it when it starts, then Sweep keeps doing it.
func (s *Service) Recover(ctx context.Context) {
	s.expire(ctx)
	s.sweep(ctx)
}

// Sweep runs the sweep every SweepEvery until ctx ends.
func (s *Service) Sweep(ctx context.Context) {
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sweepCtx, cancel := context.WithTimeout(ctx, SweepEvery)
			s.sweep(sweepCtx)
			cancel()
		}
	}
}

// sweep marks uploads without a worker failed and removes the temporary files of uploads that
// are no longer read: a work directory or a spooled file once its upload finished or failed, and
// a spooled file of no upload (a request that broke off) that nobody holds after spoolStaleAfter.
func (s *Service) sweep(ctx context.Context) {
	if n, err := s.cfg.Uploads.Interrupted(ctx, StaleAfter); err != nil {
		s.log.Error("sweep interrupted uploads", "err", err)
		return
	} else if n > 0 {
		s.log.Warn("uploads without a worker marked as failed", "count", n)
	}
	entries, err := os.ReadDir(s.cfg.TempDir)
	if err != nil {
		return
	}
	work := map[string]int64{} // temporary paths by the upload they belong to
	var ids []int64
	for _, e := range entries {
		path := filepath.Join(s.cfg.TempDir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), workPrefix):
			id, err := strconv.ParseInt(strings.SplitN(strings.TrimPrefix(e.Name(), workPrefix), "-", 2)[0], 10, 64)
			if err != nil {
				id = 0 // an older server's directory: its upload is long over
			}
			work[path] = id
			ids = append(ids, id)
		case strings.HasPrefix(e.Name(), spoolPrefix):
			s.mu.Lock()
			held := s.held[path]
			s.mu.Unlock()
			if held {
				continue
			}
			if id, ok := claimedID(e.Name()); ok {
				work[path] = id // removed below once its upload is over
				ids = append(ids, id)
			} else if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > spoolStaleAfter {
				_ = os.Remove(path)
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	unfinished, err := s.cfg.Uploads.Unfinished(ctx, ids)
	if err != nil {
		s.log.Error("sweep temporary files", "err", err)
		return
	}
	for path, id := range work {
		if !unfinished[id] {
			_ = os.RemoveAll(path)
		}
	}
}

// expire removes the staged rows of uploads past StagingRetention.
func (s *Service) expire(ctx context.Context) {
	if n, err := s.cfg.Uploads.Expire(ctx, StagingRetention); err != nil {
		s.log.Error("expire old uploads", "err", err)
	} else if n > 0 {
		s.log.Info("staged rows of old uploads removed", "uploads", n)
	}
}

// tracker records the progress of an upload: in the database at most twice a second, so a reader
// polling GET /api/v1/uploads/{id} sees it move, and to an optional callback (the CLI's bar).
type tracker struct {
	ctx      context.Context
	uploads  store.Uploads
	id       int64
	callback func(upload.Progress)
	p        upload.Progress
	saved    time.Time
}

func (t *tracker) set(update func(*upload.Progress)) {
	phase := t.p.Phase
	update(&t.p)
	if t.callback != nil {
		t.callback(t.p)
	}
	if t.p.Phase == phase && time.Since(t.saved) < 500*time.Millisecond {
		return
	}
	t.saved = time.Now()
	_ = t.uploads.SetProgress(t.ctx, t.id, t.p)
}
