package site

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/dossier-dev/dossier/internal/config"
	"github.com/dossier-dev/dossier/internal/source"
)

// TestRelated checks related briefings on a crafted site whose answer is
// worked out by hand. Seven briefings, a day apart (A newest):
//
//	A: Kim, Kozlov, Lavrov   + Diplomacy
//	B: Kim, Kozlov
//	C: Kim, Lavrov           + Diplomacy
//	D: Kim, Lavrov, Shoigu   + Diplomacy
//	E: Kim, Shoigu           + Diplomacy
//	F: Kim
//	G: Kim
//
// With n = 7 a name carried by df briefings weighs log(1 + 7/df), a topic
// half that: Kim (7) 0.693, Kozlov and Shoigu (2) 1.504, Lavrov (3) 1.204,
// Diplomacy (4) 0.506.
func TestRelated(t *testing.T) {
	kim, koz, lav, sho, dip := "Kim Jong Un", "Alexander Kozlov", "Sergei Lavrov", "Sergei Shoigu", "Diplomacy"
	files := []*source.File{
		entityFile("kim", kim, "person"), entityFile("kozlov", koz, "person"),
		entityFile("lavrov", lav, "person"), entityFile("shoigu", sho, "person"),
		topicFile("diplomacy", dip),
	}
	for i, b := range []struct {
		slug     string
		entities []string
		topics   []string
	}{
		{"a", []string{kim, koz, lav}, []string{dip}},
		{"b", []string{kim, koz}, nil},
		{"c", []string{kim, lav}, []string{dip}},
		{"d", []string{kim, lav, sho}, []string{dip}},
		{"e", []string{kim, sho}, []string{dip}},
		{"f", []string{kim}, nil},
		{"g", []string{kim}, nil},
	} {
		date := fmt.Sprintf("2024-01-%02d", 20-i)
		files = append(files, briefingFile("content/briefings/"+b.slug+".md", b.slug, "Briefing "+b.slug, date, b.topics, b.entities))
	}
	s, diags := New(config.Default(), files)
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()
	by := map[string]*Briefing{}
	for _, b := range s.Briefings {
		by[b.Slug] = b
	}
	w := func(df float64) float64 { return math.Log(1 + 7/df) }

	type want struct {
		slug   string
		score  float64
		shared []string
	}
	for _, tc := range []struct {
		of   string
		want []want
		why  string
	}{
		{"a", []want{
			// C and D tie (Kim, Lavrov, Diplomacy): the newer, C, first.
			{"c", w(7) + w(3) + w(4)/2, []string{lav, kim, dip}},
			{"d", w(7) + w(3) + w(4)/2, []string{lav, kim, dip}},
			{"b", w(7) + w(2), []string{koz, kim}},
			{"e", w(7) + w(4)/2, []string{kim, dip}},
			// F and G share only Kim: the newer, F, takes the fifth place.
			{"f", w(7), []string{kim}},
		}, "ties go to the newer briefing; only five are kept"},
		{"d", []want{
			// E shares as many names as A and C, but Shoigu is rarer than Lavrov.
			{"e", w(7) + w(2) + w(4)/2, []string{sho, kim, dip}},
			{"a", w(7) + w(3) + w(4)/2, []string{lav, kim, dip}},
			{"c", w(7) + w(3) + w(4)/2, []string{lav, kim, dip}},
			{"b", w(7), []string{kim}},
			{"f", w(7), []string{kim}},
		}, "a rarer shared name counts more"},
		{"b", []want{
			{"a", w(7) + w(2), []string{koz, kim}},
			{"c", w(7), []string{kim}},
			{"d", w(7), []string{kim}},
			{"e", w(7), []string{kim}},
			{"f", w(7), []string{kim}},
		}, "one rare name outweighs a common one"},
	} {
		got := by[tc.of].Related
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d related, want %d", tc.of, len(got), len(tc.want))
			continue
		}
		for i, r := range got {
			x := tc.want[i]
			if r.Briefing.Slug != x.slug || math.Abs(r.Score-x.score) > 1e-9 || !slices.Equal(r.Shared, x.shared) {
				t.Errorf("%s (%s): related[%d] = %s %.4f %v, want %s %.4f %v", tc.of, tc.why, i,
					r.Briefing.Slug, r.Score, r.Shared, x.slug, x.score, x.shared)
			}
		}
	}

	// Deterministic: assembling again gives the same answer.
	before := relatedOf(s)
	s.Assemble()
	if after := relatedOf(s); !slices.Equal(before, after) {
		t.Errorf("a second Assemble changed related briefings:\n%v\n%v", before, after)
	}
}

// TestRelatedSharedNamesOnce: an entity and a topic with the same name are
// named once among the reasons.
func TestRelatedSharedNamesOnce(t *testing.T) {
	s, diags := New(config.Default(), []*source.File{
		entityFile("sanctions-regime", "Sanctions", "other"),
		topicFile("sanctions", "Sanctions"),
		briefingFile("content/briefings/a.md", "a", "A", "2024-01-02", []string{"sanctions"}, []string{"sanctions-regime"}),
		briefingFile("content/briefings/b.md", "b", "B", "2024-01-01", []string{"sanctions"}, []string{"sanctions-regime"}),
	})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	s.Assemble()
	if got := s.Briefings[0].Related; len(got) != 1 || !slices.Equal(got[0].Shared, []string{"Sanctions"}) {
		t.Errorf("related = %+v", got[0])
	}
}

func relatedOf(s *Site) []string { return relatedIn(s, "%.12f") }

// relatedIn lists every related briefing with its score in format and the
// shared names.
func relatedIn(s *Site, format string) []string {
	var out []string
	for _, b := range s.Briefings {
		for _, r := range b.Related {
			out = append(out, fmt.Sprintf("%s→%s "+format+" %v", b.Slug, r.Briefing.Slug, r.Score, r.Shared))
		}
	}
	return out
}
