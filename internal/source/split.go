package source

import (
	"bytes"
	"unicode/utf8"
)

// format is the language a file's front matter is written in.
type format int

const (
	formatNone format = iota // no front matter: the whole file is body
	formatYAML               // between --- lines
	formatTOML               // between +++ lines
)

func (f format) String() string {
	switch f {
	case formatYAML:
		return "YAML"
	case formatTOML:
		return "TOML"
	default:
		return "none"
	}
}

// fence returns the line that opens and closes front matter of this format.
func (f format) fence() string {
	if f == formatTOML {
		return "+++"
	}
	return "---"
}

var bom = []byte("\uFEFF")

// normalise strips a UTF-8 byte order mark and turns CRLF and lone CR line
// endings into LF. Everything after it (splitting, decoding, positions,
// Markdown) can then count lines by '\n' alone and agree with the editor.
func normalise(data []byte) []byte {
	data = bytes.TrimPrefix(data, bom)
	if bytes.IndexByte(data, '\r') < 0 {
		return data
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

// firstInvalidUTF8 returns the offset of the first byte of data that is not
// part of valid UTF-8, or -1 when data is valid.
func firstInvalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// parts is a normalised file split into front matter and body.
type parts struct {
	format   format
	front    []byte // between the fences, without them; nil for formatNone
	body     []byte
	bodyLine int // 1-based file line on which body starts
}

// isFence reports whether line is the fence. Trailing blanks are allowed
// because they are invisible in an editor and a user could not tell why
// their front matter was not recognised.
func isFence(line []byte, fence string) bool {
	return string(bytes.TrimRight(line, " \t")) == fence
}

// splitFront splits normalised data at its front-matter fences. ok is false
// when a fence opens front matter that no later fence closes.
func splitFront(data []byte) (p parts, ok bool) {
	first, rest, hasRest := bytes.Cut(data, []byte{'\n'})
	var f format
	switch {
	case isFence(first, "---"):
		f = formatYAML
	case isFence(first, "+++"):
		f = formatTOML
	default:
		return parts{format: formatNone, body: data, bodyLine: 1}, true
	}
	if !hasRest {
		return parts{format: f}, false
	}
	start := len(data) - len(rest)
	line := 2
	for pos := start; pos < len(data); line++ {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(data)
		}
		if isFence(data[pos:end], f.fence()) {
			return parts{
				format:   f,
				front:    data[start:pos],
				body:     data[next:],
				bodyLine: line + 1,
			}, true
		}
		pos = next
	}
	return parts{format: f}, false
}
