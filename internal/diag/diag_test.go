package diag

import (
	"errors"
	"testing"
)

func TestDiagnosticError(t *testing.T) {
	for _, tc := range []struct {
		d    Diagnostic
		want string
	}{
		{Errorf("content/a.md", 3, 7, "bad %s", "thing"), "content/a.md:3:7: bad thing"},
		{Warnf("content/a.md", 3, 7, "odd"), "content/a.md:3:7: warning: odd"},
		{Errorf("dossier.toml", 0, 0, "unknown position"), "dossier.toml:1:1: unknown position"},
	} {
		if got := tc.d.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestListSortAndErr(t *testing.T) {
	var l List
	l.Errorf("b.md", 2, 1, "second file")
	l.Warnf("a.md", 9, 1, "a warning")
	l.Errorf("a.md", 10, 2, "later line")
	l.Errorf("a.md", 2, 5, "earlier line")
	l.Errorf("a.md", 2, 5, "earlier line") // duplicates collapse
	if !l.HasErrors() {
		t.Fatal("HasErrors = false")
	}
	err := l.Err()
	want := "a.md:2:5: earlier line\na.md:10:2: later line\nb.md:2:1: second file"
	if err == nil || err.Error() != want {
		t.Errorf("Err() =\n%v\nwant\n%s", err, want)
	}
	var back List
	if !errors.As(err, &back) || len(back) != 3 {
		t.Errorf("errors.As recovers %d diagnostics, want 3", len(back))
	}
	if w := l.Warnings(); len(w) != 1 || w[0].Msg != "a warning" {
		t.Errorf("Warnings() = %v", w)
	}
	if (List{Warnf("a", 1, 1, "w")}).Err() != nil {
		t.Error("a list of warnings is not an error")
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\ncdé f\n\nx")
	for _, tc := range []struct {
		off, line, col int
	}{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 2, 4}, // é is two bytes but one column
		{9, 2, 6}, {10, 3, 1}, {11, 4, 1}, {99, 4, 2}, {-1, 1, 1},
	} {
		line, col := LineCol(src, tc.off)
		if line != tc.line || col != tc.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
}
