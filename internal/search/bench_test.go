package search_test

import (
	"context"
	"os"
	"testing"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/render"
	"github.com/dossier-dev/dossier/internal/search"
)

// BenchmarkIndexBriefing measures what indexing one briefing costs a
// build's worker: its plain text from its HTML, its tokens and their
// counts, and its record. It cycles through the briefings of a generated
// 100-briefing site (converted once, outside the timing), so that the
// worker's table of terms is as warm as in a build.
func BenchmarkIndexBriefing(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 100, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		b.Fatal(err)
	}
	var docs []search.Doc
	for _, d := range render.SearchDocs(m.Site) {
		if d.Kind == "briefing" {
			docs = append(docs, d)
		}
	}
	w := search.NewBenchWorker()
	for i := range docs {
		w.Index(&docs[i])
	}
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		w.Index(&docs[i%len(docs)])
	}
	// CPU time tells more than wall time on a busy machine.
	b.ReportMetric((cpuTime()-cpu)*1e9/float64(b.N), "cpu-ns/op")
}
