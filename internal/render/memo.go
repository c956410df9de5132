package render

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
	"unsafe"

	"github.com/dossier-dev/dossier/internal/site"
)

// Memoized partials.
//
// A page of the site is mostly the same fragments over and over: the chip
// of an entity, a topic, the site's header and footer. Their links are
// relative, so the HTML of a fragment depends on the page's depth, but two
// pages at the same depth share it. The template function partial renders
// a template once per build for each name, page depth and set of values and
// reuses the result:
//
//	{{partial "entity-chip" $ "E" .Entity "Count" .Count}}
//
// renders the template "entity-chip" with the data
// (dict "Page" $ "E" .Entity "Count" .Count), exactly as
//
//	{{template "entity-chip" (dict "Page" $ "E" .Entity "Count" .Count)}}
//
// does. Given the site (.Site) instead of the page, the template gets
// "Site" instead of "Page", has no links to make, and its output is reused
// at every depth.
//
// The template's own text still decides the markup, so a site that
// overrides it sees its own. A result is reused only when the template is
// the default theme's own definition and so is every template it calls (the
// default theme's partials depend on the page only through its links .Rel,
// .URL and .Asset, and on .Site), and when the values identify what they
// show: site documents (briefings, entities, topics, pages, sections) and
// lists of them, strings, ints and booleans, at most two. Anything else,
// or a template a site changed, is rendered at every call, as {{template}}
// would.

// memo is the store of rendered partials of one build. It belongs to the
// build's SiteInfo, so that it lives exactly as long as the build's pages.
// It is read far more often than written: a few shards, each under a
// read-write lock, cost less than sync.Map, whose any keys would be hashed
// through their types and allocated at every lookup.
//
// The results of calls with one briefing, entity or topic, most of them,
// are kept in tables by the document's rank (see dense.go); the shards
// keep the others. Each keeps at most about half of memoMaxBytes, which
// only a very large site reaches (a 10,000-briefing site kept about 25 MB
// in all). Each shard keeps two generations: new results go into the
// current one; when it is full, it becomes the old one and the old one is
// dropped. A result found in the old generation moves back into the
// current one, so what pages keep using (the header, the chips with their
// counts) stays while what was used once goes. A memo that kept its first
// results and refused the rest, as an earlier one did, left a
// 100,000-briefing site rendering most partials at every call.
type memo struct {
	shards [memoShards]memoShard
	pins   sync.Map // lists named in keys by their addresses (see store)

	// site is the site whose documents the tables of denseState are
	// indexed by (see dense.go); nil keeps every result in the shards.
	site       *site.Site
	denseState atomic.Pointer[denseState]
}

// memoShard is one part of a memo: two generations of results.
type memoShard struct {
	sync.RWMutex
	cur, old memoGen
}

// memoGen is one generation of a shard's results. Its index maps the hash
// of a key (see memoKey.hash) to the entry that holds the key and its
// result: a map of 16-byte slots that holds no pointers, which the
// collector does not scan, instead of a map keyed by the 112-byte keys
// themselves, whose generated hash walked every field (BenchmarkMemoLoad:
// 1.1 µs a lookup then, 0.47 µs now). On a large site a lookup still
// takes two cache misses, one in the index and one in the entry. Two keys
// with the same hash share an entry, the last one stored keeping it: load
// checks the key.
type memoGen struct {
	index  map[uint64]int32
	chunks [][]memoEntry // entries in blocks of memoChunk, never moved
	n      int32         // entries in use
	size   int64         // bytes the generation holds, about
}

type memoEntry struct {
	key  memoKey
	html template.HTML
}

// memoChunk is how many entries a block of a generation holds.
const memoChunk = 512

// find returns the entry of k, whose hash is h, or nil.
func (g *memoGen) find(h uint64, k *memoKey) *memoEntry {
	i, ok := g.index[h]
	if !ok {
		return nil
	}
	e := &g.chunks[i/memoChunk][i%memoChunk]
	if e.key != *k {
		return nil
	}
	return e
}

