package markdown

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/yuin/goldmark/util"

	"github.com/dossier-dev/dossier/internal/link"
)

// TestPlainURL checks that the bytes isPlainURL accepts are left alone by
// both escapes that renderMention otherwise applies, and that the shortcut
// writes the same href and class as the escapes, plain or not.
func TestPlainURL(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := []byte{byte(c)}
		if isPlainURL(string(b)) && (!bytes.Equal(util.URLEscape(b, false), b) || !bytes.Equal(util.EscapeHTML(b), b)) {
			t.Errorf("isPlainURL accepts %q, which an escape changes", b)
		}
	}
	for _, kind := range []link.Kind{link.Entity, link.Topic, link.Briefing, link.Page} {
		for _, slug := range []string{"kim-jong-un", "a.b_c~d/e", "x y", "ü", "a&b", "%41", `q"<>`, ""} {
			for _, class := range []string{"", "person", `a"b&c<d>`, "\x00x"} {
				ref := &link.Ref{Kind: kind, Slug: slug, Class: class}
				var want bytes.Buffer
				want.WriteString(`<a class="mention`)
				if class != "" {
					want.WriteString(" mention-")
					want.Write(util.EscapeHTML([]byte(class)))
				}
				want.WriteString(`" href="` + sentinelRoot)
				want.Write(util.EscapeHTML(util.URLEscape([]byte(ref.Path()), false)))
				want.WriteString(sentinelEnd + `">`)
				var got bytes.Buffer
				w := bufio.NewWriter(&got)
				_, _ = (&nodeRenderer{}).renderMention(w, nil, &mentionNode{Ref: ref, Link: true}, true)
				_ = w.Flush()
				if got.String() != want.String() {
					t.Errorf("kind %v, slug %q, class %q: got %q, want %q", kind, slug, class, got.String(), want.String())
				}
			}
		}
	}
}
