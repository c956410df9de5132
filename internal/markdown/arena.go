package markdown

// arenaBlock is how many values an arena allocates at a time.
const arenaBlock = 64

// arena hands out zeroed values of T, allocated a block at a time, for
// what a conversion adds to its tree: mention nodes, the Text nodes that
// splitting makes, heading ids. The tree is dropped when the conversion
// ends and the Result points into none of it, so the blocks are scratch
// space: reset makes them ready for the next conversion. A value never
// moves, so pointers to it stay valid until reset.
type arena[T any] struct {
	blocks []*[arenaBlock]T
	used   int // values handed out since the last reset
}

// new returns a pointer to a zeroed T.
func (a *arena[T]) new() *T {
	if a.used == len(a.blocks)*arenaBlock {
		a.blocks = append(a.blocks, new([arenaBlock]T))
	}
	v := &a.blocks[a.used/arenaBlock][a.used%arenaBlock]
	a.used++
	return v
}

// reset zeroes the values handed out, so that they keep nothing of the
// last tree alive, and keeps at most maxBlocks blocks for the next use.
func (a *arena[T]) reset(maxBlocks int) {
	for i, b := range a.blocks {
		if i*arenaBlock >= a.used {
			break
		}
		clear(b[:min(arenaBlock, a.used-i*arenaBlock)])
	}
	a.used = 0
	if len(a.blocks) > maxBlocks {
		clear(a.blocks[maxBlocks:])
		a.blocks = a.blocks[:maxBlocks]
	}
}