// put keeps h for a copy of k, whose hash is hash, in the current
// generation, starting a new one when it is full. A key's strings are
// copied: they may be part of a page's HTML, whose bytes the next page
// reuses (see textArena), whether the key comes from a call that rendered
// the partial or from one that found it in the old generation. The shard
// must be locked for writing.
func (sh *memoShard) put(hash uint64, k *memoKey, h template.HTML) {
	n := int64(len(h) + memoEntryBytes)
	g := &sh.cur
	if g.index == nil || g.size+n > memoGenBytes {
		sh.old, sh.cur = sh.cur, memoGen{index: make(map[uint64]int32)}
	}
	g.size += n
	e := memoEntry{*k, h}
	for i, v := range e.key.vals {
		if v.kind == memoString || v.kind >= memoBriefings {
			e.key.vals[i].s = strings.Clone(v.s)
		}
	}
	if i, ok := g.index[hash]; ok {
		g.chunks[i/memoChunk][i%memoChunk] = e
		return
	}
	if int(g.n) == len(g.chunks)*memoChunk {
		g.chunks = append(g.chunks, make([]memoEntry, memoChunk))
	}
	g.chunks[g.n/memoChunk][g.n%memoChunk] = e
	g.index[hash] = g.n
	g.n++
}

const (
	memoShardBits = 4
	memoShards    = 1 << memoShardBits
	// memoArgs is how many key/value pairs a memoized call may have.
	memoArgs = 2
	// memoMaxBytes bounds what a build keeps, half in the shards and
	// half in the tables (denseMaxBytes); memoGenBytes is what one
	// generation of a shard keeps. memoEntryBytes is what an entry costs
	// besides its HTML: 143 bytes measured (its 128-byte entry and its
	// slot in the index), and the rounding of the HTML's allocation.
	memoMaxBytes   = 96 << 20
	memoGenBytes   = memoMaxBytes / 2 / memoShards / 2
	memoEntryBytes = 160
)

// memoKey identifies a rendered partial: the call (which names the
// template set, the template and the keys of the values), the page's link
// prefix and the values.
type memoKey struct {
	call *partialCall
	root string
	mode uint8 // memoOffline, memoSite
	vals [memoArgs]memoVal
}

const (
	memoOffline = 1 << iota // the page's folder links name index.html
	memoSite                // called with .Site: no page, no links
)

// memoVal is an argument of a memoized call: a site document by its
// address, a list of them by their addresses, or a string, int or boolean
// by its value.
type memoVal struct {
	kind memoKind
	p    unsafe.Pointer // a document
	n    int            // an int or a boolean
	s    string         // a string, or the addresses of a list's documents
}

type memoKind uint8

const (
	memoNil memoKind = iota
	memoBriefing
	memoEntity
	memoTopic
	memoPage
	memoSection
	memoString
	memoInt
	memoBool
	memoBriefings
	memoEntities
	memoTopics
)

// memoValOf returns the memoVal of v; ok is false for a value that cannot
// identify what it shows (a map, a view of one page…).
func memoValOf(v any) (mv memoVal, ok bool) {
	switch v := v.(type) {
	case nil:
		return memoVal{}, true
	case *site.Briefing:
		return memoVal{kind: memoBriefing, p: unsafe.Pointer(v)}, true
	case *site.Entity:
		return memoVal{kind: memoEntity, p: unsafe.Pointer(v)}, true
	case *site.Topic:
		return memoVal{kind: memoTopic, p: unsafe.Pointer(v)}, true
	case *site.Page:
		return memoVal{kind: memoPage, p: unsafe.Pointer(v)}, true
	case *site.Section:
		return memoVal{kind: memoSection, p: unsafe.Pointer(v)}, true
	case string:
		return memoVal{kind: memoString, s: v}, true
	case int:
		return memoVal{kind: memoInt, n: v}, true
	case bool:
		if v {
			return memoVal{kind: memoBool, n: 1}, true
		}
		return memoVal{kind: memoBool}, true
	case []*site.Briefing:
		return memoVal{kind: memoBriefings, s: addresses(v)}, true
	case []*site.Entity:
		return memoVal{kind: memoEntities, s: addresses(v)}, true
	case []*site.Topic:
		return memoVal{kind: memoTopics, s: addresses(v)}, true
	}
	return memoVal{}, false
}

