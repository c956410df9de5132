package source

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"
)

// Front matter is nearly always the same few shapes: top-level keys with
// text, lists of text, and a list of small maps of text (a briefing's
// sources). goccy/go-yaml decodes them through a token stream, a syntax
// tree and reflection, which at 10,000 briefings costs most of the time and
// the allocations of loading a site. decodeYAMLFast reads that subset
// directly and gives up, for decodeYAML to hand the front matter to
// goccy/go-yaml, on everything else: comments, flow collections, block
// scalars, anchors, tags, escapes, values that are not text (numbers,
// booleans, null inside lists), keys or scalars over several lines, nested
// maps, tabs, duplicate keys. What it accepts it decodes exactly as
// goccy/go-yaml does (FuzzYAMLFast compares the two), so the choice never
// shows.
//
// The subset, where "text" is a double-quoted string without escapes, a
// single-quoted string, or a plain scalar that goccy/go-yaml reads as a
// string:
//
//	key: text
//	key:                 (null, when no list follows)
//	key:
//	  - text
//	  - k: text
//	    k: text
//
// Keys are plain, start with a letter or '_' and hold letters, digits, '_'
// and '-'; top-level keys start their line. A list may also start at the
// column of its key.

// yamlFast is the state of decodeYAMLFast: the front matter as one string
// (values are slices of it) and the line it has read up to.
type yamlFast struct {
	src  string
	off  int // offset of the next line
	line int // number of the next line, from 1
}

// fastLine is one line that is not blank: its text without the
// indentation, the indentation, its line number and where the line after
// it starts.
type fastLine struct {
	text   string
	indent int
	num    int
	next   int
}

// decodeYAMLFast decodes src when it is in the subset above and reports
// ok; otherwise it reports !ok and the caller decodes src with
// goccy/go-yaml. Positions are those decodeYAML gives.
func decodeYAMLFast(src []byte, lineOffset int) (vals map[string]any, pos map[string]Pos, ok bool) {
	if !fastBytes(src) {
		return nil, nil, false
	}
	y := yamlFast{src: string(src), line: 1}
	n := topLines(src)
	vals, pos = make(map[string]any, n), make(map[string]Pos, n)
	for {
		l, more := y.peek()
		if !more {
			return vals, pos, true
		}
		y.skip(l)
		if l.indent != 0 {
			return nil, nil, false
		}
		key, rest, isKey := fastKey(l.text)
		if !isKey {
			return nil, nil, false
		}
		if _, dup := vals[key]; dup {
			return nil, nil, false
		}
		pos[key] = Pos{Line: l.num + lineOffset, Col: 1}
		if rest != "" {
			v, isText := fastScalar(rest)
			if !isText {
				return nil, nil, false
			}
			vals[key] = v
			continue
		}
		next, more := y.peek()
		switch {
		case !more || next.indent == 0 && !isItem(next.text):
			vals[key] = nil
		case isItem(next.text):
			list, isList := y.list(next.indent, func(item int, k string, line, col int) {
				recordItemKey(pos, key, item, k, Pos{Line: line + lineOffset, Col: col})
			})
			if !isList {
				return nil, nil, false
			}
			vals[key] = list
		default:
			return nil, nil, false // a nested map, or a scalar on the next line
		}
	}
}

// fastBytes reports whether src is valid UTF-8 (decodeFile has checked
// that already) and holds no byte that the fast path leaves to
// goccy/go-yaml wherever it stands: control characters but the line feed
// (tabs among them), and the characters YAML 1.1 counts as line breaks or
// goccy/go-yaml might take as white space (U+0085, U+00A0, U+2028, U+2029,
// U+FEFF).
func fastBytes(src []byte) bool {
	if !utf8.Valid(src) {
		return false
	}
	for i, c := range src {
		switch {
		case c < ' ' && c != '\n', c == 0x7F:
			return false
		case c == 0xC2 && i+1 < len(src) && (src[i+1] == 0x85 || src[i+1] == 0xA0):
			return false
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			return false
		case c == 0xEF && i+2 < len(src) && src[i+1] == 0xBB && src[i+2] == 0xBF:
			return false
		}
	}
	return true
}

// peek returns the next line that is not blank, without taking it.
func (y *yamlFast) peek() (fastLine, bool) {
	off, num := y.off, y.line
	for off < len(y.src) {
		end := strings.IndexByte(y.src[off:], '\n')
		next := off + end + 1
		if end < 0 {
			end = len(y.src) - off
			next = len(y.src)
		}
		text := y.src[off : off+end]
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		if indent < len(text) {
			return fastLine{text: text[indent:], indent: indent, num: num, next: next}, true
		}
		off, num = next, num+1
	}
	return fastLine{}, false
}

