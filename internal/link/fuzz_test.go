package link

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz test checks the trie against a slow, obviously correct matcher
// written independently: tokens from a regular expression, separators
// normalised with another, case compared with strings.EqualFold, and every
// name tried at every token.

var (
	oracleToken = regexp.MustCompile(`[\p{L}\p{Nd}\p{Mn}\p{Mc}&]+`)
	// unicode.IsSpace: ASCII white space, U+0085, and the Z categories.
	oracleSpace = regexp.MustCompile(`[\t\n\v\f\r \x{85}\p{Z}]+`)
)

func isOracleToken(r rune) bool {
	return r != utf8.RuneError && oracleToken.MatchString(string(r))
}

type oracleWords struct {
	toks   []string
	bounds [][]int // byte bounds of each token
	seps   []string
}

func oracleSplit(s string) oracleWords {
	var w oracleWords
	w.bounds = oracleToken.FindAllStringIndex(s, -1)
	for i, b := range w.bounds {
		w.toks = append(w.toks, s[b[0]:b[1]])
		if i > 0 {
			sep := s[w.bounds[i-1][1]:b[0]]
			sep = oracleSpace.ReplaceAllString(sep, " ")
			w.seps = append(w.seps, strings.ReplaceAll(sep, "’", "'"))
		} else {
			w.seps = append(w.seps, "")
		}
	}
	return w
}

type oracleName struct {
	words oracleWords
	ref   *Ref
}

// matchesAt reports whether name n matches the text's tokens from i on.
func (n oracleName) matchesAt(text oracleWords, i int, fold bool) bool {
	if i+len(n.words.toks) > len(text.toks) {
		return false
	}
	for j, tok := range n.words.toks {
		got := text.toks[i+j]
		if fold && !strings.EqualFold(got, tok) || !fold && got != tok {
			return false
		}
		if j > 0 && text.seps[i+j] != n.words.seps[j] {
			return false
		}
	}
	return true
}

// oracleMatch is what Trie.Match should return.
func oracleMatch(names []oracleName, text string, fold bool) []Match {
	w := oracleSplit(text)
	var out []Match
	for i := 0; i < len(w.toks); {
		best := 0
		var refs []*Ref
		for _, n := range names {
			k := len(n.words.toks)
			if k < best || !n.matchesAt(w, i, fold) {
				continue
			}
			if k > best {
				best, refs = k, nil
			}
			if !slices.Contains(refs, n.ref) {
				refs = append(refs, n.ref)
			}
		}
		if best == 0 {
			i++
			continue
		}
		if len(refs) == 1 {
			out = append(out, Match{Start: w.bounds[i][0], End: w.bounds[i+best-1][1], Ref: refs[0]})
		}
		i += best
	}
	return out
}

// oracleContains is what Trie.Contains should return.
func oracleContains(names []oracleName, text string, fold bool) []*Ref {
	w := oracleSplit(text)
	longest := 0
	for _, n := range names {
		longest = max(longest, len(n.words.toks))
	}
	var out []*Ref
	for i := range w.toks {
		// Shorter names first at each start, as the trie walks them.
		for k := 1; k <= longest && i+k <= len(w.toks); k++ {
			var refs []*Ref
			for _, n := range names {
				if len(n.words.toks) == k && n.matchesAt(w, i, fold) && !slices.Contains(refs, n.ref) {
					refs = append(refs, n.ref)
				}
			}
			if len(refs) == 1 && !slices.Contains(out, refs[0]) {
				out = append(out, refs[0])
			}
		}
	}
	return out
}

