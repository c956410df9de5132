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
			in := slices.Clone(tc.keys)
			got := sortKeys(in, tc.nx)
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
	var ranks []string
	x.EachRelatedRank(func(rank, count int) bool {
		ranks = append(ranks, fmt.Sprintf("%s %d", s.Entities[rank].Name, count))
		return len(ranks) < 2
	})
	if want := []string{"Bea 3", "Dora 3"}; !slices.Equal(ranks, want) {
		t.Errorf("EachRelatedRank stopped after two: %v, want %v", ranks, want)
	}
}
