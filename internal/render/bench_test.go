package render_test

import (
	"bytes"
	"cmp"
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/site"
)

// benchSite is the 500-briefing corpus the render benchmarks share, loaded
// once per test binary.
var benchSite = sync.OnceValues(func() (*build.Model, error) {
	dir, err := os.MkdirTemp("", "dossier-render-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := corpus.Write(dir, corpus.Options{Briefings: 500, Seed: 1}); err != nil {
		return nil, err
	}
	return build.Load(context.Background(), os.DirFS(dir), false)
})

// benchPage renders the page whose output file is pick's answer over and
// over: building the page's data (which resolves the link sentinels of
// every section on it) and executing the templates. Partials are reused
// across iterations, as they are across the pages of a build.
func benchPage(b *testing.B, pick func(s *site.Site) (file, title string), unit string, count func(*render.Page) int) {
	m, err := benchSite()
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.Load(defaultLayers())
	if err != nil {
		b.Fatal(err)
	}
	want, title := pick(m.Site)
	var job *render.Job
	for _, j := range render.Plan(m.Site, render.Options{}) {
		if j.File == want {
			job = &j
			break
		}
	}
	if job == nil {
		b.Fatalf("no job for %s", want)
	}
	var buf bytes.Buffer
	p := job.Data()
	if err := r.Execute(&buf, p); err != nil {
		b.Fatal(err)
	}
	if !strings.Contains(buf.String(), title) {
		b.Fatalf("%s does not name %q", want, title)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ReportMetric(float64(count(p)), unit)
	for b.Loop() {
		buf.Reset()
		if err := r.Execute(&buf, job.Data()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderTopicPage renders the first page of the largest topic of a
// generated corpus of 500 briefings: about 50 sections from as many
// briefings.
func BenchmarkRenderTopicPage(b *testing.B) {
	benchPage(b, func(s *site.Site) (string, string) {
		largest := slices.MaxFunc(s.Topics, func(x, y *site.Topic) int { return cmp.Compare(len(x.Sections), len(y.Sections)) })
		return render.PathOf(largest) + "index.html", largest.Title
	}, "sections/op", func(p *render.Page) int { return len(p.Topic.Sections) })
}

// BenchmarkRenderEntityPage renders the first page of the entity that
// appears in the most briefings: its profile, neighbourhood graph, a page
// of appearances and the entities it appears with.
func BenchmarkRenderEntityPage(b *testing.B) {
	benchPage(b, func(s *site.Site) (string, string) {
		largest := slices.MaxFunc(s.Entities, func(x, y *site.Entity) int { return cmp.Compare(len(x.Appearances), len(y.Appearances)) })
		return render.PathOf(largest) + "index.html", largest.Name
	}, "appearances/op", func(p *render.Page) int { return len(p.Entity.Appearances) })
}

// BenchmarkRenderBriefingPage renders the briefing page with the most
// headings: its contents, sections with their topics, entities by type,
// sources and related briefings.
func BenchmarkRenderBriefingPage(b *testing.B) {
	benchPage(b, func(s *site.Site) (string, string) {
		largest := slices.MaxFunc(s.Briefings, func(x, y *site.Briefing) int { return cmp.Compare(len(x.Headings), len(y.Headings)) })
		return render.PathOf(largest) + "index.html", largest.Title
	}, "headings/op", func(p *render.Page) int { return len(p.Briefing.B.Headings) })
}

// BenchmarkRenderBriefingList renders the first page of the list of
// briefings: a card for each of a page's briefings, grouped by month.
func BenchmarkRenderBriefingList(b *testing.B) {
	benchPage(b, func(s *site.Site) (string, string) {
		return "briefings/index.html", s.Briefings[0].Title
	}, "briefings/op", func(p *render.Page) int {
		n := 0
		for _, g := range p.Months {
			n += len(g.Briefings)
		}
		return n
	})
}
