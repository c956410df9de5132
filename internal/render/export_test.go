package render

// ForgetMemo makes every page of the build that p belongs to render its
// partials at every call, as {{template}} does.
func ForgetMemo(p *Page) { p.Site.memo = nil }

// MemoSize is how many partials the build of p has kept.
func MemoSize(p *Page) int {
	n := 0
	for i := range p.Site.memo.shards {
		n += len(p.Site.memo.shards[i].cur.index) + len(p.Site.memo.shards[i].old.index)
	}
	return n
}
