package link

import (
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Trie finds names in text, token by token: whole words only, the longest
// name wins, and ambiguous names are skipped. It is built once with Add and
// then only read, so any number of goroutines may call Match and Contains on
// it at the same time; Add must not run concurrently with anything.
//
// No Aho-Corasick package gives whole-word, leftmost-longest matches with
// offsets, and a trie over tokens is small: its cost is
// O(tokens × tokens of the longest name), and Match allocates nothing beyond
// growing dst (but for the first Match or Contains after an Add, which lays
// the trie out for reading: see frozen).
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
	// starts filters the root lookup, which Match makes for every token of
	// the text while most tokens start no name: bit min(len(key), 63) of
	// starts[key[0]] is set for every key of the root. A token whose first
	// byte and length rule out every key needs no map lookup.
	starts [256]uint64
	// first says which bytes of a text may begin a token that is a key of
	// the root, without case folding: the first bytes of the keys. Match
	// skips to them, rather than cutting the whole text into tokens. (With
	// case folding nearly every byte could, and first is not used.)
	first [256]bool
	// ready is the trie laid out for reading, made by the first Match or
	// Contains after the last Add (see frozen); mu guards making it.
	ready atomic.Pointer[frozen]
	mu    sync.Mutex
}

// read returns t laid out for reading, making it if need be.
func (t *Trie) read() *frozen {
	if f := t.ready.Load(); f != nil {
		return f
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.ready.Load()
	if f == nil {
		f = t.freeze()
		t.ready.Store(f)
	}
	return f
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
	t.ready.Store(nil)
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
			if n == &t.root {
				t.starts[key[0]] |= 1 << min(len(key), 63)
				t.first[key[0]] = true
			}
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

// child returns the child of node n of f for the token text[s:e], which
// follows the separator text[pos:s] (ignored at the root), or -1. kb is
// scratch space for the key; it is returned so that a buffer that had to
// grow is reused.
func (t *Trie) child(f *frozen, n int32, text string, pos, s, e int, kb []byte) (int32, []byte) {
	if f.nodes[n].size == 0 {
		return -1, kb
	}
	if n == 0 {
		if !t.mayStart(text[s:e]) {
			return -1, kb
		}
		if !t.foldCase {
			return f.lookup(0, text[s:e]), kb
		}
	}
	kb = kb[:0]
	ok := true
	if n != 0 {
		if kb, ok = appendSep(kb, text[pos:s], t.maxKey); !ok || len(kb) >= t.maxKey {
			return -1, kb
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
		return -1, kb
	}
	return f.lookup(n, bytesKey(kb)), kb
}

// mayStart reports whether the token tok (not empty) may be a key of the
// root, going by starts. Without case folding the key is tok itself. With
// it, an ASCII first byte folds to an ASCII upper-case byte and the folded
// key is never longer than tok, so every length up to tok's is possible; a
// non-ASCII first rune may fold to anything, so it always passes.
func (t *Trie) mayStart(tok string) bool {
	c, l := tok[0], min(len(tok), 63)
	if !t.foldCase {
		return t.starts[c]&(1<<l) != 0
	}
	if c >= utf8.RuneSelf {
		return true
	}
	if 'a' <= c && c <= 'z' {
		c -= 'a' - 'A'
	}
	// Bits 0 to l; for l = 63 the shift overflows to 0 and the mask is all
	// ones, as it should be.
	return t.starts[c]&(2<<l-1) != 0
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
// Match allocates only to grow dst (and to lay the trie out, the first time
// after an Add): callers that scan many texts should pass the previous
// result back as dst[:0].
func (t *Trie) Match(text string, dst []Match) []Match {
	if t.root.kids == nil {
		return dst
	}
	f := t.read()
	var buf [128]byte
	kb := buf[:0]
	i := 0
	for {
		s, e := t.nextCandidate(text, i)
		if s < 0 {
			return dst
		}
		var n, best int32 = 0, -1
		bestEnd := 0
		n, kb = t.child(f, 0, text, s, s, e, kb)
		for pos := e; n >= 0; {
			nd := &f.nodes[n]
			if nd.nrefs > 0 {
				best, bestEnd = n, pos
			}
			if nd.size == 0 {
				break
			}
			s2, e2 := nextToken(text, pos)
			if s2 < 0 {
				break
			}
			n, kb = t.child(f, n, text, pos, s2, e2, kb)
			pos = e2
		}
		if best < 0 {
			i = e
			continue
		}
		if b := &f.nodes[best]; b.nrefs == 1 {
			dst = append(dst, Match{Start: s, End: bestEnd, Ref: b.ref})
		}
		i = bestEnd
	}
}

// nextCandidate returns the bounds of the first token at or after i that
// may be a key of the root, judging by its first byte, or (-1, -1). Like
// nextToken, which it equals but for the tokens it skips, it must start on
// a rune boundary that is not inside a token.
func (t *Trie) nextCandidate(text string, i int) (start, end int) {
	if t.foldCase {
		return nextToken(text, i)
	}
	for ; i < len(text); i++ {
		if !t.first[text[i]] {
			continue
		}
		// text[i] begins a rune, since the first byte of a key is never a
		// UTF-8 continuation byte. It begins a token if the rune before it
		// is no part of one.
		if i == 0 {
			break
		}
		switch byteClass[text[i-1]] {
		case classSep:
			return nextToken(text, i)
		case classRune:
			if r, _ := utf8.DecodeLastRuneInString(text[:i]); !isTokenRune(r) {
				return nextToken(text, i)
			}
		}
	}
	return nextToken(text, i)
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
	f := t.read()
	var out []*Ref
	var buf [128]byte
	kb := buf[:0]
	for i := 0; ; {
		s, e := nextToken(text, i)
		if s < 0 {
			return out
		}
		var n int32
		n, kb = t.child(f, 0, text, s, s, e, kb)
		for pos := e; n >= 0; {
			nd := &f.nodes[n]
			if nd.nrefs == 1 && !slices.Contains(out, nd.ref) {
				out = append(out, nd.ref)
			}
			if nd.size == 0 {
				break
			}
			s2, e2 := nextToken(text, pos)
			if s2 < 0 {
				break
			}
			n, kb = t.child(f, n, text, pos, s2, e2, kb)
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