// addresses returns the pointers of a list as the bytes of a string, without
// copying them: a key to look up with. store copies it before keeping it.
func addresses[T any](list []*T) string {
	if len(list) == 0 {
		return ""
	}
	return unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(list))), len(list)*int(unsafe.Sizeof(list[0])))
}

// hash is a hash of k for the memo's index and shards. Documents are
// hashed by address (documents allocated a size class apart share their
// low bits, which the mixing spreads) and root by its length, which is
// all that tells the roots of a site's pages apart ("../" once for each
// folder).
func (k *memoKey) hash() uint64 {
	h := mix(uint64(uintptr(unsafe.Pointer(k.call))) ^ uint64(len(k.root))<<48 ^ uint64(k.mode)<<56)
	for _, v := range k.vals {
		h = mix(h ^ uint64(v.kind) ^ uint64(uintptr(v.p)))
		h = mix(h ^ uint64(v.n))
		if v.s != "" {
			h ^= maphash.String(memoSeed, v.s)
		}
	}
	return h
}

var memoSeed = maphash.MakeSeed()

// mix is the finaliser of splitmix64: every bit of x moves every bit of
// the result.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// shard returns the shard of a key with hash h.
func (m *memo) shard(h uint64) *memoShard {
	return &m.shards[h>>(64-memoShardBits)]
}

// load returns the result kept for k, moving it into the current
// generation if it was in the old one.
func (m *memo) load(k *memoKey) (template.HTML, bool) {
	hash := k.hash()
	sh := m.shard(hash)
	sh.RLock()
	var h template.HTML
	e := sh.cur.find(hash, k)
	old := e == nil
	if old {
		e = sh.old.find(hash, k)
	}
	if e != nil {
		h = e.html
	}
	sh.RUnlock()
	if e == nil {
		return "", false
	}
	if old {
		sh.Lock()
		if sh.cur.find(hash, k) == nil {
			sh.put(hash, k, h)
		}
		sh.Unlock()
	}
	return h, true
}

// store keeps h for k; vals are the call's values.
func (m *memo) store(k *memoKey, h template.HTML, vals []any) {
	for i, v := range k.vals {
		if v.kind >= memoBriefings {
			// A list is in the key by the addresses of its documents:
			// keep the documents, so that no other can take one of
			// those addresses while the entry exists (documents live as
			// long as the build anyway).
			if _, ok := m.pins.Load(v.s); !ok {
				m.pins.Store(strings.Clone(v.s), vals[i])
			}
		}
	}
	hash := k.hash()
	sh := m.shard(hash)
	sh.Lock()
	sh.put(hash, k, h)
	sh.Unlock()
}

// partialCall is a call of partial: the template set it runs in, the
// template's name and the keys of its values. A call written with a
// constant name and constant keys has one of its own (see specialize); the
// other calls share one for each name and keys (see partials.generic).
// Its address identifies the name and the keys in memo keys.
type partialCall struct {
	set  *template.Template
	name string
	keys []string
	// memo is set when the call's result may be reused: the template is
	// reusable and the call has at most memoArgs values.
	memo bool
	// proto is, in a clone of the templates (see partials.clone), the
	// same call of the templates it was cloned from: its address is the
	// one in memo keys, so that every clone shares the results. It is nil
	// in the templates as loaded.
	proto *partialCall
}

