package corpus_test

import (
	"context"
	"os"
	"testing"

	"github.com/dossier-dev/dossier/internal/build"
	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/dossier-dev/dossier/internal/link"
	"github.com/dossier-dev/dossier/internal/markdown"
)

// The benchmarks here measure one briefing of a generated corpus against
// name tables of the reference size (1,500 entities, 80 topics), rather than
// the small hand-written fixtures of the markdown and link packages.

type fixture struct {
	paths    []string
	bodies   [][]byte
	size     int // bytes of all bodies
	mentions *link.Trie
	index    *link.Index
}

func newFixture(b *testing.B) fixture {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 20, Entities: 1500, Topics: 80, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	m, err := build.Load(context.Background(), os.DirFS(dir), false)
	if err != nil {
		b.Fatal(err)
	}
	f := fixture{mentions: link.NewTrie(false), index: link.NewIndex()}
	for i, e := range m.Site.Entities {
		ref := &link.Ref{Kind: link.Entity, Index: i, Slug: e.Slug, Name: e.Name, Class: e.Type}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			f.mentions.Add(n, ref)
			f.index.Add(n, ref)
		}
	}
	for _, br := range m.Site.Briefings {
		body := m.Site.File(br.Path).Body
		f.paths, f.bodies = append(f.paths, br.Path), append(f.bodies, body)
		f.size += len(body)
	}
	return f
}

// BenchmarkConvertBriefing converts one briefing body with mention linking
// and wikilink resolution against the reference-size name tables. Each
// iteration takes the next of 20 briefings, so that the figures are an
// average over briefings with and without code blocks and tables.
func BenchmarkConvertBriefing(b *testing.B) {
	f := newFixture(b)
	c := markdown.New(markdown.Options{})
	docs := make([]markdown.Doc, len(f.bodies))
	for i := range docs {
		docs[i] = markdown.Doc{Path: f.paths[i], Source: f.bodies[i], BodyLine: 1, Base: "briefings/b/",
			Mentions: f.mentions, Wikilinks: f.index, Mode: markdown.LinkFirst}
	}
	b.SetBytes(int64(f.size / len(docs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Convert(docs[i%len(docs)])
		i++
	}
}

// BenchmarkMatchBriefing finds the entity mentions in the text of one
// briefing (its Markdown source, as one string) with the 1,500-entity trie,
// taking the next of 20 briefings at each iteration.
func BenchmarkMatchBriefing(b *testing.B) {
	f := newFixture(b)
	texts := make([]string, len(f.bodies))
	var dst []link.Match
	matches := 0
	for i, body := range f.bodies {
		texts[i] = string(body)
		dst = f.mentions.Match(texts[i], dst[:0])
		matches += len(dst)
	}
	if matches == 0 {
		b.Fatal("no mentions found")
	}
	b.SetBytes(int64(f.size / len(texts)))
	b.ReportAllocs()
	b.ReportMetric(float64(matches)/float64(len(texts)), "matches/op")
	i := 0
	for b.Loop() {
		dst = f.mentions.Match(texts[i%len(texts)], dst[:0])
		i++
	}
}
