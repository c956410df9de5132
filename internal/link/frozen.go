package link

import (
	"hash/maphash"
	"unsafe"
)

// frozen is a trie laid out for reading: its nodes in one array, the keys
// of each node's children side by side in another, short keys held in the
// child's slot itself. The maps Add builds put each node, each map and
// each key somewhere of its own in the heap; a large site's trie (tens of
// thousands of names) was then a few cache misses per token looked up,
// which made matching mentions grow faster than the site.
type frozen struct {
	seed  maphash.Seed
	nodes []fnode // nodes[0] is the root
	edges []fedge
	arena string // the keys longer than inKey
}

// fnode is a node of a frozen trie.
type fnode struct {
	ref    *Ref  // the ref whose name ends here, if nrefs is 1
	kids   int32 // the node's children: edges[kids:kids+size]
	size   int32
	hashed bool  // the children are an open-addressing table, not a list
	nrefs  uint8 // distinct refs whose name ends here, at most 2
}

// inKey is the longest key a fedge holds itself.
const inKey = 16

// fedge is a child: its key (see node) and its node.
type fedge struct {
	b     [inKey]byte // the key, if at most inKey bytes
	hash  uint32
	n     uint32 // the key's length
	off   uint32 // where a longer key is in arena
	child int32  // -1 for an empty slot of a table
}

// hashedFrom is the number of children from which a node's are a table.
const hashedFrom = 5

// freeze lays out t's nodes for reading.
func (t *Trie) freeze() *frozen {
	f := &frozen{seed: maphash.MakeSeed()}
	var arena []byte
	queue := []*node{&t.root} // a node's index is its place here
	for qi := 0; qi < len(queue); qi++ {
		n := queue[qi]
		nd := fnode{kids: int32(len(f.edges)), nrefs: uint8(min(len(n.refs), 2))}
		if len(n.refs) > 0 {
			nd.ref = n.refs[0]
		}
		size := len(n.kids)
		if size >= hashedFrom {
			nd.hashed = true
			for size = 8; size < 2*len(n.kids); size *= 2 {
			}
		}
		nd.size = int32(size)
		edges := make([]fedge, size)
		for i := range edges {
			edges[i].child = -1
		}
		next := 0
		for key, c := range n.kids {
			e := fedge{hash: f.hash(key), n: uint32(len(key)), child: int32(len(queue))}
			queue = append(queue, c)
			if len(key) <= inKey {
				copy(e.b[:], key)
			} else {
				e.off = uint32(len(arena))
				arena = append(arena, key...)
			}
			if !nd.hashed {
				edges[next] = e
				next++
				continue
			}
			mask := uint32(size - 1)
			i := e.hash & mask
			for edges[i].child >= 0 {
				i = (i + 1) & mask
			}
			edges[i] = e
		}
		f.edges = append(f.edges, edges...)
		f.nodes = append(f.nodes, nd)
	}
	f.arena = string(arena)
	return f
}

func (f *frozen) hash(key string) uint32 { return uint32(maphash.String(f.seed, key)) }

// lookup returns the child of node n for key, or -1.
func (f *frozen) lookup(n int32, key string) int32 {
	nd := &f.nodes[n]
	if nd.size == 0 {
		return -1
	}
	h := f.hash(key)
	es := f.edges[nd.kids : nd.kids+nd.size]
	if !nd.hashed {
		for i := range es {
			if es[i].hash == h && f.equal(&es[i], key) {
				return es[i].child
			}
		}
		return -1
	}
	mask := uint32(len(es) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := &es[i]
		if e.child < 0 {
			return -1
		}
		if e.hash == h && f.equal(e, key) {
			return e.child
		}
	}
}

// equal reports whether e's key is key.
func (f *frozen) equal(e *fedge, key string) bool {
	if int(e.n) != len(key) {
		return false
	}
	if len(key) <= inKey {
		return string(e.b[:len(key)]) == key
	}
	return f.arena[e.off:e.off+e.n] == key
}

// bytesKey is kb as a string, without a copy: for a lookup, during which
// kb does not change.
func bytesKey(kb []byte) string { return unsafe.String(unsafe.SliceData(kb), len(kb)) }
