package source

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/corpus"
	"github.com/google/go-cmp/cmp"
)

// checkYAMLFast fails when decodeYAMLFast accepts src but decodes it
// otherwise than goccy/go-yaml does, and reports whether it accepted it.
func checkYAMLFast(t testing.TB, src []byte) bool {
	t.Helper()
	vals, pos, ok := decodeYAMLFast(src, 1)
	if !ok {
		return false
	}
	want, wantPos, diags := decodeYAMLFull("x.md", src, 1)
	if len(diags) > 0 {
		t.Fatalf("fast path accepted front matter that goccy/go-yaml rejects (%v):\n%s", diags, src)
	}
	if d := cmp.Diff(want, vals); d != "" {
		t.Fatalf("values differ from goccy/go-yaml (-goccy +fast):\n%s\nfront matter:\n%s", d, src)
	}
	if d := cmp.Diff(wantPos, pos); d != "" {
		t.Fatalf("positions differ from goccy/go-yaml (-goccy +fast):\n%s\nfront matter:\n%s", d, src)
	}
	return true
}

// yamlScalars are values the generated front matter is made of: text of
// every form the fast path reads, and what it must leave to goccy/go-yaml.
var yamlScalars = []string{
	`"Zepailtrol Signals Shift"`, `""`, `"a # b: c"`, `"x" `, `"it's"`, `"École – Łódź"`, `"<b>&amp;</b>"`,
	`'single'`, `'it''s'`, `''`, `''''`, `'a" b'`, `plain words`, `place`, `2012-01-01`, `École`, `Kim's`,
	`a - b`, `https://example.org/a?b=c`, `x  `,
	`"with \"escape\""`, `"tab\tx"`, `"unterminated`, `'unterminated`, `'x' y`, `"x" y`, `2012-01-01T10:00:00Z`,
	`1984`, `3.5`, `0x1F`, `1_000`, `12:30`, `yes`, `no`, `on`, `y`, `true`, `False`, `NULL`, `~`, `null`,
	`.inf`, `-.inf`, `.nan`, `NaN`, `Infinity`, `inf`, `mailto:x@y`, `a: b`,
	`a:`, `a #c`, `C#`, `[a, b]`, `{a: 1}`, `[]`, `|`, `>-`, `&anchor x`, `*alias`, `!tag x`, `!!str 1`,
	`– dash`, `-x`, `- x`, `?x`, `? x`, `%x`, `@x`, "`x`", `x,y`, `x, y`,
	`a:b`, `a b:c`, `caf\u00e9`, `x\`, `x'`, `Pokhayok Oblast`, `UNCLASSIFIED`, `a -- b`, `a ---`, `...`,
	`x ...`, `e5`, `1e5`, `+1`, `-1`, `0o17`, `0b101`, `07`, `_x`, `x_`, `x%`, `a&b`, `a*b`, `a!b`, `a=b`,
	`a;b`, `a(b)`, `a/b`, `a?`, `a!`, `*`, `&`, `a  b`, "a\u00a0b", "\u00a0", "a\u2028b", "a\u0085b",
}

var yamlKeys = []string{
	"title", "date", "summary", "topics", "entities", "sources", "url", "a-b", "_x", "x1", "Title",
	"t", "d", "s", "u", "Url", "name", "type", "aliases", "location",
	"true", "null", "y", "on", "no", "1st", "2020", "a b", `"q"`, "'q'", "a.b", "<<", "?", "-x", "é",
}

