// Package build is the one place that knows the whole pipeline: it reads the
// configuration and content, builds the model, links names, converts
// Markdown in parallel, assembles the indexes, renders every page in
// parallel and hands the files to the output writer.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dossier-dev/dossier/internal/blob"
	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/markdown"
	"github.com/dossier-dev/dossier/internal/output"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// Options configure one build.
type Options struct {
	Source  string  // the site folder (holds content/ and dossier.toml)
	Dest    string  // the output folder; "" means <Source>/public
	Drafts  bool    // include drafts
	BaseURL *string // overrides baseURL when set
	Offline bool    // link index.html files (also set by offline = true)
}

// Result describes a finished build.
type Result struct {
	Site     *site.Site
	Pages    int
	Stats    output.Stats
	Warnings diag.List
	Elapsed  time.Duration
}

// Summary is the one line a build prints.
func (r *Result) Summary() string {
	s := r.Site
	return fmt.Sprintf("built %d pages (%d briefings, %d topics, %d entities, %d pages) in %s: %d written, %d unchanged, %d removed",
		r.Pages, len(s.Briefings), len(s.Topics), len(s.Entities), len(s.Pages),
		r.Elapsed.Round(time.Millisecond), r.Stats.Written, r.Stats.Unchanged, r.Stats.Removed)
}

// Model is a loaded and converted site, ready to render.
type Model struct {
	Site     *site.Site
	Config   config.Config
	Warnings diag.List
}

// Load reads and converts a site without writing anything: everything a
// build does before rendering. It returns every content error at once, as a
// diag.List.
func Load(ctx context.Context, fsys fs.FS, drafts bool) (*Model, error) {
	return loadModel(ctx, fsys, drafts, nil)
}

// loadModel is Load keeping converted HTML in sp (in memory when nil).
func loadModel(ctx context.Context, fsys fs.FS, drafts bool, sp *blob.Spool) (*Model, error) {
	s, cfg, diags, err := load(ctx, fsys, drafts, sp)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags.Errors()
	}
	return &Model{Site: s, Config: cfg, Warnings: diags.Warnings()}, nil
}

// load runs every stage before rendering and returns the assembled site
// with all the diagnostics of the run, errors and warnings, sorted. A bad
// dossier.toml does not stop the content from being read, nor a bad file
// the others: the user gets every error of the run at once. err is only
// for an interruption.
func load(ctx context.Context, fsys fs.FS, drafts bool, sp *blob.Spool) (*site.Site, config.Config, diag.List, error) {
	cfg, diags := config.Load(fsys)
	files, broken, d := source.LoadAll(ctx, fsys, source.Options{Drafts: drafts, Compact: sp != nil})
	diags.Merge(d)
	if err := ctx.Err(); err != nil {
		return nil, cfg, nil, err
	}
	s, d := site.New(cfg, files)
	s.Broken = broken
	diags.Merge(d)
	diags.Merge(convert(ctx, s, sp))
	if err := ctx.Err(); err != nil {
		return nil, cfg, nil, err
	}
	if err := sp.Seal(); err != nil {
		return nil, cfg, nil, err
	}
	s.Assemble()
	return s, cfg, diags.Sort(), nil
}

// Build builds the site in opts.Source into opts.Dest.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	fsys := os.DirFS(opts.Source)
	var baseURL string
	if opts.BaseURL != nil {
		u, err := NormalizeBaseURL(*opts.BaseURL)
		if err != nil {
			return nil, err
		}
		baseURL = u
	}
	dest := opts.Dest
	if dest == "" {
		dest = path.Join(opts.Source, "public")
	}
	// The destination is checked first: a build that cannot be written is
	// refused before the work of converting it.
	w, err := output.Open(dest, opts.Source)
	if err != nil {
		return nil, err
	}
	// Converted HTML waits in a file beside the destination until the pages
	// that show it are written (see blob.Spool).
	sp, err := blob.NewSpool(filepath.Dir(w.Dir()))
	if err != nil {
		w.Abort()
		return nil, err
	}
	defer sp.Close()
	m, err := loadModel(ctx, fsys, opts.Drafts, sp)
	if err != nil {
		w.Abort()
		return nil, err
	}
	// Nothing reads a source file after loading: not rendering, not the
	// caller, since a full build is not rebuilt from.
	m.Site.ForgetFiles()
	ropts := render.Options{Offline: opts.Offline || m.Config.Offline, BaseURL: m.Config.BaseURL}
	if opts.BaseURL != nil {
		ropts.BaseURL = baseURL
	}
	n, err := Render(ctx, fsys, m.Site, ropts, w)
	if err != nil {
		w.Abort()
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		// Interrupted after rendering: the user asked for nothing to change.
		w.Abort()
		return nil, err
	}
	stats, err := w.Commit()
	if err != nil {
		return nil, err
	}
	return &Result{Site: m.Site, Pages: n, Stats: stats, Warnings: m.Warnings, Elapsed: time.Since(start)}, nil
}

// Sink receives the files of a build. output.Writer is one; the preview
// server keeps files in memory instead.
type Sink interface {
	WriteFile(rel string, data []byte) error
}

// Render writes every page, the feed, the sitemap and every static file of s
// to sink, rendering pages in parallel. It returns the number of pages.
func Render(ctx context.Context, fsys fs.FS, s *site.Site, opts render.Options, sink Sink) (int, error) {
	return renderSome(ctx, fsys, s, opts, sink, renderPlan{})
}

