package render

// ForgetMemo makes every page of the build that p belongs to render its
// partials at every call, as {{template}} does.
func ForgetMemo(p *Page) { p.Site.memo = nil }

// MemoSize is how many partials the build of p has kept.
func MemoSize(p *Page) int {
	m := p.Site.memo
	n := 0
	for i := range m.shards {
		n += len(m.shards[i].cur.index) + len(m.shards[i].old.index)
	}
	if st := m.denseState.Load(); st != nil {
		st.calls.Range(func(_, v any) bool {
			tabs := &v.(*denseCall).tabs
			for i := range tabs {
				if t := tabs[i].Load(); t != nil {
					for j := range t.slots {
						if t.slots[j].Load() != 0 {
							n++
						}
					}
				}
			}
			return true
		})
	}
	return n
}
