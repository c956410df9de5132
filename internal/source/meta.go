package source

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/pelletier/go-toml/v2"
)

// entityTypes are the allowed values of an entity's type field, in the
// order the SPEC lists them; "other" is the default.
var entityTypes = []string{"person", "organization", "place", "event", "equipment", "other"}

// fields converts a decoded front-matter map into typed values. Every check
// reports at the key's position, so the user is sent to the right line;
// every key it is asked about counts as known and stays out of Params.
type fields struct {
	path    string
	vals    map[string]any
	pos     map[string]Pos
	known   []string // the keys asked about: a few, so not a map
	diags   *diag.List
	noFront bool // the file has no front matter at all
}

func (f *fields) at(key string) Pos {
	if p, ok := f.pos[key]; ok {
		return p
	}
	return Pos{Line: 1, Col: 1}
}

func (f *fields) errorf(key, format string, args ...any) {
	p := f.at(key)
	f.diags.Errorf(f.path, p.Line, p.Col, format, args...)
}

// errorfIn reports at the first of paths that has a position ("sources.2.url",
// then "sources.2"), else at key.
func (f *fields) errorfIn(key string, paths []string, format string, args ...any) {
	for _, path := range paths {
		if _, ok := f.pos[path]; ok {
			key = path
			break
		}
	}
	f.errorf(key, format, args...)
}

// get returns the value of key, treating an empty (null) value as absent:
// "summary:" with nothing after it means no summary.
func (f *fields) get(key string) (any, bool) {
	if !slices.Contains(f.known, key) {
		f.known = append(f.known, key)
	}
	v, ok := f.vals[key]
	return v, ok && v != nil
}

// describe names the type of a decoded value the way a user would.
func describe(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case bool:
		return "a boolean"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return "a number"
	case []any:
		return "a list"
	case []byte:
		return "binary data"
	case map[string]any, map[any]any:
		return "a map"
	case time.Time, toml.LocalDate, toml.LocalDateTime:
		return "a date"
	case toml.LocalTime:
		return "a time of day"
	case nil:
		return "empty"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// quoteHint is added when a scalar was meant as text: YAML and TOML read
// 1984 or yes as numbers and booleans unless quoted.
func quoteHint(v any) string {
	switch describe(v) {
	case "a number", "a boolean", "a date", "a time of day":
		return " (put it in quotes)"
	}
	return ""
}

// str returns the trimmed text of an optional field.
func (f *fields) str(key string) string {
	v, ok := f.get(key)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		f.errorf(key, "%s must be text, not %s%s", key, describe(v), quoteHint(v))
		return ""
	}
	return strings.TrimSpace(s)
}

// required returns the trimmed text of a field that must be present.
func (f *fields) required(key string) string {
	v, ok := f.get(key)
	if !ok {
		if _, present := f.vals[key]; present {
			f.errorf(key, "%s must not be empty", key)
			return ""
		}
		if f.noFront {
			f.diags.Errorf(f.path, 1, 1, "missing required field %q (the file has no front matter: start it with a line ---)", key)
		} else {
			f.diags.Errorf(f.path, 1, 1, "missing required field %q", key)
		}
		return ""
	}
	s := f.str(key)
	if s == "" {
		if _, isStr := v.(string); isStr {
			f.errorf(key, "%s must not be empty", key)
		}
	}
	return s
}

