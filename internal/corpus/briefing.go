package corpus

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
)

// targetWords is the length of a briefing body in words.
const targetWords = 1300

// gen writes the Markdown of one file.
type gen struct {
	c     *corpus
	rng   *rand.Rand
	b     *bytes.Buffer
	words int
	own   []int // the entities a briefing lists: its text mentions them most
}

// writeBriefing writes briefing i into b and returns its file name.
func (c *corpus) writeBriefing(b *bytes.Buffer, i int) string {
	g := &gen{c: c, rng: newRand(c.opts.Seed, briefingStream+uint64(i)), b: b}
	r := g.rng

	date := c.start.AddDate(0, 0, i*c.spanDays/c.opts.Briefings+r.IntN(3))
	topics := g.pick(1+r.IntN(4), len(c.topics), 2)
	g.own = g.pick(2+r.IntN(7), len(c.entities), 2)
	lead, other := c.entities[g.own[0]], c.entities[g.own[1]]
	t0 := c.topics[topics[0]]
	var title string
	switch r.IntN(5) {
	case 0:
		title = lead.name + " and " + other.name + " Move on " + t0.title
	case 1:
		title = t0.title + ": What " + lead.name + "’s Latest Step Means"
	case 2:
		title = lead.name + " Signals Shift in " + t0.title
	case 3:
		title = "Assessing " + lead.name + "’s Role in " + t0.title
	default:
		title = t0.title + " After the " + other.word + " Meeting"
	}
	name := date.Format("2006-01-02") + "-" + slugify(lead.word+" "+t0.title) + "-" + strconv.Itoa(i) + ".md"

	b.WriteString("---\n")
	field(b, "title", title)
	b.WriteString("date: " + date.Format("2006-01-02") + "\n")
	if r.IntN(5) < 3 {
		field(b, "summary", g.sentenceWith(g.own[0])+" "+g.sentenceWith(-1))
	}
	names := make([]string, len(topics))
	for k, t := range topics {
		names[k] = g.topicName(c.topics[t], false)
	}
	list(b, "topics", names)
	names = names[:0]
	for _, e := range g.own {
		names = append(names, g.entityName(c.entities[e], true))
	}
	list(b, "entities", names)
	if r.IntN(10) < 7 {
		field(b, "location", g.place())
	}
	authors := []string{c.authors[r.IntN(len(c.authors))]}
	if r.IntN(3) == 0 {
		authors = append(authors, c.authors[r.IntN(len(c.authors))])
	}
	list(b, "authors", authors)
	if k := r.IntN(4); k > 0 {
		b.WriteString("sources:\n")
		for s := range k {
			pub := sourcePublishers[r.IntN(len(sourcePublishers))]
			b.WriteString("  - title: " + strconv.Quote(pub+": "+g.words6()) + "\n")
			b.WriteString("    url: \"https://example.org/news/" + strconv.Itoa(i) + "/" + strconv.Itoa(s) + "\"\n")
		}
	}
	if r.IntN(10) == 0 {
		field(b, "classification", classifications[r.IntN(len(classifications))])
	}
	b.WriteString("---\n")

	g.words = 0
	g.paragraph(g.own[:2], 3+r.IntN(2))
	sections := 4 + r.IntN(6)
	for s := range sections {
		budget := (targetWords-g.words)/(sections-s) + r.IntN(40) - 20
		g.section(topics, budget)
	}
	return name
}

// pick draws k distinct indexes below n, favouring small ones with the
// given skew (1 is uniform), so that some entities and topics are far more
// common than others, as in real briefings.
func (g *gen) pick(k, n, skew int) []int {
	k = min(k, n)
	out := make([]int, 0, k)
	for len(out) < k {
		u := g.rng.Float64()
		x := u
		for range skew - 1 {
			x *= u
		}
		j := int(x * float64(n))
		dup := false
		for _, o := range out {
			dup = dup || o == j
		}
		if !dup {
			out = append(out, j)
		}
	}
	return out
}

// entityName returns how a text names an entity: usually its name,
// sometimes an alias, and in front matter sometimes its slug.
func (g *gen) entityName(e entity, frontMatter bool) string {
	switch r := g.rng.IntN(10); {
	case r < 2 && len(e.aliases) > 0 && !strings.HasPrefix(e.aliases[0], "the "):
		return e.aliases[g.rng.IntN(len(e.aliases))]
	case r == 2 && frontMatter:
		return e.slug
	}
	return e.name
}

