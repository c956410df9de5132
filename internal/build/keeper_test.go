package build

import (
	"testing"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/markdown"
)

// TestKeeperStrings checks what a full build's keeper does with the
// strings it keeps: copies in its own blocks, the same text, and no copy
// where typography changes nothing (loading has copied those already);
// noKeeper, for rebuilds, keeps what it is given.
func TestKeeperStrings(t *testing.T) {
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	k := newKeeper()
	for _, tc := range []struct {
		in   string
		copy bool // a new string, in k's blocks
	}{
		{"Vladivostok", false},
		{"Kim's visit -- a \"summit\".", true},
		{"", false},
	} {
		got := k.smarten(tc.in)
		if want := markdown.Smarten(tc.in); got != want {
			t.Errorf("smarten(%q) = %q, want %q", tc.in, got, want)
		}
		if tc.in != "" && same(got, tc.in) == tc.copy {
			t.Errorf("smarten(%q): copied %v, want %v", tc.in, !same(got, tc.in), tc.copy)
		}
		if got := noKeeper.smarten(tc.in); got != markdown.Smarten(tc.in) {
			t.Errorf("noKeeper.smarten(%q) = %q", tc.in, got)
		}
	}

	names := []string{"Military Cooperation", "Sanctions"}
	kept := k.list(names)
	if len(kept) != len(names) || &kept[0] == &names[0] {
		t.Fatalf("list(%q) = %q, not a copy", names, kept)
	}
	for i := range names {
		if kept[i] != names[i] || same(kept[i], names[i]) {
			t.Errorf("list: %q is not a copy of %q", kept[i], names[i])
		}
	}
	if got := noKeeper.list(names); &got[0] != &names[0] {
		t.Error("noKeeper.list copied its list")
	}
	if got := k.list(nil); got != nil {
		t.Errorf("list(nil) = %q", got)
	}
}