// genYAML makes front matter of random lines, mostly in the shapes
// content files have.
func genYAML(r *rand.Rand) []byte {
	pick := func(s []string) string {
		if len(s) > 20 && r.IntN(4) > 0 {
			s = s[:20] // mostly the shapes of real front matter
		}
		return s[r.IntN(len(s))]
	}
	indent := func() string { return strings.Repeat(" ", []int{0, 2, 2, 2, 2, 2, 4, 1, 3}[r.IntN(9)]) }
	var b strings.Builder
	for range 1 + r.IntN(6) {
		switch r.IntN(20) {
		case 0:
			b.WriteString("\n")
		case 1:
			b.WriteString(pick([]string{"# comment\n", "  \n", "---\n", "\t\n", "key:\tx\n", "  x\n", "- x\n"}))
		case 2, 3, 4, 5, 6, 7:
			b.WriteString(pick(yamlKeys) + ":\n")
			in := indent()
			for range r.IntN(4) {
				if r.IntN(3) > 0 {
					b.WriteString(in + "- " + pick(yamlScalars) + "\n")
					continue
				}
				b.WriteString(in + "- " + pick(yamlKeys) + ": " + pick(yamlScalars) + "\n")
				for range r.IntN(3) {
					b.WriteString(in + strings.Repeat(" ", []int{2, 2, 2, 1, 3}[r.IntN(5)]) + pick(yamlKeys) + ": " + pick(yamlScalars) + "\n")
				}
			}
		default:
			sep := pick([]string{": ", ": ", ":  ", ":", " : "})
			b.WriteString(pick(yamlKeys) + sep + pick(yamlScalars) + "\n")
		}
	}
	s := b.String()
	if r.IntN(8) == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return []byte(s)
}

// TestYAMLFastMatchesGoccy decodes generated front matter both ways.
func TestYAMLFastMatchesGoccy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	fast := 0
	for range n {
		if checkYAMLFast(t, genYAML(r)) {
			fast++
		}
	}
	t.Logf("%d of %d decoded by the fast path", fast, n)
	if fast < n/20 {
		t.Errorf("only %d of %d decoded by the fast path", fast, n)
	}
}

// TestYAMLFastCases covers the shapes content files have one by one.
func TestYAMLFastCases(t *testing.T) {
	for _, c := range []struct {
		src  string
		fast bool
	}{
		{"", true},
		{"\n\n", true},
		{"title: x\n", true},
		{"title: x", true},
		{"\n\ntitle: \"x\"\n\ndate: 2012-01-01\n", true},
		{"summary:\ntitle: x\n", true},
		{"summary:", true},
		{"topics:\n  - \"a\"\n  - b\n", true},
		{"topics:\n- a\n- b\ntitle: x\n", true},
		{"sources:\n  - title: \"x\"\n    url: \"y\"\n  - url: z\n  - w\n", true},
		{"sources:\n  -   title: x\n      url: y\n", true},
		{"q: 'it''s'\n", true},
		{"weight: 3\n", false},
		{"draft: false\n", false},
		{"topics: [a, b]\n", false},
		{"title: x # comment\n", false},
		{"# comment\ntitle: x\n", false},
		{"title: x\ntitle: y\n", false},
		{"title: a\n  b\n", false},
		{"title: \"a\n  b\"\n", false},
		{"params:\n  a: b\n", false},
		{"topics:\n  -\n", false},
		{"topics:\n  - a\n   - b\n", false},
		{"sources:\n  - title: x\n    url:\n", false},
		{"sources:\n  - title: x\n    title: y\n", false},
		{"title: |\n  x\n", false},
		{"title:\tx\n", false},
		{"\"title\": x\n", false},
		{"  title: x\n", false},
	} {
		src := []byte(c.src)
		if got := checkYAMLFast(t, src); got != c.fast {
			t.Errorf("%q: fast path %v, want %v", c.src, got, c.fast)
		}
	}
}

// TestYAMLFastCorpus checks that the generated corpus, which the
// performance figures are measured on, takes the fast path throughout.
func TestYAMLFastCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		parts, _ := splitFront(normalise(data))
		if !checkYAMLFast(t, parts.front) {
			t.Errorf("%s: not decoded by the fast path:\n%s", p, parts.front)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Fatalf("only %d files", n)
	}
}

// FuzzYAMLFast checks that whatever the fast path accepts, it decodes as
// goccy/go-yaml does.
func FuzzYAMLFast(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		f.Add(genYAML(r))
	}
	f.Add([]byte(kimYAML[4 : len(kimYAML)-14]))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkYAMLFast(t, src)
	})
}
