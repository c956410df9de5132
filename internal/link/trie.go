package link

import (
	"math"
	"slices"
	"strings"
)

// Trie finds names in text, token by token: whole words only, the longest
// name wins, and ambiguous names are skipped. It is built once with Add and
// then only read, so any number of goroutines may call Match and Contains on
// it at the same time; Add must not run concurrently with anything.
//
// No Aho-Corasick package gives whole-word, leftmost-longest matches with
// offsets, and a trie over tokens is small: its cost is
// O(tokens × tokens of the longest name), and Match allocates nothing beyond
// growing dst.
//
// The zero Trie is an empty, case-sensitive trie.
type Trie struct {
	foldCase bool
	root     node
	// maxKey is the length of the longest child key stored. Keys built from
	// the text are abandoned once they grow past it, which bounds the work
	// spent on a long separator or token and keeps the key buffer on the
	// stack.
	maxKey int
}

// node is one token position of one or more names. Its children are keyed by
// the next token, preceded (below the root) by the normalised separator and a
// NUL byte: "Un" after "Kim Jong" is keyed " \x00Un", so "Kim Jong-Un" and
// "Kim Jong Un" part ways on the separator. A token never contains a NUL, so
// the last NUL of a key splits it unambiguously.
type node struct {
	kids map[string]*node // nil for a leaf: most nodes are leaves
	// refs are the distinct refs whose name ends here. More than one makes
	// the name ambiguous: it is still consumed by Match, so that "Kim" inside
	// an ambiguous "Kim Jong" is not linked either, but never reported.
	refs []*Ref
	name string // the first name added that ends here, for Ambiguous
}

// NewTrie returns an empty trie. With foldCase, names match regardless of
// case (Unicode simple case folding, as strings.EqualFold); without it they
// match only as written, which is what mentions need: "Press" the entity is
// not "press" the verb.
func NewTrie(foldCase bool) *Trie {
	return &Trie{foldCase: foldCase}
}

// Add records name as a name of ref. Adding the same name for the same ref
// again changes nothing; adding it for another ref makes it ambiguous (see
// Ambiguous). Characters around the name's first and last token do not count
// ("Yahoo!" is added as "Yahoo"), and a name without any token is ignored.
func (t *Trie) Add(name string, ref *Ref) {
	n := &t.root
	var key []byte
	pos := 0
	for {
		s, e := nextToken(name, pos)
		if s < 0 {
			break
		}
		key = key[:0]
		if n != &t.root {
			key, _ = appendSep(key, name[pos:s], math.MaxInt)
			key = append(key, 0)
		}
		key = t.appendToken(key, name[s:e], math.MaxInt)
		child := n.kids[string(key)]
		if child == nil {
			child = &node{}
			if n.kids == nil {
				n.kids = make(map[string]*node)
			}
			n.kids[string(key)] = child
			t.maxKey = max(t.maxKey, len(key))
		}
		n = child
		pos = e
	}
	if n == &t.root {
		return
	}
	if n.name == "" {
		n.name = strings.TrimSpace(name)
	}
	if !slices.Contains(n.refs, ref) {
		n.refs = append(n.refs, ref)
	}
}

// appendToken appends tok to key, case-folded when the trie folds case.
func (t *Trie) appendToken(key []byte, tok string, limit int) []byte {
	if t.foldCase {
		key, _ = appendFold(key, tok, limit)
		return key
	}
	return append(key, tok...)
}

// child returns n's child for the token text[s:e], which follows the
// separator text[pos:s] (ignored at the root), or nil. kb is scratch space
// for the key; it is returned so that a buffer that had to grow is reused.
func (t *Trie) child(n *node, text string, pos, s, e int, kb []byte) (*node, []byte) {
	if n.kids == nil {
		return nil, kb
	}
	if n == &t.root && !t.foldCase {
		return n.kids[text[s:e]], kb
	}
	kb = kb[:0]
	ok := true
	if n != &t.root {
		if kb, ok = appendSep(kb, text[pos:s], t.maxKey); !ok || len(kb) >= t.maxKey {
			return nil, kb
		}
		kb = append(kb, 0)
	}
	if t.foldCase {
		kb, ok = appendFold(kb, text[s:e], t.maxKey)
	} else if len(kb)+e-s <= t.maxKey {
		kb = append(kb, text[s:e]...)
	} else {
		ok = false
	}
	if !ok {
		return nil, kb
	}
	return n.kids[string(kb)], kb
}

