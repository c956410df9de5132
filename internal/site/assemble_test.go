package site

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

// TestSortKeys checks that sortKeys leaves keys as slices.Sort would, on
// hand-made cases and on random ones with many repeated keys.
func TestSortKeys(t *testing.T) {
	tests := []struct {
		name string
		nx   int
		keys []uint64
	}{
		{"empty", 3, nil},
		{"no entities", 0, nil},
		{"one", 1, []uint64{key(0, 5)}},
		{"repeats", 4, []uint64{key(3, 1), key(0, 2), key(3, 1), key(0, 1), key(2, 9), key(0, 2)}},
		{"last x only", 5, []uint64{key(4, 7), key(4, 2), key(4, 7)}},
		{"high y", 2, []uint64{key(1, 1<<32-1), key(1, 0), key(0, 1<<31)}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 5 {
		nx := 1 + r.IntN(50)
		keys := make([]uint64, r.IntN(2000))
		for i := range keys {
			keys[i] = key(r.IntN(nx), r.IntN(60))
		}
		tests = append(tests, struct {
			name string
			nx   int
			keys []uint64
		}{"random " + string(rune('a'+n)), nx, keys})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.keys)
			sortKeys(got, tc.nx)
			want := slices.Clone(tc.keys)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("sortKeys(%v) = %v, want %v", tc.keys, got, want)
			}
		})
	}
}

// TestEntityRelatedOrder checks the order of an entity's co-occurring
// entities: most shared briefings first, then by name. Xavier is listed
// with Bea and Dora in three briefings, with Abe and Cy in one each.
func TestEntityRelatedOrder(t *testing.T) {
	files := []*source.File{
		entityFile("x", "Xavier", "person"), entityFile("a", "Abe", "person"), entityFile("b", "Bea", "person"),
		entityFile("c", "Cy", "person"), entityFile("d", "Dora", "person"),
	}
	for i, with := range [][]string{{"Dora", "Bea"}, {"Bea", "Dora", "Cy"}, {"Abe", "Bea", "Dora"}} {
		slug := string(rune('p' + i))
		files = append(files, briefingFile("content/briefings/"+slug+".md", slug, slug, "2024-01-0"+string(rune('1'+i)), nil, append([]string{"Xavier"}, with...)))
	}
	s, diags := New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()
	var x *Entity
	for _, e := range s.Entities {
		if e.Name == "Xavier" {
			x = e
		}
	}
	var got []string
	for _, w := range x.Related() {
		got = append(got, fmt.Sprintf("%s %d", w.Entity.Name, w.Count))
	}
	if want := []string{"Bea 3", "Dora 3", "Abe 1", "Cy 1"}; !slices.Equal(got, want) {
		t.Errorf("Xavier's related = %v, want %v", got, want)
	}
	var among []string
	ranks := []int{s.Entities[0].Rank(), s.Entities[1].Rank(), s.Entities[2].Rank(), s.Entities[3].Rank()} // Abe, Bea, Cy, Dora
	x.EachRelatedAmong(ranks[1:], func(rank, count int) bool {
		among = append(among, fmt.Sprintf("%s %d", s.Entities[rank].Name, count))
		return len(among) < 2
	})
	if want := []string{"Bea 3", "Dora 3"}; !slices.Equal(among, want) {
		t.Errorf("EachRelatedAmong Bea, Cy, Dora stopped after two: %v, want %v", among, want)
	}
}

// TestEachRelatedAmong checks EachRelatedAmong against Related filtered by
// the ranks, on an entity that shares one briefing with
// hundreds of others (a run long enough to be searched) and a few
// briefings with some, for random sets of ranks, and stopping early.
func TestEachRelatedAmong(t *testing.T) {
	const ne = 400
	var files []*source.File
	for i := range ne {
		slug := fmt.Sprintf("e%03d", i)
		files = append(files, entityFile(slug, "Entity "+slug, "person"))
	}
	r := rand.New(rand.NewPCG(3, 5))
	for b := range 700 {
		with := []string{"Entity e000", fmt.Sprintf("Entity e%03d", 1+r.IntN(ne-1))}
		if b%3 == 0 {
			with = append(with, fmt.Sprintf("Entity e%03d", 1+r.IntN(20)))
		}
		slug := fmt.Sprintf("b%03d", b)
		files = append(files, briefingFile("content/briefings/"+slug+".md", slug, slug, "2024-01-01", nil, with))
	}
	s, diags := New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()
	e := s.Entities[0]
	ones := 0
	for _, w := range e.Related() {
		if w.Count == 1 {
			ones++
		}
	}
	if ones < 100 {
		t.Fatalf("only %d entities share one briefing with %s: no long run", ones, e.Name)
	}
	for trial := range 300 {
		var ranks []int
		for _, k := range r.Perm(ne)[:1+r.IntN(40)] {
			ranks = append(ranks, k)
		}
		slices.Sort(ranks)
		stop := r.IntN(12) // stop after this many, or never when 0
		var want, got []string
		for _, w := range e.Related() {
			if slices.Contains(ranks, w.Entity.Rank()) && (stop == 0 || len(want) < stop) {
				want = append(want, fmt.Sprint(w.Entity.Rank(), ":", w.Count))
			}
		}
		e.EachRelatedAmong(ranks, func(rank, count int) bool {
			got = append(got, fmt.Sprint(rank, ":", count))
			return stop == 0 || len(got) < stop
		})
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d, ranks %v, stop %d: got %v, want %v", trial, ranks, stop, got, want)
		}
	}
}

// TestGallop checks gallop against sort.Search for every answer of every
// length up to 70.
func TestGallop(t *testing.T) {
	for n := range 71 {
		for answer := 0; answer <= n; answer++ {
			calls := 0
			got := gallop(n, func(k int) bool {
				calls++
				if k < 0 || k >= n {
					t.Fatalf("n %d: f(%d) called", n, k)
				}
				return k >= answer
			})
			if got != answer {
				t.Errorf("gallop(%d, answer %d) = %d", n, answer, got)
			}
			if answer < 4 && calls > 5 {
				t.Errorf("gallop(%d, answer %d) called f %d times", n, answer, calls)
			}
		}
	}
}
