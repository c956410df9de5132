package search

import "encoding/binary"

// termCache is a worker's own table of the terms it has met, by their
// bytes: the lookup of every token goes through it, so it is an
// open-addressing table on a hash of the bytes, without allocating, not a
// Go map. A slot holds the first 16 bytes of its term, which is all of
// nearly every term: a lookup then compares two words in the slot rather
// than reading the term's string elsewhere in memory.
type termCache struct {
	slots []cacheSlot // a power of two of them, at most half full
	n     int
	long  []string // the terms of more than 16 bytes
}

type cacheSlot struct {
	key  cacheKey
	id   uint32
	long uint32 // where a term of more than 16 bytes is in termCache.long
}

// cacheKey is what a lookup compares: the first 16 bytes of a term,
// zero-padded, its length (0 for an empty slot) and a hash of all of it.
type cacheKey struct {
	k0, k1 uint64
	n      uint32
	hash   uint32
}

// keyOf returns the key of a term. The hash is of the term's bytes and
// length; it decides nothing but where the term goes in the table. When
// the term's slice has room for 16 bytes (the tokenizer's buffer does),
// the words are read from it at once and the bytes past the term masked
// off.
func keyOf(term []byte) cacheKey {
	k := cacheKey{n: uint32(len(term))}
	switch n := len(term); {
	case n >= 16:
		k.k0, k.k1 = binary.LittleEndian.Uint64(term), binary.LittleEndian.Uint64(term[8:])
	case cap(term) >= 16:
		full := term[:16]
		k.k0, k.k1 = binary.LittleEndian.Uint64(full), binary.LittleEndian.Uint64(full[8:])
		if n < 8 {
			k.k0 &= 1<<(8*n) - 1
			k.k1 = 0
		} else {
			k.k1 &= 1<<(8*(n-8)) - 1
		}
	default:
		var buf [16]byte
		copy(buf[:], term)
		k.k0, k.k1 = binary.LittleEndian.Uint64(buf[:]), binary.LittleEndian.Uint64(buf[8:])
	}
	h := k.k0*0x9e3779b97f4a7c15 ^ k.k1*0xc2b2ae3d27d4eb4f ^ uint64(len(term))*0x165667b19e3779f9
	if len(term) > 16 {
		rest := term[16:]
		for len(rest) >= 8 {
			h = (h ^ binary.LittleEndian.Uint64(rest)) * 0x9e3779b97f4a7c15
			rest = rest[8:]
		}
		var tail [8]byte
		copy(tail[:], rest)
		h = (h ^ binary.LittleEndian.Uint64(tail[:])) * 0xc2b2ae3d27d4eb4f
	}
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	k.hash = uint32(h)
	return k
}

// get returns the id of term, whose key is k, and whether it is in the
// table.
func (c *termCache) get(term []byte, k cacheKey) (uint32, bool) {
	if len(c.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(c.slots) - 1)
	for i := k.hash & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.key == k && (k.n <= 16 || c.long[s.long] == string(term)) {
			return s.id, true
		}
		if s.key.n == 0 {
			return 0, false
		}
	}
}

// put adds a term that is not in the table; term is not "" and k is its
// key.
func (c *termCache) put(term string, k cacheKey, id uint32) {
	s := cacheSlot{key: k, id: id}
	if k.n > 16 {
		s.long = uint32(len(c.long))
		c.long = append(c.long, term)
	}
	c.insert(s)
}

func (c *termCache) insert(s cacheSlot) {
	if 2*(c.n+1) > len(c.slots) {
		old := c.slots
		c.slots = make([]cacheSlot, max(2*len(old), 1024))
		c.n = 0
		for _, s := range old {
			if s.key.n != 0 {
				c.insert(s)
			}
		}
	}
	mask := uint32(len(c.slots) - 1)
	i := s.key.hash & mask
	for c.slots[i].key.n != 0 {
		i = (i + 1) & mask
	}
	c.slots[i] = s
	c.n++
}