// fn returns the function of the template set that runs c: it takes the
// context and the values of c's keys.
func (c *partialCall) fn() any {
	switch len(c.keys) {
	case 0:
		return func(ctx any) (template.HTML, error) { return c.render(ctx, nil) }
	case 1:
		return func(ctx, v any) (template.HTML, error) { return c.render(ctx, []any{v}) }
	default:
		return func(ctx, v, w any) (template.HTML, error) { return c.render(ctx, []any{v, w}) }
	}
}

// partials binds partial to one template set: the generic function, the
// calls it has seen, and which templates may be reused.
type partials struct {
	set *template.Template
	// reuse holds the names of the templates whose output may be reused
	// (see reusable); Load fills it in once the set is parsed.
	reuse map[string]bool

	mu    sync.RWMutex
	calls map[partialSig]*partialCall // the calls without a site of their own

	// special are the calls specialize gave a function of their own, by
	// the function's name.
	special map[string]*partialCall
	// proto is, for a clone, the partials of the templates it was cloned
	// from (see clone); nil for the templates as loaded.
	proto *partials
}

// clone returns a copy of ps's template set whose partial calls run in the
// copy but share ps's memo keys, and so its results. ps's set must never
// have been executed: html/template clones only sets it has not escaped.
//
// Each worker renders pages with a set of its own. text/template takes a
// read lock on a set's function table at every function it calls, and on a
// shared set the workers' cores passed that lock's cache line back and
// forth: 2.4 s of CPU at 100,000 briefings on two cores, more with more.
func (ps *partials) clone() *template.Template {
	set := template.Must(ps.set.Clone())
	c := &partials{set: set, reuse: ps.reuse, proto: ps}
	fns := template.FuncMap{"partial": c.generic}
	for name, call := range ps.special {
		own := *call
		own.set, own.proto = set, call
		fns[name] = own.fn()
	}
	set.Funcs(fns)
	return set
}