func (g *gen) topicName(t topic, heading bool) string {
	switch r := g.rng.IntN(10); {
	case r < 2 && len(t.aliases) > 0:
		return t.aliases[g.rng.IntN(len(t.aliases))]
	case r == 2 && !heading:
		return t.slug
	}
	return t.title
}

// place returns a generated place name for a dateline.
func (g *gen) place() string {
	for range 4 {
		e := g.c.entities[g.rng.IntN(len(g.c.entities))]
		if e.kind == "place" {
			return e.name
		}
	}
	return g.c.entities[g.own[0]].word + " City"
}

// mention returns an entity name for running text: mostly one the
// briefing lists, sometimes any entity.
func (g *gen) mention() string {
	var e entity
	if len(g.own) > 0 && g.rng.IntN(100) < 85 {
		e = g.c.entities[g.own[g.rng.IntN(len(g.own))]]
	} else {
		e = g.c.entities[g.rng.IntN(len(g.c.entities))]
	}
	n := g.entityName(e, false)
	switch g.rng.IntN(12) {
	case 0:
		n += "’s"
	case 1:
		n += "'s"
	}
	return n
}

// word returns a filler word, favouring the frequent ones.
func (g *gen) word() string {
	u := g.rng.Float64()
	return filler[int(u*u*float64(len(filler)))]
}

func (g *gen) words6() string {
	var s []string
	for range 6 {
		s = append(s, g.word())
	}
	return strings.Join(s, " ")
}