// Match appends to dst every leftmost-longest, whole-word occurrence of an
// added name in text, in order and without overlaps, and returns dst. An
// ambiguous name is skipped over but not reported, and neither is any
// shorter name inside it.
//
// Between two tokens of a name the text must have the name's separator, with
// any run of white space standing for any other ("Kim Jong\nUn" is
// "Kim Jong Un"; "Kim, Jong Un" is not) and ’ standing for '.
//
// Match allocates only to grow dst: callers that scan many texts should pass
// the previous result back as dst[:0].
func (t *Trie) Match(text string, dst []Match) []Match {
	if t.root.kids == nil {
		return dst
	}
	var buf [128]byte
	kb := buf[:0]
	i := 0
	for {
		s, e := nextToken(text, i)
		if s < 0 {
			return dst
		}
		var n, best *node
		bestEnd := 0
		n, kb = t.child(&t.root, text, s, s, e, kb)
		for pos := e; n != nil; {
			if len(n.refs) > 0 {
				best, bestEnd = n, pos
			}
			if n.kids == nil {
				break
			}
			s2, e2 := nextToken(text, pos)
			if s2 < 0 {
				break
			}
			n, kb = t.child(n, text, pos, s2, e2, kb)
			pos = e2
		}
		if best == nil {
			i = e
			continue
		}
		if len(best.refs) == 1 {
			dst = append(dst, Match{Start: s, End: bestEnd, Ref: best.refs[0]})
		}
		i = bestEnd
	}
}

// Contains returns every ref with a name that occurs in text as whole words,
// each once, in the order of first occurrence (by start, then shorter name
// first). Unlike Match, names may overlap: a heading "Sanctions on North
// Korea" belongs to both "Sanctions" and "North Korea" and also to
// "Sanctions on North Korea" if that is a name. Ambiguous names are ignored.
func (t *Trie) Contains(text string) []*Ref {
	if t.root.kids == nil {
		return nil
	}
	var out []*Ref
	var buf [128]byte
	kb := buf[:0]
	for i := 0; ; {
		s, e := nextToken(text, i)
		if s < 0 {
			return out
		}
		var n *node
		n, kb = t.child(&t.root, text, s, s, e, kb)
		for pos := e; n != nil; {
			if len(n.refs) == 1 && !slices.Contains(out, n.refs[0]) {
				out = append(out, n.refs[0])
			}
			if n.kids == nil {
				break
			}
			s2, e2 := nextToken(text, pos)
			if s2 < 0 {
				break
			}
			n, kb = t.child(n, text, pos, s2, e2, kb)
			pos = e2
		}
		i = e
	}
}

// Ambiguity is a name that was added for more than one ref: such a name is
// never matched, and `dossier check` warns about it.
type Ambiguity struct {
	Name string // the name as first added
	Refs []*Ref // the distinct refs that claim it, in the order added
}

// Ambiguous returns the ambiguous names, sorted by Name so that warnings come
// out in the same order on every run.
func (t *Trie) Ambiguous() []Ambiguity {
	var out []Ambiguity
	var walk func(n *node)
	walk = func(n *node) {
		if len(n.refs) > 1 {
			out = append(out, Ambiguity{Name: n.name, Refs: slices.Clone(n.refs)})
		}
		for _, c := range n.kids {
			walk(c)
		}
	}
	walk(&t.root)
	slices.SortFunc(out, func(a, b Ambiguity) int { return strings.Compare(a.Name, b.Name) })
	return out
}