func FuzzTrieMatch(f *testing.F) {
	seeds := []struct {
		names, text string
		fold        bool
	}{
		{"Kim Jong Un|Kim|Kim Yo Jong", "Kim Jong Un met Kim Yo Jong; Kim’s sister. Kimberly", false},
		{"Kim|x|y|Kim", "Kim's Kims Kim", false},
		{"Kim|Kim Jong", "Kim Jong\nUn and Kim  Jong", false},
		{"Military Cooperation|Sanctions", "A FOCUS ON military cooperation and SANCTIONS", true},
		{"Сергей Шойгу|金正恩|AT&T", "Сергей\u00a0Шойгу, 金正恩委员长 金正恩 AT&T AT & T", false},
		{"O'Brien|Jong-un|Rosneft, PJSC", "O’Brien Jong-un Jong un Rosneft ,PJSC Rosneft,  PJSC", false},
		{"\u212Aelvin|ſun", "kelvin KELVIN SUN sun", true},
		{"Đặng|a\u0323", "Đặng a\u0323 a", false},
		{"a b c|a b|b c d|c", "a b c d a b x b c d", false},
		{"\xff|a\xffb|a", "a\xffb a\xff\xffb", false},
		// Names that begin inside other words, or with multi-byte runes.
		{"Donald|Élan|Jong Un", "McDonald Donald ÉlanÉlan xÉlan Élan éJong Un’Élan", false},
		{"donald|élan|\u212Aim", "MCDONALD mcdonald Donald ÉLAN xélan kim’KIM é\u212Aim", true},
	}
	for _, s := range seeds {
		f.Add(s.names, s.text, s.fold)
	}
	f.Fuzz(func(t *testing.T, names, text string, fold bool) {
		// Three refs shared round-robin: names repeat for the same ref
		// and collide across refs.
		refs := []*Ref{{Name: "r0"}, {Name: "r1"}, {Name: "r2"}}
		tr := NewTrie(fold)
		var oracle []oracleName
		for i, name := range strings.Split(names, "|") {
			ref := refs[i%len(refs)]
			tr.Add(name, ref)
			if w := oracleSplit(name); len(w.toks) > 0 {
				oracle = append(oracle, oracleName{w, ref})
			}
		}

		got := tr.Match(text, nil)
		prev := 0
		for _, m := range got {
			if m.Start < prev || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("match %+v out of order or bounds (previous end %d, len %d)", m, prev, len(text))
			}
			prev = m.End
			before, _ := utf8.DecodeLastRuneInString(text[:m.Start])
			first, _ := utf8.DecodeRuneInString(text[m.Start:])
			last, _ := utf8.DecodeLastRuneInString(text[:m.End])
			after, _ := utf8.DecodeRuneInString(text[m.End:])
			if m.Start > 0 && isOracleToken(before) || !isOracleToken(first) ||
				!isOracleToken(last) || m.End < len(text) && isOracleToken(after) {
				t.Fatalf("match %q (%+v) is not on token boundaries", text[m.Start:m.End], m)
			}
			sub := oracleSplit(text[m.Start:m.End])
			if !slices.ContainsFunc(oracle, func(n oracleName) bool {
				return n.ref == m.Ref && len(n.words.toks) == len(sub.toks) && n.matchesAt(sub, 0, fold)
			}) {
				t.Fatalf("match %q (%+v) is no name of %s", text[m.Start:m.End], m, m.Ref.Name)
			}
		}
		if want := oracleMatch(oracle, text, fold); !slices.Equal(got, want) {
			t.Fatalf("Match(%q) = %v, oracle says %v", text, got, want)
		}
		if got, want := tr.Contains(text), oracleContains(oracle, text, fold); !slices.Equal(got, want) {
			t.Fatalf("Contains(%q) = %v, oracle says %v", text, got, want)
		}
	})
}

// TestTrieManyNames checks Match and Contains against the oracle on tries
// large enough for every layout of the frozen form: nodes with one child,
// a few, and tables of many (at the root and below it), keys held in
// their slot and keys too long for it. A name added after a Match is
// found by the next one.
func TestTrieManyNames(t *testing.T) {
	words := []string{"Kim", "Jong", "Un", "Sergei", "Shoigu", "North", "Korea", "Vladivostok",
		"Konstantinovich-Tsiolkovsky", "Dzhugashvili-Ordzhonikidze", "Ministry", "Defence", "of", "the",
		"Aleksandr", "Kozlov", "Vostochny", "Cosmodrome", "Pyongyang", "Amur", "Oblast", "Sukhoi"}
	r := rand.New(rand.NewPCG(9, 4))
	for _, fold := range []bool{false, true} {
		refs := make([]*Ref, 60)
		for i := range refs {
			refs[i] = &Ref{Name: fmt.Sprint("r", i)}
		}
		tr := NewTrie(fold)
		var oracle []oracleName
		add := func(name string, ref *Ref) {
			tr.Add(name, ref)
			if w := oracleSplit(name); len(w.toks) > 0 {
				oracle = append(oracle, oracleName{w, ref})
			}
		}
		for i := range 300 {
			n := 1 + r.IntN(3)
			var parts []string
			for range n {
				parts = append(parts, words[r.IntN(len(words))])
			}
			add(strings.Join(parts, []string{" ", " ", "-", " of "}[r.IntN(4)]), refs[i%len(refs)])
		}
		check := func() {
			t.Helper()
			for range 200 {
				var text []string
				for range 30 {
					w := words[r.IntN(len(words))]
					if fold && r.IntN(3) == 0 {
						w = strings.ToUpper(w)
					}
					text = append(text, w)
				}
				s := strings.Join(text, []string{" ", ", ", " - "}[r.IntN(3)])
				if got, want := tr.Match(s, nil), oracleMatch(oracle, s, fold); !slices.Equal(got, want) {
					t.Fatalf("fold %v: Match(%q) = %v, oracle says %v", fold, s, got, want)
				}
				if got, want := tr.Contains(s), oracleContains(oracle, s, fold); !slices.Equal(got, want) {
					t.Fatalf("fold %v: Contains(%q) = %v, oracle says %v", fold, s, got, want)
				}
			}
		}
		check()
		f := tr.read()
		hashed, long := 0, 0
		for _, nd := range f.nodes {
			if nd.hashed {
				hashed++
			}
		}
		for _, e := range f.edges {
			if e.child >= 0 && e.n > inKey {
				long++
			}
		}
		if hashed < 2 || long == 0 {
			t.Fatalf("fold %v: %d nodes with a table of children and %d long keys: not every layout is tested", fold, hashed, long)
		}
		late := &Ref{Name: "late"}
		add("Blagoveshchensk", late)
		if got := tr.Match("to Blagoveshchensk by rail", nil); len(got) != 1 || got[0].Ref != late {
			t.Fatalf("fold %v: a name added after Match: %v", fold, got)
		}
		check()
	}
}