// renderPlan says what renderSome renders, and with what; its zero value
// renders everything.
type renderPlan struct {
	keep     func(file string) bool // the pages to render; nil for every page
	r        *render.Renderer       // the templates; nil loads them
	jobs     []render.Job           // render.Plan's pages of the site; nil plans them
	sitemaps *sitemapMemo           // the last sitemap, to reuse while its pages are the same; nil for none
}

// sitemapMemo is a sitemap made before and a digest of what it lists.
type sitemapMemo struct {
	sum   uint64
	files []render.SitemapFile
}

// sitemapSum digests what render.Sitemaps makes the sitemap of: the
// pages, the dates of the briefings' pages and the base URL.
func sitemapSum(s *site.Site, jobs []render.Job, baseURL string) uint64 {
	var h maphash.Hash
	h.SetSeed(sitemapSeed)
	h.WriteString(baseURL)
	h.WriteByte(0)
	for _, j := range jobs {
		h.WriteString(j.File)
		h.WriteByte(0)
	}
	for _, b := range s.Briefings {
		y, m, d := b.Date.Date()
		h.WriteString(b.Slug)
		fmt.Fprintf(&h, "\x00%d-%d-%d\x00", y, m, d)
	}
	return h.Sum64()
}

var sitemapSeed = maphash.MakeSeed()

// renderSome is Render for the pages whose output file keep accepts (every
// page when keep is nil); the other files of the site are always written.
// It returns the number of pages rendered. Rebuild uses it to re-render only
// the pages whose data changed, with the templates it loaded before (r; nil
// loads them).
func renderSome(ctx context.Context, fsys fs.FS, s *site.Site, opts render.Options, sink Sink, plan renderPlan) (int, error) {
	tmpl, static, err := render.Layers(fsys, s.Config.Theme)
	if err != nil {
		return 0, err
	}
	r, keep, jobs := plan.r, plan.keep, plan.jobs
	if r == nil {
		if r, err = render.Load(tmpl); err != nil {
			return 0, err
		}
	}
	if jobs == nil {
		jobs = render.Plan(s, opts)
	}

	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(render.Workers())
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	var mu sync.Mutex
	var diags diag.List
	rendered := 0
	for _, j := range jobs {
		if keep != nil && !keep(j.File) {
			continue
		}
		rendered++
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf := pool.Get().(*bytes.Buffer)
			defer pool.Put(buf)
			buf.Reset()
			p := j.Data()
			err := r.Execute(buf, p)
			p.Release() // buf holds the page now
			if err != nil {
				var d diag.Diagnostic
				if errors.As(err, &d) {
					// Template errors repeat on every page of a kind:
					// collect them and report each once.
					mu.Lock()
					diags.Add(d)
					mu.Unlock()
					return nil
				}
				return err
			}
			return sink.WriteFile(j.File, buf.Bytes())
		})
	}
	g.Go(func() error {
		var buf bytes.Buffer
		if err := render.Feed(&buf, s, opts.BaseURL); err != nil {
			return fmt.Errorf("write feed: %w", err)
		}
		return sink.WriteFile("feed.xml", buf.Bytes())
	})
	g.Go(func() error {
		// sitemap.xml, or past 50,000 pages a sitemap index of
		// sitemap-1.xml, sitemap-2.xml, …
		var sum uint64
		if m := plan.sitemaps; m != nil {
			if sum = sitemapSum(s, jobs, opts.BaseURL); sum == m.sum && m.files != nil {
				for _, f := range m.files {
					if err := sink.WriteFile(f.Name, f.Data); err != nil {
						return err
					}
				}
				return nil
			}
		}
		files, err := render.Sitemaps(s, jobs, opts.BaseURL, render.SitemapLimit)
		if err != nil {
			return fmt.Errorf("write sitemap: %w", err)
		}
		if m := plan.sitemaps; m != nil {
			m.sum, m.files = sum, files
		}
		for _, f := range files {
			if err := sink.WriteFile(f.Name, f.Data); err != nil {
				return err
			}
		}
		return nil
	})
	g.Go(func() error { return sink.WriteFile("assets/syntax.css", markdown.ChromaCSS()) })
	g.Go(func() error {
		// The search page's index: plain scripts beside search/index.html,
		// streamed, or kept up to date by a rebuild (rebuild_search.go).
		return writeSearch(ctx, s, sink)
	})
	g.Go(func() error { return copyStatic(fsys, s, static, sink) })
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if len(diags) > 0 {
		return 0, diags.Sort()
	}
	return rendered, nil
}

// copyStatic copies the theme's static files into assets/ (later layers
// override earlier ones), the site's static/ folder to the root, and each
// page bundle's files beside its page.
func copyStatic(fsys fs.FS, s *site.Site, layers []render.Layer, sink Sink) error {
	files := map[string][]byte{}
	for _, l := range layers {
		err := fs.WalkDir(l.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == "." {
				return fs.SkipAll
			}
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(l.FS, p)
			if err != nil {
				return err
			}
			files["assets/"+p] = b
			return nil
		})
		if err != nil {
			return fmt.Errorf("copy theme files from %s: %w", l.Name, err)
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := sink.WriteFile(n, files[n]); err != nil {
			return err
		}
	}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "static" {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return sink.WriteFile(p[len("static/"):], b)
	})
	if err != nil {
		return fmt.Errorf("copy static files: %w", err)
	}
	for _, b := range s.Briefings {
		dir := path.Dir(b.Path)
		for _, a := range b.Assets {
			data, err := fs.ReadFile(fsys, a)
			if err != nil {
				return fmt.Errorf("copy %s: %w", a, err)
			}
			if err := sink.WriteFile(render.PathOf(b)+a[len(dir)+1:], data); err != nil {
				return err
			}
		}
	}
	return nil
}
