package search

import (
	"strings"
	"testing"
)

// TestKeyOf checks that a term's key does not depend on the bytes after
// it in its buffer, nor on the buffer's room.
func TestKeyOf(t *testing.T) {
	for n := 1; n <= 40; n++ {
		term := strings.Repeat("abcdefghij", 4)[:n]
		want := keyOf([]byte(term)[:n:n])
		junk := []byte(term + strings.Repeat("\xff", 20))
		if got := keyOf(junk[:n]); got != want {
			t.Errorf("%q: key %+v after other bytes, %+v alone", term, got, want)
		}
		var c termCache
		c.put(term, want, uint32(n))
		if id, ok := c.get(junk[:n], keyOf(junk[:n])); !ok || id != uint32(n) {
			t.Errorf("%q: get = %d, %v", term, id, ok)
		}
		if _, ok := c.get([]byte(term+"x"), keyOf([]byte(term+"x"))); ok {
			t.Errorf("%q: found a longer term", term)
		}
	}
}
