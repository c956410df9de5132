package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// entity is a generated entity profile.
type entity struct {
	name    string
	kind    string // person, organization, place, event, equipment, other
	aliases []string
	slug    string
	word    string // a short generated word used in its name, for code samples and titles
}

// topic is a generated topic definition.
type topic struct {
	title   string
	aliases []string
	slug    string
}

// namer hands out names that are unique across the whole corpus, so that
// no alias is ambiguous and no two files share a slug.
type namer struct {
	rng   *rand.Rand
	used  map[string]bool // names and aliases, as written
	slugs map[string]bool
}

func newNamer(rng *rand.Rand) *namer {
	return &namer{rng: rng, used: map[string]bool{}, slugs: map[string]bool{}}
}

// word makes a capitalised word of two or three syllables.
func (n *namer) word() string {
	var b strings.Builder
	k := 2 + n.rng.IntN(2)
	for i := 0; i < k; i++ {
		b.WriteString(onsets[n.rng.IntN(len(onsets))])
		b.WriteString(vowels[n.rng.IntN(len(vowels))])
		if i == k-1 || n.rng.IntN(3) == 0 {
			b.WriteString(codas[n.rng.IntN(len(codas))])
		}
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

// claim reserves name and reports whether it was free.
func (n *namer) claim(name string) bool {
	if name == "" || n.used[name] || n.used[strings.ToLower(name)] {
		return false
	}
	n.used[name] = true
	n.used[strings.ToLower(name)] = true
	return true
}

// slug returns a unique file slug for name.
func (n *namer) slug(name string) string {
	base := slugify(name)
	s := base
	for i := 2; n.slugs[s]; i++ {
		s = fmt.Sprintf("%s-%d", base, i)
	}
	n.slugs[s] = true
	return s
}

// entities makes count entity profiles. Kinds are weighted towards people
// and organisations, as in real briefings.
func (n *namer) entities(count int) []entity {
	out := make([]entity, 0, count)
	for len(out) < count {
		var e entity
		switch r := n.rng.IntN(100); {
		case r < 40:
			e = n.person()
		case r < 65:
			e = n.org()
		case r < 85:
			e = n.place()
		case r < 93:
			e = n.equipment()
		case r < 97:
			e = n.patterned("event", eventPatterns)
		default:
			e = n.patterned("other", otherPatterns)
		}
		if e.name == "" {
			continue
		}
		e.slug = n.slug(e.name)
		out = append(out, e)
	}
	return out
}

// addAliases keeps up to want of the candidate aliases that are still free.
func (n *namer) addAliases(e *entity, want int, candidates ...string) {
	for _, a := range candidates {
		if len(e.aliases) >= want {
			return
		}
		if a != e.name && n.claim(a) {
			e.aliases = append(e.aliases, a)
		}
	}
}

func (n *namer) person() entity {
	given, family := n.word(), n.word()
	name := given + " " + family
	if n.rng.IntN(5) == 0 {
		name = family + " " + given + " " + n.word() // East Asian order, three parts
	}
	if !n.claim(name) {
		return entity{}
	}
	e := entity{name: name, kind: "person", word: family}
	title := personTitles[n.rng.IntN(len(personTitles))]
	n.addAliases(&e, n.rng.IntN(4),
		title+" "+family, given[:1]+". "+family, given+"-"+strings.ToLower(family), family)
	return e
}

func (n *namer) org() entity {
	w := n.word()
	name := fmt.Sprintf(orgPatterns[n.rng.IntN(len(orgPatterns))], w)
	if !n.claim(name) {
		return entity{}
	}
	e := entity{name: name, kind: "organization", word: w}
	var acronym strings.Builder
	for _, f := range strings.Fields(name) {
		if c := f[0]; c >= 'A' && c <= 'Z' {
			acronym.WriteByte(c)
		}
	}
	n.addAliases(&e, n.rng.IntN(4), acronym.String()+strings.ToUpper(w[1:2]), "the "+name, w+" "+strings.Fields(name)[len(strings.Fields(name))-1]+"s")
	return e
}

func (n *namer) place() entity {
	w := n.word()
	name := fmt.Sprintf(placePatterns[n.rng.IntN(len(placePatterns))], w)
	if !n.claim(name) {
		return entity{}
	}
	e := entity{name: name, kind: "place", word: w}
	alt := strings.Replace(w, "k", "q", 1)
	n.addAliases(&e, n.rng.IntN(3), alt, w+"-"+n.word())
	return e
}

func (n *namer) equipment() entity {
	w := n.word()
	p := equipPatterns[n.rng.IntN(len(equipPatterns))]
	var name string
	if strings.Contains(p, "%d") {
		name = fmt.Sprintf(p, w, 2+n.rng.IntN(60))
	} else {
		name = fmt.Sprintf(p, w)
	}
	if !n.claim(name) {
		return entity{}
	}
	e := entity{name: name, kind: "equipment", word: w}
	n.addAliases(&e, n.rng.IntN(3), strings.ToUpper(w[:3]), w+" system")
	return e
}

func (n *namer) patterned(kind string, patterns []string) entity {
	w := n.word()
	name := fmt.Sprintf(patterns[n.rng.IntN(len(patterns))], w)
	if !n.claim(name) {
		return entity{}
	}
	e := entity{name: name, kind: kind, word: w}
	n.addAliases(&e, n.rng.IntN(2), "the "+name)
	return e
}

// topics makes count topics from the adjective × noun table in a shuffled
// order, then from generated words once the table runs out.
func (n *namer) topics(count int) []topic {
	pairs := make([][2]string, 0, len(topicAdjectives)*len(topicNouns))
	for _, a := range topicAdjectives {
		for _, b := range topicNouns {
			pairs = append(pairs, [2]string{a, b})
		}
	}
	n.rng.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	out := make([]topic, 0, count)
	for i := 0; len(out) < count; i++ {
		var adj, noun string
		if i < len(pairs) {
			adj, noun = pairs[i][0], pairs[i][1]
		} else {
			adj, noun = n.word(), topicNouns[n.rng.IntN(len(topicNouns))]
		}
		title := adj + " " + noun
		if !n.claim(title) {
			continue
		}
		t := topic{title: title}
		if k := n.rng.IntN(3); k > 0 {
			cands := []string{adj + " " + nounSynonyms[noun], noun + " on " + adj}
			for _, a := range cands[:k] {
				if n.claim(a) {
					t.aliases = append(t.aliases, a)
				}
			}
		}
		t.slug = n.slug(title)
		out = append(out, t)
	}
	return out
}

// slugify lower-cases s and joins its ASCII letters and digits with dashes.
// Generated names are ASCII, so this agrees with Dossier's own slugs.
func slugify(s string) string {
	var b strings.Builder
	pending := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		default:
			pending = true
			continue
		}
		if pending && b.Len() > 0 {
			b.WriteByte('-')
		}
		pending = false
		b.WriteByte(c)
	}
	return b.String()
}
