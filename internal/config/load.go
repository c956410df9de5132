package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/dossier-dev/dossier/internal/source"
)

// FileName is the name of the configuration file at the site root.
const FileName = "dossier.toml"

// mentionModes are the allowed values of linking.mentions.
var mentionModes = []string{"first", "all", "none"}

// papers are the allowed values of print.paper, in their canonical spelling.
var papers = []string{"A4", "Letter"}

// key describes one key dossier.toml may hold: its dotted name and how to
// store its value. A table's own entry has a nil set and children instead.
type key struct {
	name     string
	set      func(c *Config, v any) string // returns why v is refused, or ""
	children []key
}

// keys lists every key of SPEC §2, in the order it documents them.
var keys = []key{
	{name: "title", set: func(c *Config, v any) string { return setString(&c.Title, v) }},
	{name: "baseURL", set: setBaseURL},
	{name: "language", set: func(c *Config, v any) string { return setNonEmpty(&c.Language, v) }},
	{name: "theme", set: setTheme},
	{name: "classification", set: func(c *Config, v any) string { return setString(&c.Classification, v) }},
	{name: "offline", set: func(c *Config, v any) string { return setBool(&c.Offline, v) }},
	{name: "pageSize", set: setPageSize},
	{name: "linking", children: []key{
		{name: "mentions", set: func(c *Config, v any) string { return setEnum(&c.Linking.Mentions, v, mentionModes) }},
	}},
	{name: "print", children: []key{
		{name: "paper", set: func(c *Config, v any) string { return setEnum(&c.Print.Paper, v, papers) }},
	}},
	{name: "markdown", children: []key{
		{name: "unsafe", set: func(c *Config, v any) string { return setBool(&c.Markdown.Unsafe, v) }},
	}},
}

// Load reads dossier.toml at the root of fsys and returns the configuration
// with defaults applied. A missing file is not an error: every key has a
// default. All problems are reported together, each at the key's position;
// the returned Config then holds defaults for the keys that were refused.
func Load(fsys fs.FS) (Config, diag.List) {
	cfg := Default()
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	var diags diag.List
	if err != nil {
		reason := err.Error()
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			reason = pe.Err.Error()
		}
		diags.Errorf(FileName, 1, 1, "cannot read file: %s", reason)
		return cfg, diags
	}
	vals, pos, d := source.DecodeTOML(FileName, data)
	diags.Merge(d)
	if d.HasErrors() {
		return cfg, diags.Sort()
	}
	apply(&cfg, vals, pos, "", keys, &diags)
	return cfg, diags.Sort()
}

// apply stores the values of one table (prefix "" for the top level) into
// cfg, reporting unknown keys and refused values.
func apply(cfg *Config, vals map[string]any, pos map[string]source.Pos, prefix string, known []key, diags *diag.List) {
	names := make([]string, 0, len(vals))
	for name := range vals {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := vals[name]
		full := prefix + name
		p := pos[full]
		i := slices.IndexFunc(known, func(k key) bool { return k.name == name })
		if i < 0 {
			msg := fmt.Sprintf("unknown key %q", full)
			if s := suggest(full); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			diags.Errorf(FileName, p.Line, p.Col, "%s", msg)
			continue
		}
		k := known[i]
		if k.children == nil {
			if why := k.set(cfg, v); why != "" {
				diags.Errorf(FileName, p.Line, p.Col, "%s %s", full, why)
			}
			continue
		}
		table, ok := v.(map[string]any)
		if !ok {
			diags.Errorf(FileName, p.Line, p.Col, "%s must be a table ([%s]), not %s", full, full, describe(v))
			continue
		}
		apply(cfg, table, pos, full+".", k.children, diags)
	}
}

// allKeys returns the dotted name of every known key and table.
func allKeys() []string {
	var out []string
	for _, k := range keys {
		out = append(out, k.name)
		for _, c := range k.children {
			out = append(out, k.name+"."+c.name)
		}
	}
	return out
}

// suggest returns the known key closest to an unknown one, or "" when none
// is close enough to be a plausible typo. Case is ignored when measuring,
// so "baseurl" suggests "baseURL"; a key written at the wrong level
// ("mentions" at the top) suggests its place ("linking.mentions").
func suggest(unknown string) string {
	best, bestDist := "", 3
	last := unknown[strings.LastIndexByte(unknown, '.')+1:]
	for _, k := range allKeys() {
		d := distance(strings.ToLower(unknown), strings.ToLower(k))
		if leaf := k[strings.LastIndexByte(k, '.')+1:]; strings.Contains(k, ".") && strings.EqualFold(leaf, last) {
			d = min(d, 1)
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// describe names the type of a decoded TOML value the way a user would.
func describe(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return "a date or time"
	}
}

func setString(dst *string, v any) string {
	s, ok := v.(string)
	if !ok {
		return "must be a string, not " + describe(v)
	}
	*dst = strings.TrimSpace(s)
	return ""
}

func setNonEmpty(dst *string, v any) string {
	var s string
	if why := setString(&s, v); why != "" {
		return why
	}
	if s == "" {
		return "must not be empty"
	}
	*dst = s
	return ""
}

func setBool(dst *bool, v any) string {
	b, ok := v.(bool)
	if !ok {
		return "must be a boolean (true or false), not " + describe(v)
	}
	*dst = b
	return ""
}

// setEnum accepts any case and stores the canonical spelling, because
// "a4" and "letter" are obviously meant.
func setEnum(dst *string, v any, allowed []string) string {
	s, ok := v.(string)
	if !ok {
		return "must be a string, one of " + quoteList(allowed) + ", not " + describe(v)
	}
	s = strings.TrimSpace(s)
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			*dst = a
			return ""
		}
	}
	return fmt.Sprintf("%q is not one of %s", s, quoteList(allowed))
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func setPageSize(c *Config, v any) string {
	n, ok := v.(int64)
	if !ok {
		return "must be an integer, not " + describe(v)
	}
	if n < 1 {
		return fmt.Sprintf("must be at least 1, not %d", n)
	}
	if n > 1<<31-1 {
		return fmt.Sprintf("%d is too large", n)
	}
	c.PageSize = int(n)
	return ""
}

// setBaseURL accepts "" or an absolute http(s) URL and stores it with a
// trailing slash, so that joining it with a page path never needs to ask.
func setBaseURL(c *Config, v any) string {
	var s string
	if why := setString(&s, v); why != "" {
		return why
	}
	if s == "" {
		c.BaseURL = ""
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("%q must be an absolute http:// or https:// URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(s, "?#") {
		return fmt.Sprintf("%q must not have a query (?) or fragment (#)", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	c.BaseURL = s
	return ""
}

// setTheme accepts a plain folder name: the theme is themes/<theme>, and a
// value such as "../x" would reach outside the site.
func setTheme(c *Config, v any) string {
	var s string
	if why := setNonEmpty(&s, v); why != "" {
		return why
	}
	if strings.ContainsAny(s, "/\\\x00") || strings.HasPrefix(s, ".") || strings.Contains(s, ":") {
		return fmt.Sprintf("%q must be the name of a folder in themes/", s)
	}
	c.Theme = s
	return ""
}
