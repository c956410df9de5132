package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/search"
	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

// SessionOptions configure a Session.
type SessionOptions struct {
	Drafts  bool    // include drafts
	BaseURL *string // overrides baseURL when set
	Offline bool    // link index.html files (also set by offline = true)
	Live    bool    // pages are served by `dossier serve` (render.Options.Live)
}

// Changes say what changed on disk since the last Rebuild.
type Changes struct {
	// Paths are slash-separated and relative to the site root; a folder
	// stands for everything inside it.
	Paths []string
	// All asks for everything to be read and rendered again, as after a
	// watcher lost events.
	All bool
}

// Update is the outcome of a successful Rebuild.
type Update struct {
	Site *site.Site
	// Files is the whole built site, by slash path relative to the site
	// root. The map and its slices are never modified afterwards.
	Files map[string][]byte
	// Pages is the number of pages of the site.
	Pages int
	// Rendered lists the pages this build rendered, sorted.
	Rendered []string
	// Changed lists the files that are new or whose bytes changed, and
	// Removed those of the previous build that are gone; both sorted.
	Changed, Removed []string
	Warnings         diag.List
	// Refreshed says that the last site was refreshed in place for new
	// versions of briefing bodies (site.Refresh) rather than made anew.
	Refreshed bool
	Elapsed   time.Duration
	// Phases say where the time went, in order.
	Phases []Phase
}

// Phase is one step of a rebuild and how long it took.
type Phase struct {
	Name    string // read, model, convert, assemble, digest, render
	Elapsed time.Duration
}

// Session builds one site again and again in memory, redoing only what a
// change needs; `dossier serve` keeps one. It remembers every content file
// as decoded (source.Load reads only the changed ones again), every
// Markdown conversion (redone only when the document or a name it may link
// changed), and a digest of the data each page shows, so that only pages
// whose data changed are rendered again. The outcome is always the site a
// full build would write, byte for byte. A Session is not safe for
// concurrent use.
type Session struct {
	fsys fs.FS
	opts SessionOptions
	seed maphash.Seed

	loaded   bool
	cfg      config.Config
	cfgDiags diag.List
	tmplSum  uint64
	units    map[string]*unitState // by unit path (see unitOf)
	global   diag.List             // load diagnostics of no unit
	list     []*source.File        // every unit's files by path; nil to be made again
	conv     convCache
	assembly site.Memo // what Assemble can reuse

	sitemaps   keyedSitemap // the last sitemap
	lastDigest digestState  // what the last page digests leave for the next

	// modelDiags are what site.New reported for the last site it made,
	// which a refreshed site still has.
	modelDiags diag.List

	good *goodState // the last successful build

	rdr    *render.Renderer // the templates, loaded
	rdrSum uint64           // the templateSum they were loaded at

	search *search.Indexer // the search index, kept up to date (rebuild_search.go)
}

// unitState is what loading one unit gave.
type unitState struct {
	files  []*source.File
	broken []source.Broken // its files left out for errors (see source.LoadAll)
	diags  diag.List
}

// goodState is what the last successful build made, and from what.
type goodState struct {
	key     string            // configuration, templates and render options
	digests map[string]uint64 // by page file
	files   map[string][]byte
	model   *site.Site // the site it was rendered from, until a rebuild takes it
}

// keyedSitemap is a sitemap made with the configuration, templates and
// render options key (goodState.key).
type keyedSitemap struct {
	key  string
	memo sitemapMemo
}

// site returns the site the last good build was rendered from, or nil.
func (g *goodState) site() *site.Site {
	if g == nil {
		return nil
	}
	return g.model
}

// drop forgets the site of the last good build, which a rebuild is about
// to change or replace.
func (g *goodState) drop() {
	if g != nil {
		g.model = nil
	}
}

// sameFiles returns refresh with the files of unit now added when the
// unit is a set of briefing files that was loaded before under the same
// paths and both times without a diagnostic, or nil.
func sameFiles(refresh []*source.File, before, now *unitState) []*source.File {
	if before == nil || len(before.diags) > 0 || len(now.diags) > 0 || len(before.files) != len(now.files) {
		return nil
	}
	for i, f := range now.files {
		if f.Kind != source.KindBriefing || before.files[i].Path != f.Path {
			return nil
		}
	}
	return append(refresh, now.files...)
}

// NewSession prepares builds of the site in fsys.
func NewSession(fsys fs.FS, opts SessionOptions) *Session {
	return &Session{fsys: fsys, opts: opts, seed: maphash.MakeSeed(), units: map[string]*unitState{}}
}

