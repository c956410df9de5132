package source

import (
	"bytes"
	"slices"

	"github.com/dossier-dev/dossier/internal/diag"
)

// Limits on front matter. Real front matter is a few hundred bytes; these
// bounds are far above that and keep hostile files from stalling a build:
// goccy/go-yaml takes time quadratic in the nesting of flow collections
// (20,000 "[" take half a second, 100,000 take minutes) and in the number
// of keys of one block mapping (36,000 keys take 12 s).
const (
	maxFrontBytes = 256 << 10 // bytes between the fences
	maxFlowDepth  = 100       // [ and { inside each other
	maxMapKeys    = 2000      // keys of one block mapping
)

// checkFrontLimits reports front matter that is too large or too deeply
// nested to decode quickly, at the place where the limit is passed.
// lineOffset is the number of file lines before the front matter.
func checkFrontLimits(path string, f format, src []byte, lineOffset int) diag.List {
	var diags diag.List
	if len(src) > maxFrontBytes {
		diags.Errorf(path, lineOffset+1, 1, "front matter is %d KB, more than the limit of %d KB: move long text into the body below the closing %s",
			(len(src)+1023)>>10, maxFrontBytes>>10, f.fence())
		return diags
	}
	if f != formatYAML {
		return diags // go-toml has a nesting limit of its own and no slow paths
	}
	if off := yamlFlowTooDeep(src); off >= 0 {
		line, col := diag.LineCol(src, off)
		diags.Errorf(path, line+lineOffset, col, "front matter nests lists and maps written with [ and { more than %d levels deep", maxFlowDepth)
		return diags
	}
	if off := yamlTooManyKeys(src); off >= 0 {
		line, col := diag.LineCol(src, off)
		diags.Errorf(path, line+lineOffset, col, "front matter has more than %d fields in one map: "+
			"keep long lists of data out of front matter", maxMapKeys)
	}
	return diags
}

// yamlFlowTooDeep returns the offset of the first [ or { that opens a
// flow collection nested deeper than maxFlowDepth, or -1. Quoted strings
// and comments are skipped; a bracket inside a plain scalar counts too,
// which can only make the count higher, never let a deep one through.
func yamlFlowTooDeep(src []byte) int {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '[', '{':
			if depth++; depth > maxFlowDepth {
				return i
			}
		case ']', '}':
			depth = max(depth-1, 0)
		case '\'':
			// '' is an escaped quote inside a single-quoted string.
			for i++; i < len(src); i++ {
				if src[i] == '\'' {
					if i+1 < len(src) && src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '#':
			if i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n' {
				if end := bytes.IndexByte(src[i:], '\n'); end >= 0 {
					i += end
				} else {
					i = len(src)
				}
			}
		}
	}
	return -1
}

// yamlTooManyKeys returns the offset of the first key line that makes one
// block mapping hold more than maxMapKeys keys, or -1. A mapping is told
// apart by the column of its keys: a "- " item starts a new one at the
// column after it, and a line at a smaller column ends the deeper ones.
func yamlTooManyKeys(src []byte) int {
	// The open mappings: key column and keys so far. Few are open at a
	// time, so a slice serves better than a map.
	var open [][2]int
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		col := 0
		for col < len(line) && line[col] == ' ' {
			col++
		}
		newItem := false
		for col+1 < len(line) && line[col] == '-' && (line[col+1] == ' ' || line[col+1] == '\t') {
			newItem = true
			col += 2
			for col < len(line) && line[col] == ' ' {
				col++
			}
		}
		if isKeyLine(line[col:]) {
			open = slices.DeleteFunc(open, func(m [2]int) bool { return m[0] > col || (newItem && m[0] == col) })
			i := slices.IndexFunc(open, func(m [2]int) bool { return m[0] == col })
			if i < 0 {
				i = len(open)
				open = append(open, [2]int{col, 0})
			}
			if open[i][1]++; open[i][1] > maxMapKeys {
				return off + col
			}
		}
		off = end + 1
	}
	return -1
}

// isKeyLine reports whether s starts with a plain or quoted key followed by
// ": " or ":" at the end of the line.
func isKeyLine(s []byte) bool {
	if len(s) == 0 || s[0] == '#' || s[0] == '[' || s[0] == '{' || s[0] == '-' {
		return false
	}
	i := bytes.IndexByte(s, ':')
	return i > 0 && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t')
}
