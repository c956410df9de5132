package markdown

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// TestLexerFor checks that the cached lookup finds what lexers.Get finds,
// the first time and from the cache, for names, aliases, other cases,
// file extensions and unknown names, and that it keeps no long names.
func TestLexerFor(t *testing.T) {
	long := strings.Repeat("x", maxCachedLexerName+1)
	for _, name := range []string{"go", "Go", "GO", "python", "py", "yaml", "json", "sql", "bash", "sh", "text",
		"plaintext", "c++", "rs", "mermaid", "no-such-language", "", long} {
		want := ""
		if l := lexers.Get(name); l != nil && name != "" {
			want = l.Config().Name
		}
		for range 2 {
			got := ""
			if l := lexerFor([]byte(name)); l != nil {
				got = l.Config().Name
			}
			if got != want {
				t.Errorf("lexerFor(%q) = %q, want %q", name, got, want)
			}
		}
	}
	lexerCache.RLock()
	_, cached := lexerCache.m[long]
	n := len(lexerCache.m)
	lexerCache.RUnlock()
	if cached || n > maxCachedLexers {
		t.Errorf("cache holds the long name (%v) or too many names (%d)", cached, n)
	}
}