// sentenceWith returns one sentence that mentions entity e (or, for -1,
// whatever entities chance gives).
func (g *gen) sentenceWith(e int) string {
	var b strings.Builder
	n := 9 + g.rng.IntN(16)
	at := -1
	if e >= 0 {
		at = g.rng.IntN(n)
	} else if g.rng.IntN(10) < 4 {
		at = g.rng.IntN(n)
	}
	for k := range n {
		if k > 0 {
			b.WriteByte(' ')
		}
		var w string
		switch {
		case k == at && e >= 0:
			w = g.entityName(g.c.entities[e], false)
		case k == at:
			w = g.mention()
		default:
			w = g.word()
		}
		if k == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	g.words += n
	b.WriteByte('.')
	return b.String()
}

// sentence writes one sentence of running text with occasional inline
// markup.
func (g *gen) sentence() {
	s := g.sentenceWith(-1)
	switch g.rng.IntN(25) {
	case 0:
		s = emphasise(s, "**")
	case 1:
		s = emphasise(s, "*")
	case 2:
		s = emphasise(s, "`")
	case 3:
		s = strings.TrimSuffix(s, ".") + " ([source](https://example.org/s/" + strconv.Itoa(g.rng.IntN(100000)) + "))."
	}
	g.b.WriteString(s)
}

// emphasise wraps the last word of s in mark.
func emphasise(s, mark string) string {
	s = strings.TrimSuffix(s, ".")
	i := strings.LastIndexByte(s, ' ')
	return s[:i+1] + mark + s[i+1:] + mark + "."
}

// paragraph writes a paragraph of n sentences, the first of which names
// the entities in first, wrapped at about 80 columns as writers do.
func (g *gen) paragraph(first []int, n int) {
	col := 0
	for k := range n {
		var s string
		if k < len(first) {
			s = g.sentenceWith(first[k])
		} else {
			start := g.b.Len()
			g.sentence()
			s = string(g.b.Bytes()[start:])
			g.b.Truncate(start)
		}
		for _, w := range strings.Fields(s) {
			if col > 0 && col+1+len(w) > 80 {
				g.b.WriteByte('\n')
				col = 0
			} else if col > 0 {
				g.b.WriteByte(' ')
				col++
			}
			g.b.WriteString(w)
			col += len(w)
		}
	}
	g.b.WriteString("\n\n")
}

// section writes a ## section of about budget words.
func (g *gen) section(topics []int, budget int) {
	r := g.rng
	g.b.WriteString("## ")
	attr := ""
	switch x := r.IntN(100); {
	case x < 65:
		// Usually one of the briefing's own topics; sometimes another.
		t := g.c.topics[topics[r.IntN(len(topics))]]
		if x < 12 {
			t = g.c.topics[r.IntN(len(g.c.topics))]
		}
		g.b.WriteString(headingPrefixes[r.IntN(len(headingPrefixes))])
		if g.b.Bytes()[g.b.Len()-1] != ' ' {
			g.b.WriteByte(' ')
		}
		g.b.WriteString(g.topicName(t, true))
		g.b.WriteString(headingSuffixes[r.IntN(len(headingSuffixes))])
	case x < 72:
		g.b.WriteString(genericHeadings[r.IntN(len(genericHeadings))])
		attr = ` {topics="` + g.c.topics[topics[0]].title + `"}`
	case x < 80:
		g.b.WriteString(genericHeadings[r.IntN(len(genericHeadings))] + ": " + g.c.entities[g.own[r.IntN(len(g.own))]].name)
	default:
		g.b.WriteString(genericHeadings[r.IntN(len(genericHeadings))])
	}
	g.b.WriteString(attr)
	g.b.WriteString("\n\n")

	end := g.words + budget
	lists, code, tables, quotes := r.IntN(100) < 35, r.IntN(100) < 15, r.IntN(100) < 15, r.IntN(100) < 8
	sub := r.IntN(100) < 15
	for g.words < end {
		switch {
		case sub && g.words > end-budget/2:
			sub = false
			g.b.WriteString("### " + subheadings[r.IntN(len(subheadings))] + "\n\n")
		case lists && g.words > end-budget*2/3:
			lists = false
			g.list()
		case code && g.words > end-budget/2:
			code = false
			g.code()
		case tables && g.words > end-budget/3:
			tables = false
			g.table()
		case quotes && g.words > end-budget/4:
			quotes = false
			g.b.WriteString("> ")
			g.sentence()
			g.b.WriteString("\n\n")
		default:
			g.paragraph(nil, 3+r.IntN(4))
		}
	}
}

func (g *gen) list() {
	ordered := g.rng.IntN(3) == 0
	for k := range 3 + g.rng.IntN(4) {
		if ordered {
			g.b.WriteString(strconv.Itoa(k+1) + ". ")
		} else {
			g.b.WriteString("- ")
		}
		g.sentence()
		g.b.WriteByte('\n')
	}
	g.b.WriteByte('\n')
}

func (g *gen) table() {
	cols := 3 + g.rng.IntN(3)
	heads := []string{"Date", "Entity", "Location", "Tonnes", "Status", "Source", "Notes"}
	g.b.WriteString("|")
	for c := range cols {
		g.b.WriteString(" " + heads[c] + " |")
	}
	g.b.WriteString("\n|")
	for range cols {
		g.b.WriteString("---|")
	}
	g.b.WriteByte('\n')
	for range 3 + g.rng.IntN(6) {
		g.b.WriteString("|")
		for c := range cols {
			var cell string
			switch c {
			case 0:
				cell = g.c.start.AddDate(0, 0, g.rng.IntN(g.c.spanDays)).Format("2006-01-02")
			case 1:
				cell = g.mention()
			case 2:
				cell = g.place()
			case 3:
				cell = strconv.Itoa(g.rng.IntN(90000))
			default:
				cell = g.word() + " " + g.word()
			}
			g.b.WriteString(" " + cell + " |")
		}
		g.b.WriteByte('\n')
		g.words += cols
	}
	g.b.WriteByte('\n')
}

func (g *gen) code() {
	s := codeSamples[g.rng.IntN(len(codeSamples))]
	text := s.text
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 || i+2 >= len(text) || text[i+2] != '}' || (text[i+1] != 'W' && text[i+1] != 'N') {
			if i < 0 {
				b.WriteString(text)
				break
			}
			b.WriteString(text[:i+1])
			text = text[i+1:]
			continue
		}
		b.WriteString(text[:i])
		if text[i+1] == 'W' {
			b.WriteString(g.c.entities[g.rng.IntN(len(g.c.entities))].word)
		} else {
			b.WriteString(strconv.Itoa(g.rng.IntN(10000)))
		}
		text = text[i+3:]
	}
	g.b.WriteString("```" + s.lang + "\n" + b.String() + "\n```\n\n")
	g.words += 30
}
