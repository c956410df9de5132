package render_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/render"
)

// BenchmarkRenderTopicPage renders the first page of the largest topic of a
// generated corpus: building the page's data (which resolves the link
// sentinels of every section on it) and executing the templates.
func BenchmarkRenderTopicPage(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 500, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	m, err := build.Load(context.Background(), fsys, false)
	if err != nil {
		b.Fatal(err)
	}
	tmpl, _, err := render.Layers(fsys, m.Site.Config.Theme)
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.Load(tmpl)
	if err != nil {
		b.Fatal(err)
	}
	largest := m.Site.Topics[0]
	for _, t := range m.Site.Topics {
		if len(t.Sections) > len(largest.Sections) {
			largest = t
		}
	}
	want := render.PathOf(largest) + "index.html"
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
	if err := r.Execute(&buf, job.Data()); err != nil {
		b.Fatal(err)
	}
	if !strings.Contains(buf.String(), largest.Title) {
		b.Fatalf("%s does not name its topic", want)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ReportMetric(float64(min(len(largest.Sections), m.Site.Config.PageSize)), "sections/op")
	for b.Loop() {
		buf.Reset()
		if err := r.Execute(&buf, job.Data()); err != nil {
			b.Fatal(err)
		}
	}
}
