package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"golang.org/x/tools/txtar"
)

// TestFinishAgrees checks that finish, which makes the text of a block
// once for all the first mentions in it, gives each mention the sentence
// that a pass of its own over the block gives.
func TestFinishAgrees(t *testing.T) {
	srcs := []string{
		"![alt [[Kim Jong Un]]](p.png) Putin met Kim in Russia. Then Acme.\n",
		"Kim met Putin. ![x [[Russia]]](a.png) Russia and Acme! Is Thing? Yes.\n",
		"<b>Putin</b> then Kim and <i>Russia</i> [[Russia]] met.\n\n| Kim | Putin |\n|---|---|\n| Russia | x [[Acme]] |\n",
		"- Kim\n  - Putin met Russia\n- Acme\n\n> Kim. Putin. Russia.\n",
		"Text[^1] Putin.\n\n[^1]: Kim in Russia. Putin again. Acme.\n",
		"Term Putin\n: definition with Kim\n: Russia\n",
		strings.Repeat("word ", 400) + "Kim " + strings.Repeat("more ", 400) + ". Putin " + strings.Repeat("x ", 300) + "Russia\n",
		"[Kim](x) met [[Putin]] and [[Russia|the country]] [[Acme Corporation]]. Thing.\n",
	}
	files, _ := filepath.Glob("testdata/golden/*.txtar")
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range a.Files {
			if file.Name == "input.md" {
				srcs = append(srcs, string(file.Data))
			}
		}
	}
	if b, err := os.ReadFile("testdata/bench.md"); err == nil {
		srcs = append(srcs, string(b))
	}
	c := New(Options{})
	checked, hidden := 0, 0
	for _, src := range srcs {
		for _, mode := range []Mode{LinkFirst, LinkAll} {
			doc := Doc{Path: "f.md", Source: []byte(src), BodyLine: 1, Base: "b/", Mentions: names, Wikilinks: targets, Mode: mode}
			st := newState(&doc, doc.Source)
			pc := parser.NewContext()
			pc.Set(stateKey, st)
			c.md.Parser().Parse(text.NewReader(doc.Source), parser.WithContext(pc))
			st.finish()
			for i, o := range st.firsts {
				want := ""
				if o.block != nil {
					one := plain{src: doc.Source}
					one.around(o.block, []ast.Node{o.target})
					want = sentence(one.b, one.spans[0].start, one.spans[0].end)
					if !one.spans[0].found {
						hidden++
					}
				}
				checked++
				if got := st.res.Mentions[i].Sentence; got != want {
					t.Errorf("%.40q…: mention %d: got %q, want %q", src, i, got, want)
				}
			}
			st.release()
		}
	}
	if checked < 50 || hidden == 0 {
		t.Errorf("checked %d mentions, %d of them hidden from the text: the cases no longer test finish", checked, hidden)
	}
}

func TestAppendSpaced(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"a", "a"}, {"\n", " "}, {"a\tb\r\nc", "a b  c"}, {"\n\n", "  "},
		{"日本\t語\n", "日本 語 "}, {"no breaks at all, just a longer line of text", "no breaks at all, just a longer line of text"},
	} {
		p := plain{b: []byte("x")}
		p.appendSpaced([]byte(tc.in))
		if got := string(p.b); got != "x"+tc.want {
			t.Errorf("appendSpaced(%q) = %q, want %q", tc.in, got[1:], tc.want)
		}
	}
}