// Rebuild brings the site up to date with the changes (everything on the
// first call) and returns the whole site. On failure it returns every
// error (a diag.List for content and template errors) and keeps the last
// good site for the next Rebuild to compare with.
func (ss *Session) Rebuild(ctx context.Context, ch Changes) (*Update, error) {
	start := time.Now()
	var phases []Phase
	mark := start
	phase := func(name string) {
		now := time.Now()
		phases = append(phases, Phase{name, now.Sub(mark)})
		mark = now
	}
	all := ch.All || !ss.loaded
	readCfg, readTmpl, readAll := all, all, all
	var units []string
	seen := map[string]bool{}
	for _, p := range ch.Paths {
		p = path.Clean(strings.TrimPrefix(p, "/"))
		top, _, _ := strings.Cut(p, "/")
		switch top {
		case config.FileName:
			readCfg = true
		case "content":
			unit, whole := unitOf(p)
			readAll = readAll || whole
			if unit != "" && !seen[unit] {
				seen[unit] = true
				units = append(units, unit)
			}
		case "templates", "themes":
			readTmpl = true
		}
	}

	// The last good site serves again, refreshed, when only briefings'
	// bodies changed (see site.Refresh): refresh collects their new files.
	var refresh []*source.File
	last := ss.good.site()
	if last != nil && !readAll && !readCfg && !readTmpl {
		refresh = []*source.File{}
	}
	ss.good.drop() // refreshing changes it in place
	if readCfg {
		ss.cfg, ss.cfgDiags = config.Load(ss.fsys)
		readTmpl = true // the theme may be another one
	}
	switch {
	case readAll:
		files, broken, d := source.LoadAll(ctx, ss.fsys, source.Options{Drafts: ss.opts.Drafts})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ss.units, ss.global, ss.list = map[string]*unitState{}, nil, nil
		partition(ss.units, files, broken, d, &ss.global)
	case len(units) > 0:
		loaded, err := loadUnits(ctx, ss.fsys, units, ss.opts.Drafts)
		if err != nil {
			return nil, err
		}
		for p, us := range loaded {
			old := ss.units[p]
			if refresh != nil {
				refresh = sameFiles(refresh, old, us)
			}
			if old != nil {
				ss.unlist(old.files)
			}
			if len(us.files) == 0 && len(us.diags) == 0 {
				delete(ss.units, p)
			} else {
				ss.units[p] = us
			}
			ss.enlist(us.files)
		}
	}
	if readTmpl {
		ss.tmplSum = ss.templateSum()
	}
	ss.loaded = true
	phase("read")

	// From here on this is Load, with conversions remembered.
	diags := slices.Clone(ss.cfgDiags)
	diags.Merge(ss.global)
	for _, us := range ss.units {
		diags.Merge(us.diags)
	}
	var s *site.Site
	var patch []*site.Briefing
	if refresh != nil {
		if patch, _ = last.Refresh(refresh); patch != nil {
			s = last
		}
	}
	var d diag.List
	var err error
	for {
		if s == nil {
			s, ss.modelDiags = site.New(ss.cfg, ss.files())
			s.Broken = ss.broken()
			patch = nil
		}
		phase("model")
		var ok bool
		d, ok, err = ss.convert(ctx, s, patch)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		s = nil // the refreshed site cannot serve: make it anew
	}
	diags.Merge(ss.modelDiags)
	diags.Merge(d)
	phase("convert")
	if diags.HasErrors() {
		return nil, diags.Sort().Errors()
	}
	ss.assembly.Changed(patch...)
	s.AssembleWith(&ss.assembly)
	phase("assemble")

	ropts := render.Options{Offline: ss.opts.Offline || ss.cfg.Offline, BaseURL: ss.cfg.BaseURL, Live: ss.opts.Live}
	if ss.opts.BaseURL != nil {
		if ropts.BaseURL, err = NormalizeBaseURL(*ss.opts.BaseURL); err != nil {
			return nil, err
		}
	}
	key := fmt.Sprintf("%#v|%x|%#v", ss.cfg, ss.tmplSum, ropts)
	prev := ss.good
	if prev == nil || prev.key != key {
		prev = &goodState{}
	}
	jobs := render.Plan(s, ropts)
	digests := ss.digests(s, jobs, ropts, patch, prev.digests)
	redo := map[string]bool{} // the pages to render
	for _, j := range jobs {
		if d := digests[j.File]; d == 0 || prev.digests[j.File] != d {
			redo[j.File] = true
		}
	}
	phase("digest")
	sink := ss.newSink()
	r, err := ss.renderer()
	if err != nil {
		return nil, err
	}
	if ss.sitemaps.key != key {
		ss.sitemaps = keyedSitemap{key: key}
	}
	plan := renderPlan{keep: func(file string) bool { return redo[file] }, r: r, jobs: jobs, sitemaps: &ss.sitemaps.memo}
	if _, err := renderSome(ctx, ss.fsys, s, ropts, sink, plan); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	out := make(map[string][]byte, len(jobs)+len(sink.files))
	for _, j := range jobs {
		if !redo[j.File] {
			out[j.File] = prev.files[j.File]
		}
	}
	u := &Update{Site: s, Pages: len(jobs), Warnings: diags.Sort().Warnings(), Refreshed: patch != nil}
	var old map[string][]byte
	if ss.good != nil {
		old = ss.good.files
	}
	for f, b := range sink.files {
		out[f] = b
		if o, ok := old[f]; !ok || !bytes.Equal(o, b) {
			u.Changed = append(u.Changed, f)
		}
	}
	ss.addSearch(sink, out, old, u)
	for f := range old {
		if _, ok := out[f]; !ok {
			u.Removed = append(u.Removed, f)
		}
	}
	for f := range redo {
		u.Rendered = append(u.Rendered, f)
	}
	slices.Sort(u.Rendered)
	slices.Sort(u.Changed)
	slices.Sort(u.Removed)
	u.Files = out
	ss.good = &goodState{key: key, digests: digests, files: out, model: s}
	phase("render")
	u.Phases = phases
	u.Elapsed = time.Since(start)
	return u, nil
}

