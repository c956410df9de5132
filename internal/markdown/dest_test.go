package markdown

import (
	"testing"

	"github.com/yuin/goldmark/renderer/html"
)

// TestIsDangerousURL checks isDangerousURL against goldmark's
// html.IsDangerousURL, which it replaces.
func TestIsDangerousURL(t *testing.T) {
	urls := []string{
		"", "d", "data:", "DATA:", "data:text/html,x", "data:image/", "data:image/png;base64,x", "Data:Image/PNG;x",
		"data:image/svg+xml;x", "data:image/gif;", "data:image/jpeg;", "data:image/webp;", "data:image/jpg;",
		"javascript:alert(1)", "JavaScript:x", "vbscript:x", "VBSCRIPT:", "file:///etc", "FILE:x", "https://x",
		"javascr\u0130pt:x", "java\u212ascript:", "\u212aile:", "jav\xffascript:", "data:image/\u212ang;",
		"mailto:a@b", "javascript", "file", "data",
	}
	for _, u := range urls {
		if got, want := isDangerousURL(u), html.IsDangerousURL([]byte(u)); got != want {
			t.Errorf("isDangerousURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func FuzzIsDangerousURL(f *testing.F) {
	f.Add("javascript:x")
	f.Add("data:image/png;x")
	f.Add("Data:Image/Webp;")
	f.Fuzz(func(t *testing.T, u string) {
		if got, want := isDangerousURL(u), html.IsDangerousURL([]byte(u)); got != want {
			t.Errorf("isDangerousURL(%q) = %v, want %v", u, got, want)
		}
	})
}
