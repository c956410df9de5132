package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
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

// codeSamples are code blocks for TestWriteTokens and FuzzWriteTokens:
// strings and comments across lines, characters that need escaping,
// trailing newlines or none, carriage returns and tabs.
var codeSamples = []struct{ lang, code string }{
	{"go", "package main\n\nimport \"fmt\"\n\n// main says <hello> & 'bye'.\nfunc main() {\n\tfmt.Println(`a\nb`, 'x', 1<<3)\n}\n"},
	{"python", "def f(x):\n    \"\"\"Doc\n    string & <more>\"\"\"\n    return x if x > 0 else -x  # comment\n"},
	{"json", "{\n  \"vessel\": \"Ka&rin <II>\",\n  \"imo\": 9384,\n  \"flags\": [true, null]\n}"},
	{"yaml", "key: 'value'\nlist:\n  - \"a\"\n  - b # note\nmulti: |\n  line one\n  line two\n"},
	{"sql", "SELECT a, 'it''s' FROM t\r\nWHERE b <> 3 -- done\r\n/* block\ncomment */"},
	{"bash", "#!/bin/sh\nfor f in *.md; do\n  echo \"$f\" > /dev/null && ls '$HOME'\ndone\n\n\n"},
	{"html", "<!doctype html>\n<p class=\"x\">Tom &amp; Jerry</p>\n<script>if (a < b) {}</script>"},
	{"rust", "fn main() {\n    let s = r#\"raw \"str\"\n\"#;\n    println!(\"{}\", s);\n}"},
	{"js", "const x = `tpl ${a}\n` + '<b>';\n"},
	{"text", "just <text>\n\nand more"},
	{"go", ""},
	{"go", "\n"},
	{"go", "\n\n\n"},
	{"python", "x"},
}

// TestWriteTokens checks that writeTokens writes what chroma's formatter
// writes, for real lexers and for token streams a lexer might give: empty
// tokens at the start, the end and inside lines, tokens with several
// newlines, and types without a class of their own.
func TestWriteTokens(t *testing.T) {
	for _, s := range codeSamples {
		l := lexers.Get(s.lang)
		if l == nil {
			t.Fatalf("no lexer for %q", s.lang)
		}
		for _, lexer := range []chroma.Lexer{chroma.Coalesce(l), l} {
			checkWriteTokens(t, s.lang+" "+lexer.Config().Name, func() chroma.Iterator {
				it, err := lexer.Tokenise(nil, s.code)
				if err != nil {
					t.Fatal(err)
				}
				return it
			})
		}
	}
	streams := [][]chroma.Token{
		nil,
		{{Type: chroma.Keyword, Value: ""}},
		{{Type: chroma.Text, Value: ""}},
		{{Type: chroma.Keyword, Value: "a"}, {Type: chroma.Keyword, Value: ""}},
		{{Type: chroma.Keyword, Value: "a\n"}, {Type: chroma.Keyword, Value: ""}},
		{{Type: chroma.Keyword, Value: "a\n"}, {Type: chroma.Name, Value: ""}, {Type: chroma.Keyword, Value: ""}},
		{{Type: chroma.Keyword, Value: ""}, {Type: chroma.Keyword, Value: "b"}},
		{{Type: chroma.Keyword, Value: ""}, {Type: chroma.Name, Value: ""}},
		{{Type: chroma.Comment, Value: "a\n\nb\n"}, {Type: chroma.Comment, Value: "\n"}},
		{{Type: chroma.Comment, Value: "\na\n"}, {Type: chroma.Comment, Value: "c"}, {Type: chroma.Comment, Value: ""}},
		{{Type: chroma.NameBuiltinPseudo, Value: "self"}, {Type: chroma.TokenType(8765), Value: "x&y"},
			{Type: chroma.TokenType(-3), Value: "<z>"}, {Type: chroma.TokenType(99999), Value: "'\""}},
	}
	for i, toks := range streams {
		checkWriteTokens(t, fmt.Sprint("stream ", i), func() chroma.Iterator { return chroma.Literator(toks...) })
	}
}

func checkWriteTokens(t *testing.T, name string, it func() chroma.Iterator) {
	t.Helper()
	var want bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))
	if err := f.Format(&want, styles.Get(lightStyle), it()); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	w := bufio.NewWriter(&got)
	writeTokens(w, it())
	_ = w.Flush()
	if got.String() != want.String() {
		t.Errorf("%s: writeTokens wrote\n%q\nchroma writes\n%q", name, got.String(), want.String())
	}
}

// FuzzWriteTokens compares writeTokens with chroma's formatter on code
// highlighted by one of the lexers of codeSamples.
func FuzzWriteTokens(f *testing.F) {
	for i, s := range codeSamples {
		f.Add(uint8(i), s.code)
	}
	f.Fuzz(func(t *testing.T, lang uint8, code string) {
		l := lexers.Get(codeSamples[int(lang)%len(codeSamples)].lang)
		checkWriteTokens(t, l.Config().Name, func() chroma.Iterator {
			it, err := chroma.Coalesce(l).Tokenise(nil, code)
			if err != nil {
				t.Fatal(err)
			}
			return it
		})
	})
}

// TestLFOptions checks that lfOptions tokenise code without \r exactly as
// chroma's defaults do.
func TestLFOptions(t *testing.T) {
	for _, s := range codeSamples {
		if strings.Contains(s.code, "\r") {
			continue
		}
		l := chroma.Coalesce(lexers.Get(s.lang))
		want, err := chroma.Tokenise(l, nil, s.code)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chroma.Tokenise(l, lfOptions, s.code)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: lfOptions give\n%v\nthe defaults give\n%v", s.lang, got, want)
		}
	}
}
