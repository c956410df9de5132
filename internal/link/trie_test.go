package link

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestNextToken(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ,. ", nil},
		{"Kim Jong Un", []string{"Kim", "Jong", "Un"}},
		{"Kim's", []string{"Kim", "s"}},
		{"Kim’s", []string{"Kim", "s"}},
		{"AT&T and M&A", []string{"AT&T", "and", "M&A"}},
		{"Jong-un", []string{"Jong", "un"}},
		{"G7 2024", []string{"G7", "2024"}},
		{"Сергей Шойгу.", []string{"Сергей", "Шойгу"}},
		{"金正恩，朝鲜", []string{"金正恩", "朝鲜"}},
		{"Đặng", []string{"Đặng"}},                      // combining marks stay in the word
		{"नमस्ते दुनिया", []string{"नमस्ते", "दुनिया"}}, // Mc and Mn marks
		{"a\xffb", []string{"a", "b"}},                  // invalid UTF-8 separates
		{"x\u00a0y", []string{"x", "y"}},
	}
	for _, tt := range tests {
		var got []string
		for i := 0; ; {
			s, e := nextToken(tt.in, i)
			if s < 0 {
				break
			}
			got = append(got, tt.in[s:e])
			i = e
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// span is an expected match: the matched text and the name of the ref.
type span struct {
	text string
	ref  string
}

func TestTrieMatch(t *testing.T) {
	tests := []struct {
		name  string
		fold  bool
		names map[string][]string // ref name → names and aliases
		text  string
		want  []span
	}{
		{
			name:  "longest",
			names: map[string][]string{"Kim Jong Un": {"Kim Jong Un", "Kim"}, "Kim Jong": {"Kim Jong"}},
			text:  "Kim Jong Un met Kim Jong and Kim.",
			want:  []span{{"Kim Jong Un", "Kim Jong Un"}, {"Kim Jong", "Kim Jong"}, {"Kim", "Kim Jong Un"}},
		},
		{
			name:  "longest falls back when the long name breaks off",
			names: map[string][]string{"Kim": {"Kim"}, "KJU": {"Kim Jong Un"}},
			text:  "Kim Jong said",
			want:  []span{{"Kim", "Kim"}},
		},
		{
			name:  "leftmost",
			names: map[string][]string{"North Korea": {"North Korea"}, "Korea Institute": {"Korea Institute"}},
			text:  "North Korea Institute",
			want:  []span{{"North Korea", "North Korea"}},
		},
		{
			name:  "adjacent and repeated",
			names: map[string][]string{"A": {"Acme"}, "B": {"Beta"}},
			text:  "Acme Beta Acme",
			want:  []span{{"Acme", "A"}, {"Beta", "B"}, {"Acme", "A"}},
		},
		{
			name:  "whole words",
			names: map[string][]string{"Kim": {"Kim"}},
			text:  "Kimberly Kims AKim Kim2 Kim",
			want:  []span{{"Kim", "Kim"}},
		},
		{
			name:  "apostrophes",
			names: map[string][]string{"Kim": {"Kim"}},
			text:  "Kim's and Kim’s",
			want:  []span{{"Kim", "Kim"}, {"Kim", "Kim"}},
		},
		{
			name:  "apostrophe inside a name, either quote",
			names: map[string][]string{"O'Brien": {"O'Brien"}},
			text:  "O’Brien, O'Brien, O Brien",
			want:  []span{{"O’Brien", "O'Brien"}, {"O'Brien", "O'Brien"}},
		},
		{
			name:  "white space inside a name",
			names: map[string][]string{"KJU": {"Kim Jong Un"}},
			text:  "Kim Jong\nUn, Kim  Jong\t Un, Kim\u00a0Jong Un, Kim\r\nJong Un",
			want:  []span{{"Kim Jong\nUn", "KJU"}, {"Kim  Jong\t Un", "KJU"}, {"Kim\u00a0Jong Un", "KJU"}, {"Kim\r\nJong Un", "KJU"}},
		},
		{
			name:  "white space in the name collapses too",
			names: map[string][]string{"KJU": {"Kim  Jong\nUn"}},
			text:  "Kim Jong Un",
			want:  []span{{"Kim Jong Un", "KJU"}},
		},
		{
			name:  "punctuation separators must agree",
			names: map[string][]string{"Jong-un": {"Kim Jong-un"}, "KJU": {"Kim Jong Un"}},
			text:  "Kim, Jong Un; Kim Jong-un; Kim Jong un; Kim Jong Un",
			want:  []span{{"Kim Jong-un", "Jong-un"}, {"Kim Jong Un", "KJU"}},
		},
		{
			name:  "spaces around punctuation count",
			names: map[string][]string{"Rosneft": {"Rosneft, PJSC"}},
			text:  "Rosneft ,PJSC Rosneft , PJSC Rosneft, PJSC",
			want:  []span{{"Rosneft, PJSC", "Rosneft"}},
		},
		{
			name:  "case sensitive",
			names: map[string][]string{"Press": {"Press"}},
			text:  "press PRESS Press",
			want:  []span{{"Press", "Press"}},
		},
		{
			name:  "fold case",
			fold:  true,
			names: map[string][]string{"MC": {"Military Cooperation"}},
			text:  "MILITARY cooperation and military Cooperation",
			want:  []span{{"MILITARY cooperation", "MC"}, {"military Cooperation", "MC"}},
		},
		{
			name:  "fold case beyond ASCII",
			fold:  true,
			names: map[string][]string{"Kelvin": {"kelvin"}, "Shoigu": {"сергей шойгу"}},
			text:  "\u212Aelvin (with the kelvin sign) and СЕРГЕЙ ШОЙГУ",
			want:  []span{{"\u212Aelvin", "Kelvin"}, {"kelvin", "Kelvin"}, {"СЕРГЕЙ ШОЙГУ", "Shoigu"}},
		},
		{
			name:  "Cyrillic",
			names: map[string][]string{"Shoigu": {"Сергей Шойгу", "Шойгу"}},
			text:  "Министр Сергей Шойгу и Шойгу. Шойгуев",
			want:  []span{{"Сергей Шойгу", "Shoigu"}, {"Шойгу", "Shoigu"}},
		},
		{
			// A CJK run is one token: the name matches alone or between
			// punctuation, not inside a longer run.
			name:  "CJK",
			names: map[string][]string{"KJU": {"金正恩"}},
			text:  "金正恩，金正恩委员长。「金正恩」",
			want:  []span{{"金正恩", "KJU"}, {"金正恩", "KJU"}},
		},
		{
			name:  "combining marks",
			names: map[string][]string{"Dang": {"\u0110a\u0323\u0306ng"}}, // decomposed: Mn marks
			text:  "\u00d4ng \u0110a\u0323\u0306ng \u0111\u1ebfn. \u0110a\u0323\u0306ngx \u0110a\u0323",
			want:  []span{{"\u0110a\u0323\u0306ng", "Dang"}},
		},
		{
			name:  "ampersand",
			names: map[string][]string{"AT&T": {"AT&T"}, "AT": {"AT"}},
			text:  "AT&T, AT & T, AT",
			want:  []span{{"AT&T", "AT&T"}, {"AT", "AT"}, {"AT", "AT"}},
		},
		{
			name:  "characters around a name do not count",
			names: map[string][]string{"Yahoo": {" Yahoo! "}},
			text:  "Yahoo! and (Yahoo)",
			want:  []span{{"Yahoo", "Yahoo"}, {"Yahoo", "Yahoo"}},
		},
		{
			name:  "no token",
			names: map[string][]string{"Nothing": {"", " - ", "’"}},
			text:  " - ’",
			want:  nil,
		},
		{
			name:  "empty text",
			names: map[string][]string{"Kim": {"Kim"}},
			text:  "",
			want:  nil,
		},
		{
			name:  "long separators and tokens are no trouble",
			names: map[string][]string{"KJU": {"Kim Jong Un"}},
			text:  "Kim" + strings.Repeat("-", 500) + "Jong " + strings.Repeat("x", 500) + " Kim Jong Un",
			want:  []span{{"Kim Jong Un", "KJU"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTrie(tt.fold)
			for _, refName := range slices.Sorted(maps.Keys(tt.names)) {
				ref := &Ref{Kind: Entity, Name: refName}
				for _, n := range tt.names[refName] {
					tr.Add(n, ref)
				}
			}
			got := spans(tt.text, tr.Match(tt.text, nil))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Match(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func spans(text string, ms []Match) []span {
	var out []span
	for _, m := range ms {
		out = append(out, span{text[m.Start:m.End], m.Ref.Name})
	}
	return out
}

func TestTrieAmbiguous(t *testing.T) {
	kju := &Ref{Kind: Entity, Name: "Kim Jong Un", Slug: "kim-jong-un"}
	kyj := &Ref{Kind: Entity, Name: "Kim Yo Jong", Slug: "kim-yo-jong"}
	acme := &Ref{Kind: Entity, Name: "Acme"}
	tr := NewTrie(false)
	tr.Add("Kim Jong Un", kju)
	tr.Add("Kim", kju)
	tr.Add("Kim", kju) // the same ref twice is not ambiguous
	tr.Add("Kim Yo Jong", kyj)
	tr.Add("Kim", kyj)
	tr.Add("Kim Jong", kju)
	tr.Add("Kim  Jong", kyj) // ambiguous after white space is collapsed
	tr.Add("Acme", acme)
	tr.Add("Acme", acme)

	text := "Kim met Kim Jong Un, Kim Yo Jong and Kim Jong; Acme."
	want := []span{{"Kim Jong Un", "Kim Jong Un"}, {"Kim Yo Jong", "Kim Yo Jong"}, {"Acme", "Acme"}}
	if got := spans(text, tr.Match(text, nil)); !slices.Equal(got, want) {
		t.Errorf("Match\n got %q\nwant %q", got, want)
	}

	got := tr.Ambiguous()
	if len(got) != 2 {
		t.Fatalf("Ambiguous() = %+v, want 2 names", got)
	}
	if got[0].Name != "Kim" || !slices.Equal(got[0].Refs, []*Ref{kju, kyj}) {
		t.Errorf("Ambiguous()[0] = %+v, want Kim: [kju kyj]", got[0])
	}
	if got[1].Name != "Kim Jong" || !slices.Equal(got[1].Refs, []*Ref{kju, kyj}) {
		t.Errorf("Ambiguous()[1] = %+v, want Kim Jong: [kju kyj]", got[1])
	}
	if got := NewTrie(false).Ambiguous(); len(got) != 0 {
		t.Errorf("empty trie: Ambiguous() = %+v", got)
	}
}

func TestTrieContains(t *testing.T) {
	refs := map[string]*Ref{}
	tr := NewTrie(true)
	for name, aliases := range map[string][]string{
		"Military Cooperation": {"Military Cooperation", "Arms Deals"},
		"Sanctions":            {"Sanctions"},
		"North Korea":          {"North Korea", "DPRK"},
		"Sanctions on NK":      {"Sanctions on North Korea"},
		"Korea":                {"Korea"},
		"Ambiguous A":          {"Russia"},
		"Ambiguous B":          {"Russia"},
	} {
		refs[name] = &Ref{Kind: Topic, Name: name}
		for _, a := range aliases {
			tr.Add(a, refs[name])
		}
	}
	tests := []struct {
		text string
		want []string
	}{
		{"A Focus on Military Cooperation", []string{"Military Cooperation"}},
		{"a focus on MILITARY COOPERATION", []string{"Military Cooperation"}},
		{"Militarycooperation", nil},
		{"Sanctions on North Korea", []string{"Sanctions", "Sanctions on NK", "North Korea", "Korea"}},
		{"DPRK arms deals and more DPRK sanctions", []string{"North Korea", "Military Cooperation", "Sanctions"}},
		{"Russia", nil},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range tr.Contains(tt.text) {
			got = append(got, r.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Contains(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestZeroTrie(t *testing.T) {
	var tr Trie
	if got := tr.Match("Kim", nil); len(got) != 0 {
		t.Errorf("zero Trie: Match = %v", got)
	}
	tr.Add("Kim", &Ref{Name: "Kim"})
	if got := tr.Match("Kim", nil); len(got) != 1 {
		t.Errorf("zero Trie after Add: Match = %v", got)
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	for _, fold := range []bool{false, true} {
		tr, text := benchTrie(fold)
		dst := tr.Match(text, nil)
		if len(dst) == 0 {
			t.Fatal("benchmark text has no matches")
		}
		allocs := testing.AllocsPerRun(20, func() { dst = tr.Match(text, dst[:0]) })
		if allocs != 0 {
			t.Errorf("fold=%v: Match allocates %v times per call, want 0", fold, allocs)
		}
	}
}

func TestTrieConcurrent(t *testing.T) {
	tr, text := benchTrie(false)
	want := tr.Match(text, nil)
	ftr, ftext := benchTrie(true)
	fwant := ftr.Contains(ftext)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var dst []Match
			for range 20 {
				dst = tr.Match(text, dst[:0])
				if !slices.Equal(dst, want) {
					t.Error("concurrent Match gave another result")
					return
				}
				if got := ftr.Contains(ftext); !slices.Equal(got, fwant) {
					t.Error("concurrent Contains gave another result")
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchTrie returns a trie of 1,500 made-up names of one to three words, and
// a text of about 1,300 words that mentions some of them.
func benchTrie(fold bool) (*Trie, string) {
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []string{"ka", "ro", "mi", "sun", "lee", "jo", "va", "nov", "ski", "an", "tor", "el", "ba", "ri", "chen", "ov"}
	word := func() string {
		var b strings.Builder
		for range 2 + rng.IntN(2) {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		w := b.String()
		return strings.ToUpper(w[:1]) + w[1:]
	}
	tr := NewTrie(fold)
	var names []string
	for i := range 1500 {
		parts := make([]string, 1+rng.IntN(3))
		for j := range parts {
			parts[j] = word()
		}
		name := strings.Join(parts, " ")
		names = append(names, name)
		tr.Add(name, &Ref{Kind: Entity, Index: i, Name: name})
	}
	common := strings.Fields("the of and to in a is that for on with as was by at from it an be this which or are were has have said")
	var words []string
	for len(words) < 1300 {
		switch rng.IntN(20) {
		case 0:
			words = append(words, names[rng.IntN(len(names))]+"’s")
		case 1:
			words = append(words, word()+",")
		default:
			words = append(words, common[rng.IntN(len(common))])
		}
	}
	return tr, strings.Join(words, " ")
}

func BenchmarkMatch(b *testing.B) {
	for _, fold := range []bool{false, true} {
		b.Run(fmt.Sprintf("fold=%v", fold), func(b *testing.B) {
			tr, text := benchTrie(fold)
			dst := tr.Match(text, nil)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				dst = tr.Match(text, dst[:0])
			}
		})
	}
}
