package markdown

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/dossier-dev/dossier/internal/diag"
)

// TestPositions checks positions.at against diag.LineCol at every offset
// where a rune starts, met in order, backwards and at random, and at
// offsets outside the source. (Offsets inside a rune, which Convert never
// asks for, can be off by one when met in order.)
func TestPositions(t *testing.T) {
	for _, src := range []string{"", "a", "\n", "\n\n", "a\nb", "a\nb\n", "é\nxü\n\nend", "\xff\n\xe6\x97\nx", "日本語\r\nx\ty"} {
		var offs []int
		for off := -1; off <= len(src)+1; off++ {
			if off <= 0 || off >= len(src) || utf8.RuneStart(src[off]) {
				offs = append(offs, off)
			}
		}
		rev := make([]int, len(offs))
		for i, o := range offs {
			rev[len(offs)-1-i] = o
		}
		shuffled := append([]int(nil), offs...)
		rand.New(rand.NewPCG(1, uint64(len(src)))).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		for _, order := range [][]int{offs, rev, shuffled} {
			p := positions{src: []byte(src)}
			for _, off := range order {
				line, col := p.at(off)
				wl, wc := diag.LineCol([]byte(src), off)
				if line != wl || col != wc {
					t.Errorf("%q at %d: got %d:%d, want %d:%d", src, off, line, col, wl, wc)
				}
			}
		}
	}
}
