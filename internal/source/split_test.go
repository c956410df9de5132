package source

import "testing"

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb", "a\nb"},
		{"\uFEFFa\r\nb\r\n", "a\nb\n"},
		{"a\rb\r\rc", "a\nb\n\nc"},
		{"a\r\n\r\nb", "a\n\nb"},
		{"\uFEFF", ""},
		{"x\uFEFF", "x\uFEFF"}, // only a leading BOM is a BOM
	}
	for _, tt := range tests {
		if got := string(normalise([]byte(tt.in))); got != tt.want {
			t.Errorf("normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitFront(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		format   format
		front    string
		body     string
		bodyLine int
		ok       bool
	}{
		{"yaml", "---\ntitle: x\n---\nbody\n", formatYAML, "title: x\n", "body\n", 4, true},
		{"toml", "+++\ntitle = 'x'\n+++\nbody", formatTOML, "title = 'x'\n", "body", 4, true},
		{"no front matter", "# Title\ntext\n", formatNone, "", "# Title\ntext\n", 1, true},
		{"empty front matter", "---\n---\nbody", formatYAML, "", "body", 3, true},
		{"closing fence at end of file", "---\na: 1\n---", formatYAML, "a: 1\n", "", 4, true},
		{"trailing blanks on fences", "--- \na: 1\n---\t\nb", formatYAML, "a: 1\n", "b", 4, true},
		{"toml fence does not close yaml", "---\na: 1\n+++\n", formatYAML, "", "", 0, false},
		{"fence with text is not a fence", "---\na: 1\n--- x\n", formatYAML, "", "", 0, false},
		{"never closed", "---\ntitle: x\n", formatYAML, "", "", 0, false},
		{"only a fence", "+++", formatTOML, "", "", 0, false},
		{"body keeps later fences", "---\na: 1\n---\ntext\n---\nmore", formatYAML, "a: 1\n", "text\n---\nmore", 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := splitFront([]byte(tt.in))
			if ok != tt.ok || p.format != tt.format {
				t.Fatalf("ok, format = %v, %v; want %v, %v", ok, p.format, tt.ok, tt.format)
			}
			if !ok {
				return
			}
			if string(p.front) != tt.front || string(p.body) != tt.body || p.bodyLine != tt.bodyLine {
				t.Errorf("got front %q body %q line %d; want %q %q %d", p.front, p.body, p.bodyLine, tt.front, tt.body, tt.bodyLine)
			}
		})
	}
}
