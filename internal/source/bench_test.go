package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossier-dev/dossier/internal/corpus"
)

// benchCorpus writes a generated site of n briefings for a benchmark.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkDecodeFile measures decoding one generated briefing: checking
// its bytes, splitting and decoding its front matter, and its typed
// fields. It cycles through the briefings of a 100-briefing site.
func BenchmarkDecodeFile(b *testing.B) {
	dir := filepath.Join(benchCorpus(b, 100), "content", "briefings")
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var datas [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		datas = append(datas, data)
	}
	c := candidate{path: "content/briefings/x.md", kind: KindBriefing, name: "x"}
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if f, _ := decodeFile(c, datas[i%len(datas)]); f == nil {
			b.Fatal("not decoded")
		}
	}
	// CPU time tells more than wall time on a busy machine.
	b.ReportMetric((cpuTime()-cpu)*1e9/float64(b.N), "cpu-ns/op")
}

// BenchmarkLoad measures Load of a generated 1,000-briefing site (1,150
// files) as a full build calls it, with Compact set.
func BenchmarkLoad(b *testing.B) {
	fsys := os.DirFS(benchCorpus(b, 1000))
	cpu := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if files, diags := Load(context.Background(), fsys, Options{Compact: true}); len(files) == 0 || diags.HasErrors() {
			b.Fatal(diags)
		}
	}
	b.ReportMetric((cpuTime()-cpu)*1e9/float64(b.N), "cpu-ns/op")
}