// skip takes the lines up to and including l, which peek returned.
func (y *yamlFast) skip(l fastLine) {
	y.off, y.line = l.next, l.num+1
}

// topLines counts the lines of src that start with a key: the size of the
// maps of a front matter in the subset.
func topLines(src []byte) int {
	n := 0
	for i, c := range src {
		if c != ' ' && c != '\n' && (i == 0 || src[i-1] == '\n') {
			n++
		}
	}
	return n
}

// isItem reports whether a line's text is an item of a block list.
func isItem(text string) bool {
	return strings.HasPrefix(text, "- ")
}

// list reads a block list whose items start at column indent, each text or
// a map of text.
func (y *yamlFast) list(indent int, at func(item int, key string, line, col int)) ([]any, bool) {
	var items []any
	for {
		l, more := y.peek()
		if !more || l.indent != indent || !isItem(l.text) {
			return items, true
		}
		y.skip(l)
		item := l.text[2:]
		col := indent + 2
		for item != "" && item[0] == ' ' {
			item, col = item[1:], col+1
		}
		if item == "" {
			return nil, false // an empty item is null
		}
		key, rest, isKey := fastKey(item)
		if !isKey {
			v, isText := fastScalar(item)
			if !isText {
				return nil, false
			}
			items = append(items, v)
			continue
		}
		m := map[string]any{}
		line := l.num
		for {
			if _, dup := m[key]; dup || rest == "" {
				return nil, false
			}
			at(len(items), key, line, col+1)
			v, isText := fastScalar(rest)
			if !isText {
				return nil, false
			}
			m[key] = v
			l, more := y.peek()
			if !more || l.indent != col {
				break
			}
			y.skip(l)
			if key, rest, isKey = fastKey(l.text); !isKey {
				return nil, false
			}
			line = l.num
		}
		items = append(items, m)
	}
}

// fastKey splits "key: rest" or "key:" into the key and the rest without
// its leading spaces. It reports false when the text does not start with
// a plain key of the subset and a colon that ends it.
func fastKey(text string) (key, rest string, ok bool) {
	i := 0
	for ; i < len(text); i++ {
		c := text[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' ||
			i > 0 && ('0' <= c && c <= '9' || c == '-')) {
			break
		}
	}
	if i == 0 || i == len(text) || text[i] != ':' || i+1 < len(text) && text[i+1] != ' ' {
		return "", "", false
	}
	key = text[:i]
	if !plainString(key) {
		return "", "", false
	}
	return key, strings.TrimLeft(text[i+1:], " "), true
}

// fastScalar decodes the text of a scalar that ends its line, when it is
// text of the subset.
func fastScalar(s string) (string, bool) {
	switch s[0] {
	case '"':
		end := strings.IndexByte(s[1:], '"') + 1
		if end <= 0 || strings.IndexByte(s[:end], '\\') >= 0 || strings.TrimRight(s[end+1:], " ") != "" {
			return "", false
		}
		return s[1:end], true
	case '\'':
		var b strings.Builder
		i := 1
		for {
			j := strings.IndexByte(s[i:], '\'')
			if j < 0 {
				return "", false
			}
			j += i
			if j+1 < len(s) && s[j+1] == '\'' {
				b.WriteString(s[i : j+1])
				i = j + 2
				continue
			}
			if strings.TrimRight(s[j+1:], " ") != "" {
				return "", false
			}
			if b.Len() == 0 {
				return s[i:j], true
			}
			b.WriteString(s[i:j])
			return b.String(), true
		}
	}
	s = strings.TrimRight(s, " ")
	c := s[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80) {
		return "", false // an indicator, or punctuation that might start one
	}
	if strings.ContainsAny(s, "#[]{}\"`|>\\") || strings.Contains(s, ": ") || strings.HasSuffix(s, ":") || !plainString(s) {
		return "", false
	}
	return s, true
}

// plainString reports whether goccy/go-yaml reads the plain scalar s as a
// string: not a null, a boolean, a number or a special float. Asking
// goccy/go-yaml allocates, so the common cases are answered here: words
// without digits are text unless reserved (goccy/go-yaml reads a number
// only where strconv parses one, which needs a digit: "inf" and "nan"
// would need no dot, and goccy/go-yaml parses floats only with one), and
// so are dates (YYYY-MM-DD, which no number is).
func plainString(s string) bool {
	switch s {
	case "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
		".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
		return false
	}
	if !strings.ContainsAny(s, "0123456789") || isDate(s) {
		return true
	}
	return token.New(s, s, &token.Position{}).Type == token.StringType
}
