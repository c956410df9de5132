package search

// termCache is a worker's own table of the terms it has met, by their
// bytes: the lookup of every token goes through it, so it is an
// open-addressing table on a hash of the bytes, without allocating, not a
// Go map.
type termCache struct {
	slots []cacheSlot // a power of two of them, at most half full
	n     int
}

type cacheSlot struct {
	term string // "" for an empty slot
	hash uint32
	id   uint32
}

// hashBytes is FNV-1a, 32 bits.
func hashBytes(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

// get returns the id of term and whether it is in the table.
func (c *termCache) get(term []byte, h uint32) (uint32, bool) {
	if len(c.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(c.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &c.slots[i]
		if s.term == "" {
			return 0, false
		}
		if s.hash == h && s.term == string(term) {
			return s.id, true
		}
	}
}

// put adds a term that is not in the table; term is not "".
func (c *termCache) put(term string, h, id uint32) {
	if 2*(c.n+1) > len(c.slots) {
		old := c.slots
		c.slots = make([]cacheSlot, max(2*len(old), 1024))
		c.n = 0
		for _, s := range old {
			if s.term != "" {
				c.put(s.term, s.hash, s.id)
			}
		}
	}
	mask := uint32(len(c.slots) - 1)
	i := h & mask
	for c.slots[i].term != "" {
		i = (i + 1) & mask
	}
	c.slots[i] = cacheSlot{term, h, id}
	c.n++
}
