// Package corpus writes deterministic synthetic briefing sites for
// benchmarks: briefings of about 1,300 words with YAML front matter, entity
// profiles with aliases, and topic definitions, shaped like the reference
// corpus of issue 6 (10,000 briefings, 1,500 entities, 80 topics, about
// 100 MB of Markdown). The same Options always give the same bytes.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"
)

// Options say how large a corpus to write. Zero fields take defaults.
type Options struct {
	// Briefings is the number of briefings (default 10,000).
	Briefings int
	// Entities is the number of entity profiles (default 15% of Briefings,
	// at least 20: 1,500 for 10,000 briefings).
	Entities int
	// Topics is the number of topics (default 80 × √(Briefings/10,000),
	// at least 8: 25 for 1,000 briefings, 80 for 10,000, 253 for 100,000).
	Topics int
	// Seed selects the corpus; every seed gives a different one.
	Seed int64
}

// WithDefaults returns o with its zero fields set to their defaults.
func (o Options) WithDefaults() Options {
	if o.Briefings <= 0 {
		o.Briefings = 10000
	}
	if o.Entities <= 0 {
		o.Entities = max(20, o.Briefings*15/100)
	}
	if o.Topics <= 0 {
		o.Topics = max(8, int(math.Round(80*math.Sqrt(float64(o.Briefings)/10000))))
	}
	return o
}

// Write writes a complete site into dir: dossier.toml and content/
// with briefings/, entities/ and topics/. dir is created if needed and must
// be empty, so that a smaller corpus never inherits files of a larger one.
// Files are written in parallel; their bytes depend only on opts.
func Write(dir string, opts Options) error {
	opts = opts.WithDefaults()
	if err := checkEmpty(dir); err != nil {
		return err
	}
	c := plan(opts)
	for _, d := range []string{"content/briefings", "content/entities", "content/topics"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
	}
	write := func(rel string, data []byte) error {
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			return fmt.Errorf("write corpus: %w", err)
		}
		return nil
	}
	if err := write("dossier.toml", []byte(siteConfig)); err != nil {
		return err
	}

	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range c.entities {
		g.Go(func() error {
			var b bytes.Buffer
			c.writeEntity(&b, i)
			return write("content/entities/"+c.entities[i].slug+".md", b.Bytes())
		})
	}
	for i := range c.topics {
		g.Go(func() error {
			var b bytes.Buffer
			c.writeTopic(&b, i)
			return write("content/topics/"+c.topics[i].slug+".md", b.Bytes())
		})
	}
	// Briefings go in batches so that goroutines are few and each reuses
	// its buffer.
	const batch = 64
	for lo := 0; lo < opts.Briefings; lo += batch {
		g.Go(func() error {
			var b bytes.Buffer
			for i := lo; i < min(lo+batch, opts.Briefings); i++ {
				b.Reset()
				name := c.writeBriefing(&b, i)
				if err := write("content/briefings/"+name, b.Bytes()); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

const siteConfig = `# A synthetic corpus written by internal/corpus (cmd/dossier-corpus).
title = "Synthetic Briefings"
baseURL = "https://example.org/briefings/"
language = "en"
`

func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("write corpus: %s is not empty", dir)
	}
	return nil
}

// corpus is the plan of a corpus: every name, fixed before any file is
// written, so that files can be written in any order.
type corpus struct {
	opts     Options
	entities []entity
	topics   []topic
	authors  []string
	start    time.Time
	spanDays int
}

func plan(opts Options) *corpus {
	rng := newRand(opts.Seed, 0)
	n := newNamer(rng)
	c := &corpus{opts: opts}
	c.topics = n.topics(opts.Topics)
	c.entities = n.entities(opts.Entities)
	for range 40 {
		c.authors = append(c.authors, n.word()+" "+n.word())
	}
	c.start = time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	// About three briefings a day, over one to fourteen years.
	c.spanDays = min(max(opts.Briefings/3, 400), 365*14)
	return c
}

// newRand returns the random source of one stream of a corpus. Every file
// has its own stream, so files can be written in parallel and in any order.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream*0x9E3779B97F4A7C15+1))
}

// Stream numbers: 0 is the plan; then one per file.
const (
	entityStream   = 1 << 40
	topicStream    = 2 << 40
	briefingStream = 3 << 40
)

func (c *corpus) writeEntity(b *bytes.Buffer, i int) {
	e := c.entities[i]
	g := &gen{c: c, rng: newRand(c.opts.Seed, entityStream+uint64(i)), b: b}
	b.WriteString("---\n")
	field(b, "name", e.name)
	b.WriteString("type: " + e.kind + "\n")
	if len(e.aliases) > 0 {
		list(b, "aliases", e.aliases)
	}
	if g.rng.IntN(5) > 0 {
		field(b, "summary", g.sentenceWith(-1))
	}
	b.WriteString("---\n")
	for range 1 + g.rng.IntN(3) {
		g.paragraph(nil, 3+g.rng.IntN(3))
	}
}

func (c *corpus) writeTopic(b *bytes.Buffer, i int) {
	t := c.topics[i]
	g := &gen{c: c, rng: newRand(c.opts.Seed, topicStream+uint64(i)), b: b}
	b.WriteString("---\n")
	field(b, "title", t.title)
	if len(t.aliases) > 0 {
		list(b, "aliases", t.aliases)
	}
	field(b, "summary", "Sections on "+t.title+": "+g.sentenceWith(-1))
	b.WriteString("---\n")
	g.paragraph(nil, 3+g.rng.IntN(3))
}

// field writes a YAML key with a double-quoted value.
func field(b *bytes.Buffer, key, value string) {
	b.WriteString(key)
	b.WriteString(": ")
	b.WriteString(strconv.Quote(value))
	b.WriteByte('\n')
}

// list writes a YAML block list of quoted strings.
func list(b *bytes.Buffer, key string, values []string) {
	b.WriteString(key)
	b.WriteString(":\n")
	for _, v := range values {
		b.WriteString("  - ")
		b.WriteString(strconv.Quote(v))
		b.WriteByte('\n')
	}
}