// list returns a list of strings. A single string is accepted as a
// one-item list, because "topics: Sanctions" is what people write; empty
// items are dropped.
func (f *fields) list(key string) []string {
	v, ok := f.get(key)
	if !ok {
		return nil
	}
	var items []any
	switch t := v.(type) {
	case string:
		items = []any{t}
	case []any:
		items = t
	default:
		f.errorf(key, "%s must be a list of strings, not %s", key, describe(v))
		return nil
	}
	var out []string
	for i, item := range items {
		if item == nil {
			continue
		}
		s, isStr := item.(string)
		if !isStr {
			f.errorf(key, "%s must be a list of strings, but item %d is %s%s", key, i+1, describe(item), quoteHint(item))
			continue
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// boolean returns a true/false field.
func (f *fields) boolean(key string) bool {
	v, ok := f.get(key)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		f.errorf(key, "%s must be true or false, not %s", key, describe(v))
	}
	return b
}

// date returns a date field. YYYY-MM-DD means midnight UTC; RFC 3339 keeps
// its offset. YAML and TOML may already have decoded the value to a time.
func (f *fields) date(key string) time.Time {
	v, ok := f.get(key)
	if !ok {
		f.required(key) // reports the missing field
		return time.Time{}
	}
	switch t := v.(type) {
	case string:
		s := strings.TrimSpace(t)
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return d.UTC()
		}
		if d, err := time.Parse(time.RFC3339, s); err == nil {
			return fixedZone(d)
		}
		f.errorf(key, "%s %q is not YYYY-MM-DD or RFC 3339", key, s)
	case time.Time:
		return fixedZone(t)
	case toml.LocalDate:
		return t.AsTime(time.UTC)
	case toml.LocalDateTime:
		return t.AsTime(time.UTC)
	default:
		f.errorf(key, "%s must be YYYY-MM-DD or RFC 3339, not %s", key, describe(v))
	}
	return time.Time{}
}

// fixedZone keeps t's offset but drops its location. time.Parse picks the
// machine's Local zone when the offset happens to match it, and the zone
// name would then differ between machines; output must not.
func fixedZone(t time.Time) time.Time {
	_, off := t.Zone()
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", off))
}

// allowedSchemes are the URL schemes a source may use. Anything else
// (javascript:, data:, file:) could run code or reach the reader's disk
// when clicked in the rendered page.
var allowedSchemes = []string{"http", "https", "mailto"}

// sources returns a briefing's sources: a list of {title, url} maps. A bare
// string item is taken as a URL without a title.
func (f *fields) sources(key string) []Link {
	v, ok := f.get(key)
	if !ok {
		return nil
	}
	var items []any
	switch t := v.(type) {
	case []any:
		items = t
	case map[string]any, map[any]any, string:
		items = []any{t}
	default:
		f.errorf(key, "%s must be a list of {title, url}, not %s", key, describe(v))
		return nil
	}
	var out []Link
	for i, item := range items {
		var link Link
		switch t := item.(type) {
		case nil:
			continue
		case string:
			link.URL = strings.TrimSpace(t)
		case map[string]any:
			link, ok = f.sourceMap(key, i+1, t)
		case map[any]any:
			m := make(map[string]any, len(t))
			for k, v := range t {
				m[fmt.Sprint(k)] = v
			}
			link, ok = f.sourceMap(key, i+1, m)
		default:
			f.errorf(key, "%s must be a list of {title, url}, but item %d is %s", key, i+1, describe(item))
			continue
		}
		if !ok {
			continue
		}
		item := key + "." + strconv.Itoa(i+1)
		if link.URL == "" {
			f.errorfIn(key, []string{item}, "source %d has no url", i+1)
			continue
		}
		if msg := checkURL(link.URL); msg != "" {
			f.errorfIn(key, []string{item + ".url", item}, "%s", msg)
			continue
		}
		out = append(out, link)
	}
	return out
}

// sourceMap reads one {title, url} map; n is its 1-based place in the list.
func (f *fields) sourceMap(key string, n int, m map[string]any) (Link, bool) {
	var link Link
	ok := true
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == nil {
			continue
		}
		s, isStr := v.(string)
		at := []string{key + "." + strconv.Itoa(n) + "." + k}
		switch {
		case k != "title" && k != "url":
			f.errorfIn(key, at, "source %d has unknown key %q (a source has title and url)", n, k)
			ok = false
		case !isStr:
			f.errorfIn(key, at, "source %d: %s must be text, not %s", n, k, describe(v))
			ok = false
		case k == "title":
			link.Title = strings.TrimSpace(s)
		default:
			link.URL = strings.TrimSpace(s)
		}
	}
	return link, ok
}

// checkURL returns why u may not be a source URL, or "" when it may.
func checkURL(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		reason := err.Error()
		if ue, ok := errors.AsType[*url.Error](err); ok {
			reason = ue.Err.Error()
		}
		return fmt.Sprintf("source URL %q is not a valid URL: %s", u, reason)
	}
	if parsed.Scheme != "" && !slices.Contains(allowedSchemes, strings.ToLower(parsed.Scheme)) {
		return fmt.Sprintf("source URL %q uses a scheme that is not allowed (%s)", u, strings.Join(allowedSchemes, ", "))
	}
	return ""
}

// entityType returns an entity's type, "other" when unset.
func (f *fields) entityType(key string) string {
	if _, ok := f.get(key); !ok {
		return "other"
	}
	s := f.str(key)
	if s == "" {
		return "other"
	}
	t := strings.ToLower(s)
	if !slices.Contains(entityTypes, t) {
		f.errorf(key, "%s %q is not one of %s", key, s, strings.Join(entityTypes, ", "))
		return "other"
	}
	return t
}

// params returns every field no typed field claimed, for templates, or
// nil when there is none: a site keeps one per file, and an empty map is
// an object of its own, which templates read as they read nil.
//
// A key that differs from a known one only in case is most likely a slip
// ("Title:"), so it is flagged rather than silently kept.
func (f *fields) params() map[string]any {
	var out map[string]any
	for _, k := range sortedKeys(f.vals) {
		if slices.Contains(f.known, k) {
			continue
		}
		for _, known := range f.known {
			if strings.EqualFold(k, known) {
				p := f.at(k)
				f.diags.Warnf(f.path, p.Line, p.Col, "field %q is not %q (field names are lower case): kept as a custom field", k, known)
				break
			}
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = f.vals[k]
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