// files returns the decoded content files of every unit, sorted by path
// as source.Load returns them.
func (ss *Session) files() []*source.File {
	if ss.list == nil {
		list := make([]*source.File, 0, len(ss.units))
		for _, us := range ss.units {
			list = append(list, us.files...)
		}
		slices.SortFunc(list, func(a, b *source.File) int { return strings.Compare(a.Path, b.Path) })
		ss.list = list
	}
	return ss.list
}

// broken returns the files of every unit left out for errors, by path.
func (ss *Session) broken() []source.Broken {
	var out []source.Broken
	for _, us := range ss.units {
		out = append(out, us.broken...)
	}
	slices.SortFunc(out, func(a, b source.Broken) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// unlist takes files out of the sorted list of every file.
func (ss *Session) unlist(files []*source.File) {
	for _, f := range files {
		if i, ok := slices.BinarySearchFunc(ss.list, f.Path, comparePath); ok && ss.list[i] == f {
			ss.list = slices.Delete(ss.list, i, i+1)
		}
	}
}

// enlist puts files into the sorted list of every file.
func (ss *Session) enlist(files []*source.File) {
	if ss.list == nil {
		return // made whole by files
	}
	for _, f := range files {
		i, _ := slices.BinarySearchFunc(ss.list, f.Path, comparePath)
		ss.list = slices.Insert(ss.list, i, f)
	}
}

func comparePath(f *source.File, path string) int { return strings.Compare(f.Path, path) }

// renderer returns the site's templates, parsed again only when they
// changed. It returns nil when the theme cannot be found, which
// rendering reports.
func (ss *Session) renderer() (*render.Renderer, error) {
	if ss.rdr != nil && ss.tmplSum != 0 && ss.rdrSum == ss.tmplSum {
		return ss.rdr, nil
	}
	ss.rdr = nil
	layers, _, err := render.Layers(ss.fsys, ss.cfg.Theme)
	if err != nil {
		return nil, nil
	}
	r, err := render.Load(layers)
	if err != nil {
		return nil, err
	}
	ss.rdr, ss.rdrSum = r, ss.tmplSum
	return r, nil
}

// templateSum is a digest of every template the site's pages are rendered
// with, so that saving a template without changing it renders nothing.
func (ss *Session) templateSum() uint64 {
	layers, _, err := render.Layers(ss.fsys, ss.cfg.Theme)
	if err != nil {
		return 0 // rendering reports the error
	}
	var h maphash.Hash
	h.SetSeed(ss.seed)
	for _, l := range layers {
		h.WriteString(l.Name)
		h.WriteByte(0)
		_ = fs.WalkDir(l.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == "." {
					return fs.SkipAll
				}
				h.WriteString("error " + p + err.Error())
				return nil
			}
			if d.IsDir() {
				return nil
			}
			b, err := fs.ReadFile(l.FS, p)
			if err != nil {
				h.WriteString("error " + p + err.Error())
				return nil
			}
			h.WriteString(p)
			h.WriteByte(0)
			writeLen(&h, len(b))
			h.Write(b)
			return nil
		})
	}
	return h.Sum64()
}