// shared returns the call of ps for sig, making it if it is new. A clone's
// call runs in the clone, with the memo keys of the call of the templates
// it was cloned from.
func (ps *partials) shared(sig partialSig) *partialCall {
	ps.mu.RLock()
	c := ps.calls[sig]
	ps.mu.RUnlock()
	if c != nil {
		return c
	}
	c = &partialCall{set: ps.set, name: sig.name, keys: slices.Clone(sig.keys[:sig.n]), memo: ps.reuse[sig.name]}
	if ps.proto != nil {
		c.proto = ps.proto.shared(sig)
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if had := ps.calls[sig]; had != nil {
		return had
	}
	if ps.calls == nil {
		ps.calls = map[partialSig]*partialCall{}
	}
	ps.calls[sig] = c
	return c
}

// partialSig is the name and keys of a call of the generic partial with up
// to memoArgs values.
type partialSig struct {
	name string
	n    int
	keys [memoArgs]string
}

// generic is the partial function of the set: partial name ctx key value …
// Calls written with a constant name and keys do not reach it once the set
// is specialized; it serves the others.
func (ps *partials) generic(name string, ctx any, kv ...any) (template.HTML, error) {
	if len(kv)%2 != 0 {
		return "", fmt.Errorf("partial %q: odd number of key/value arguments", name)
	}
	n := len(kv) / 2
	var vals [memoArgs]any
	if n > memoArgs {
		// Too many values to reuse the result: render it as it is.
		keys := make([]string, n)
		all := make([]any, n)
		for i := range n {
			k, ok := kv[2*i].(string)
			if !ok {
				return "", fmt.Errorf("partial %q: key %v is not a string", name, kv[2*i])
			}
			keys[i], all[i] = k, kv[2*i+1]
		}
		c := &partialCall{set: ps.set, name: name, keys: keys}
		return c.render(ctx, all)
	}
	sig := partialSig{name: name, n: n}
	for i := range n {
		k, ok := kv[2*i].(string)
		if !ok {
			return "", fmt.Errorf("partial %q: key %v is not a string", name, kv[2*i])
		}
		sig.keys[i], vals[i] = k, kv[2*i+1]
	}
	return ps.shared(sig).render(ctx, vals[:n])
}

// render runs the call with the context ctx (the page or the site) and the
// values of its keys, or reuses the result of an earlier run with the same
// values at the same page depth.
func (c *partialCall) render(ctx any, vals []any) (template.HTML, error) {
	var m *memo
	key := memoKey{call: c}
	if c.proto != nil {
		key.call = c.proto
	}
	ctxKey := "Page"
	switch x := ctx.(type) {
	case *Page:
		if x != nil && x.Site != nil {
			m, key.root = x.Site.memo, x.root
			if x.offline {
				key.mode = memoOffline
			}
		}
	case *SiteInfo:
		ctxKey = "Site"
		if x != nil {
			m, key.mode = x.memo, memoSite
		}
	}
	if !c.memo {
		m = nil
	}
	var dense denseRef
	if m != nil {
		for i, v := range vals {
			mv, ok := memoValOf(v)
			if !ok {
				m = nil
				break
			}
			key.vals[i] = mv
		}
		if m != nil {
			hashed := true
			if r, ok := m.dense(&key); ok {
				h, ok, elsewhere := r.load()
				if ok {
					return template.HTML(h), nil
				}
				if !elsewhere {
					dense, hashed = r, false
				}
			}
			if hashed {
				if h, ok := m.load(&key); ok {
					return h, nil
				}
			}
		}
	}
	data := make(map[string]any, len(vals)+1)
	data[ctxKey] = ctx
	for i, v := range vals {
		data[c.keys[i]] = v
	}
	buf := partialBufs.Get().(*bytes.Buffer)
	defer partialBufs.Put(buf)
	buf.Reset()
	if err := c.set.ExecuteTemplate(buf, c.name, data); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	if m != nil && (dense.slot == nil || !m.storeDense(dense, string(h))) {
		m.store(&key, h, vals)
	}
	return h, nil
}

// specialize gives each call of partial in the templates of ps.set that
// names its template and its keys with constants a function of its own,
// which takes only the context and the values:
//
//	{{partial "entity-chip" $ "E" .Entity "Count" .Count}}
//
// runs as {{_partial_3 $ .Entity .Count}}, with _partial_3 bound to
// "entity-chip", "E" and "Count". Such a call does not go through a
// variadic function (which text/template calls by building a slice through
// reflection), does not evaluate its constant arguments at every call, and
// finds its reused results by the address of its partialCall. Only calls
// of templates the set defines are changed, with at most memoArgs values,
// and only as the first command of their pipeline; the others keep
// calling the generic partial.
//
// It must run after reusable has seen the templates as written, and before
// they are first executed (html/template escapes them then).
func (ps *partials) specialize() {
	fns := template.FuncMap{}
	var tree *parse.Tree // the tree being walked
	visit := func(n parse.Node) {
		if p, ok := n.(*parse.PipeNode); ok && p != nil && len(p.Cmds) > 0 {
			ps.rewrite(p.Cmds[0], tree, fns)
		}
	}
	for _, t := range ps.set.Templates() {
		if t.Tree != nil {
			tree = t.Tree
			walkTree(tree.Root, visit)
		}
	}
	if len(fns) > 0 {
		ps.set.Funcs(fns)
	}
}

// rewrite turns cmd, a command of tree, into a call of a function of its
// own if it is a call of partial that specialize can change, and adds the
// function to fns.
func (ps *partials) rewrite(cmd *parse.CommandNode, tree *parse.Tree, fns template.FuncMap) {
	if len(cmd.Args) < 3 || len(cmd.Args)%2 == 0 || len(cmd.Args) > 3+2*memoArgs {
		return
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || id.Ident != "partial" {
		return
	}
	name, ok := cmd.Args[1].(*parse.StringNode)
	if !ok || ps.set.Lookup(name.Text) == nil {
		return
	}
	c := &partialCall{set: ps.set, name: name.Text, memo: ps.reuse[name.Text]}
	args := []parse.Node{nil, cmd.Args[2]}
	for i := 3; i < len(cmd.Args); i += 2 {
		k, ok := cmd.Args[i].(*parse.StringNode)
		if !ok {
			return
		}
		c.keys = append(c.keys, k.Text)
		args = append(args, cmd.Args[i+1])
	}
	ident := "_partial_" + strconv.Itoa(len(fns)+1)
	fns[ident] = c.fn()
	if ps.special == nil {
		ps.special = map[string]*partialCall{}
	}
	ps.special[ident] = c
	args[0] = parse.NewIdentifier(ident).SetTree(tree).SetPos(id.Pos)
	cmd.Args = args
}

// partialBufs hold the output of partials while they render.
var partialBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// reusable returns the names of the templates of set whose output partial
// may reuse: those whose parse tree is the same as in def (the default
// theme's set for the same page kind) and that only call templates that
// are reusable too. A nil def means that every template of set comes from
// the default theme.
func reusable(set *template.Template, def *template.Template) map[string]bool {
	trees := map[string]*parse.Tree{}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			trees[t.Name()] = t.Tree
		}
	}
	same := map[string]bool{}
	for name, tr := range trees {
		if def == nil {
			same[name] = true
			continue
		}
		d := def.Lookup(name)
		same[name] = d != nil && d.Tree != nil && d.Tree.Root != nil && d.Tree.Root.String() == tr.Root.String()
	}
	out := map[string]bool{}
	state := map[string]int{} // 1 visiting, 2 done
	var ok func(name string) bool
	ok = func(name string) bool {
		switch state[name] {
		case 1:
			return false // templates that call each other: not worth the risk
		case 2:
			return out[name]
		}
		state[name] = 1
		good := same[name]
		if good {
			for _, callee := range calls(trees[name].Root) {
				if !ok(callee) {
					good = false
				}
			}
		}
		state[name] = 2
		out[name] = good
		return good
	}
	for name := range trees {
		ok(name)
	}
	return out
}

