package markdown

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// positions turns byte offsets of one document into 1-based lines and
// rune columns. diag.LineCol copies the source up to the offset on every
// call; a document with tens of thousands of headings or broken wikilinks
// would make that quadratic (a 10 MB briefing spent 7 s counting lines).
// Here the line starts are found once, and a column is counted from the
// line start, or from the previous offset when it is on the same line and
// not before it, so that many offsets on one long line stay linear.
type positions struct {
	src    []byte
	starts []int // offsets at which lines begin; nil until first used
	spare  []int // room for starts, from an earlier document

	lastOff, lastLine, lastCol int
}

// at returns the line and column of offset off (clamped to the source).
func (p *positions) at(off int) (line, col int) {
	off = min(max(off, 0), len(p.src))
	if p.starts == nil {
		n := bytes.Count(p.src, []byte("\n")) + 1
		if cap(p.spare) < n {
			p.spare = make([]int, 0, n)
		}
		p.starts = append(p.spare[:0], 0)
		for i := 0; ; {
			j := bytes.IndexByte(p.src[i:], '\n')
			if j < 0 {
				break
			}
			i += j + 1
			p.starts = append(p.starts, i)
		}
	}
	line = sort.Search(len(p.starts), func(i int) bool { return p.starts[i] > off })
	from, col := p.starts[line-1], 1
	if p.lastLine == line && p.lastOff <= off && p.lastOff >= from {
		from, col = p.lastOff, p.lastCol
	}
	col += utf8.RuneCount(p.src[from:off])
	p.lastOff, p.lastLine, p.lastCol = off, line, col
	return line, col
}
