package search

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

func terms(text string) []string {
	var out []string
	for _, t := range Tokens(text) {
		out = append(out, t.Term)
	}
	return out
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Kim Jong Un met Putin", []string{"kim", "jong", "un", "met", "putin"}},
		{"Kim’s train and Putin's car", []string{"kim", "train", "putin", "car"}}, // both apostrophes end a word; "s" is one letter
		{"Komsomolsk-on-Amur", []string{"komsomolsk", "amur"}},                    // "on" is a stop word
		{"AT&T, M&A and R&D", []string{"at&t", "m&a", "r&d"}},
		{"a & b", nil}, // '&' alone is no word
		{"Su-35 and F-16 in 2023", []string{"su", "35", "16", "2023"}},
		{"Ärzte ÉCOLE Straße œuvre", []string{"arzte", "ecole", "strasse", "oeuvre"}},
		{"cafe\u0301 and café", []string{"cafe", "cafe"}}, // combining accent and precomposed meet
		{"Şəki Łódź Đorđe", []string{"səki", "lodz", "dorde"}},
		{"МОСКВА Пхеньян", []string{"москва", "пхеньян"}},
		{"金正恩委员长", []string{"金正恩委员长"}},
		{"The UN and THE un", []string{"un", "un"}},
		{strings.Repeat("x", 33) + " ok", []string{"ok"}}, // over 32 characters
		{"x 7 y", []string{"7"}},                          // one letter is no term, one digit is
	} {
		if got := terms(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestTokenOffsets(t *testing.T) {
	text := "Meeting «Kozlov»: Ёлка"
	var got []string
	for _, tok := range Tokens(text) {
		got = append(got, text[tok.Start:tok.End])
	}
	if want := []string{"Meeting", "Kozlov", "Ёлка"}; !slices.Equal(got, want) {
		t.Errorf("token texts = %q, want %q", got, want)
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		q      string
		want   []string
		prefix bool
	}{
		{"Kozlov", []string{"kozlov"}, true},
		{"Kozlov ", []string{"kozlov"}, false},
		{"kim jo", []string{"kim", "jo"}, true},
		{"kim j", []string{"kim"}, false},      // "j" is not yet a term: "kim" is finished
		{"the kim of", []string{"kim"}, false}, // stop words drop out
		{"kim kim", []string{"kim"}, true},     // each term once
		{"a b c d e f g h", nil, false},        // nothing indexable
		{"one two three four five six seven", []string{"one", "two", "three", "four", "five", "six"}, false},
		{"Kozlov?", []string{"kozlov"}, false},
	} {
		q := ParseQuery(tc.q)
		if !slices.Equal(q.Terms, tc.want) || q.Prefix != tc.prefix {
			t.Errorf("ParseQuery(%q) = %q prefix %v, want %q prefix %v", tc.q, q.Terms, q.Prefix, tc.want, tc.prefix)
		}
	}
}

func TestCompareTermsIsUTF16Order(t *testing.T) {
	// JavaScript compares strings by UTF-16 code units: a rune above U+FFFF
	// (a surrogate pair, 0xD8xx) sorts before U+FFxx, unlike in UTF-8.
	terms := []string{"\uff21", "\U0001f600", "b", "a", "ab", "\ue000"}
	sort.Slice(terms, func(i, j int) bool { return compareTerms(terms[i], terms[j]) < 0 })
	want := []string{"a", "ab", "b", "\U0001f600", "\ue000", "\uff21"}
	if !slices.Equal(terms, want) {
		t.Errorf("order = %q, want %q", terms, want)
	}
}

func TestPlainText(t *testing.T) {
	html := "<h2 id=\"\x00Ix\x00\">Talks <a class=\"anchor\" href=\"#x\">#</a></h2>\n" +
		"<p>Kim&rsquo;s <a class=\"mention\" href=\"\x00Rentities/kim/\x00\">train</a> left.<sup id=\"fnref:1\"><a href=\"#fn:1\">1</a></sup></p>" +
		"<ul><li>one</li><li>two &amp; three</li></ul><pre><code>x := 1</code></pre>"
	want := "Talks Kim’s train left. one two & three x := 1"
	if got := PlainText([]byte(html)); got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