// calls returns the names of the templates a tree invokes, with {{template}}
// or with partial and a constant name. A partial with a computed name
// yields "", which no template has, so that its caller is not reused.
func calls(n parse.Node) []string {
	var out []string
	walkTree(n, func(n parse.Node) {
		switch n := n.(type) {
		case *parse.TemplateNode:
			out = append(out, n.Name)
		case *parse.CommandNode:
			if len(n.Args) == 0 {
				break
			}
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "partial" {
				name := ""
				if len(n.Args) > 1 {
					if s, ok := n.Args[1].(*parse.StringNode); ok {
						name = s.Text
					}
				}
				out = append(out, name)
			}
		}
	})
	return out
}

// walkBranch walks the parts of an if, range or with.
func walkBranch(b *parse.BranchNode, visit func(parse.Node)) {
	walkTree(b.Pipe, visit)
	walkTree(b.List, visit)
	walkTree(b.ElseList, visit)
}

// walkTree calls visit for n and every node below it that can hold a
// function call, parents before their children.
func walkTree(n parse.Node, visit func(parse.Node)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTree(c, visit)
		}
		return
	case *parse.PipeNode:
		if n == nil {
			return
		}
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ActionNode:
		walkTree(n.Pipe, visit)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		walkTree(n.Pipe, visit)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walkTree(c, visit)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkTree(a, visit)
		}
	case *parse.ChainNode:
		walkTree(n.Node, visit)
	}
}

// defaultSet parses the default theme's templates of one page kind, to
// compare a site's overrides with.
func defaultSet(def fs.FS, page string) (*template.Template, error) {
	t := template.New("").Funcs(funcs)
	for _, name := range append(commonTemplates[:len(commonTemplates):len(commonTemplates)], page) {
		b, err := fs.ReadFile(def, name)
		if err != nil {
			return nil, err
		}
		if _, err := t.New(name).Parse(string(b)); err != nil {
			return nil, err
		}
	}
	return t, nil
}
