package source

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplit feeds arbitrary bytes through normalising, splitting and
// decoding as every kind of file: whatever a user saves, Load must report
// it, never panic, and a File it returns must keep its promises.
func FuzzSplit(f *testing.F) {
	f.Add([]byte(kimYAML))
	f.Add([]byte(kimTOML))
	f.Add([]byte("\uFEFF---\r\ntitle: x\r\ndate: 2023-09-13\r\n---\r\nbody"))
	f.Add([]byte("---\ntitle: [\n---\n"))
	f.Add([]byte("+++\n[a]\nb = {c = [1, 2, {d = 3}]}\n+++\n"))
	f.Add([]byte("---\na: &x [1, 2]\nb: *x\n<<: {c: 1}\n---\n"))
	f.Add([]byte("---\nslug: ../x\nsources: [{url: 'javascript:x'}]\n---\n"))
	f.Add([]byte("---\ntitle: x\xff\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		for kind := KindBriefing; kind <= KindPage; kind++ {
			c := candidate{path: "content/x/2023-09-13-name.md", kind: kind, name: "2023-09-13-name"}
			file, diags := decodeFile(c, data)
			for _, d := range diags {
				if d.Line < 1 || d.Col < 1 || d.Msg == "" {
					t.Fatalf("bad diagnostic %+v", d)
				}
			}
			if file == nil {
				if !diags.HasErrors() {
					t.Fatal("no file and no error")
				}
				continue
			}
			if diags.HasErrors() {
				t.Fatal("a file with errors was returned")
			}
			if file.Slug == "" || strings.ContainsAny(file.Slug, "/\\\x00") || strings.HasPrefix(file.Slug, ".") {
				t.Fatalf("bad slug %q", file.Slug)
			}
			if !utf8.Valid(file.Body) || file.BodyLine < 1 {
				t.Fatalf("bad body at line %d", file.BodyLine)
			}
			if file.FieldPos == nil {
				t.Fatal("nil FieldPos")
			}
		}
	})
}

// FuzzSlugify checks that no input makes a slug that could name a path
// outside its folder or look untidy in a URL.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Kim in Russia", "../../etc/passwd", "Überblick", "हिन्दी", "a\x00b", "--x--", ".", "\xff\xfe", "C:\\x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slug := Slugify(s)
		if strings.ContainsAny(slug, "/\\.\x00") || strings.HasPrefix(slug, "-") || strings.HasSuffix(slug, "-") || strings.Contains(slug, "--") {
			t.Fatalf("Slugify(%q) = %q", s, slug)
		}
		if !utf8.ValidString(slug) {
			t.Fatalf("Slugify(%q) = %q is not valid UTF-8", s, slug)
		}
		if Slugify(slug) != slug {
			t.Fatalf("Slugify is not idempotent: %q -> %q -> %q", s, slug, Slugify(slug))
		}
	})
}
