package markdown

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

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

// sentenceRef is sentence as it was first written, with strings and
// bytes.Index: appendSentence must agree with it.
func sentenceRef(txt []byte, start, end int) string {
	from := 0
	for _, sep := range []string{". ", "! ", "? "} {
		if i := bytes.LastIndex(txt[:start], []byte(sep)); i >= 0 && i+len(sep) > from {
			from = i + len(sep)
		}
	}
	to := len(txt)
	for _, sep := range []string{". ", "! ", "? "} {
		if i := bytes.Index(txt[end:], []byte(sep)); i >= 0 && end+i+1 < to {
			to = end + i + 1
		}
	}
	s := string(txt[from:to])
	lead := len(s) - len(strings.TrimLeft(s, " "))
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= maxSentence {
		return collapseSpaces(s)
	}
	return shorten(s, start-from-lead)
}

// TestSentenceAgrees compares sentence with sentenceRef on random texts
// made of sentence ends, spaces, letters and multi-byte runes.
func TestSentenceAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{".", "!", "?", " ", "  ", "\u00a0", "a", "Kim", "é", "日本", "\n", "word "}
	for range 5000 {
		var b strings.Builder
		n := rng.IntN(40)
		if rng.IntN(10) == 0 {
			n = 400 // longer than maxSentence
		}
		for range n {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		txt := []byte(b.String())
		start := rng.IntN(len(txt) + 1)
		end := start + rng.IntN(len(txt)-start+1)
		if got, want := sentence(txt, start, end), sentenceRef(txt, start, end); got != want {
			t.Fatalf("sentence(%q, %d, %d) = %q, want %q", txt, start, end, got, want)
		}
	}
}
