package source

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dossier-dev/dossier/internal/diag"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// decodeFront decodes front matter written in format f into a generic map
// and the file position of each top-level key. lineOffset is the number of
// file lines before the front matter (1 for the opening fence), so that
// every position reported is a line of the file, not of the fragment.
func decodeFront(path string, f format, src []byte, lineOffset int) (map[string]any, map[string]Pos, diag.List) {
	switch f {
	case formatYAML:
		return decodeYAML(path, src, lineOffset)
	case formatTOML:
		vals, _, top, diags := decodeTOML(path, src, lineOffset)
		return vals, top, diags
	default:
		return map[string]any{}, map[string]Pos{}, nil
	}
}

// yamlPosInMsg matches the positions goccy/go-yaml writes inside some
// messages ("already defined at [1:1]"); they count from the fragment.
var yamlPosInMsg = regexp.MustCompile(`\[(\d+):(\d+)\]`)

// yamlPosPrefix matches the position goccy/go-yaml puts in front of a
// message when the error carries no token.
var yamlPosPrefix = regexp.MustCompile(`^\[\d+:\d+\]\s*`)

// decodeYAML decodes YAML front matter: the common shapes directly (see
// decodeYAMLFast), anything else with goccy/go-yaml.
func decodeYAML(path string, src []byte, lineOffset int) (map[string]any, map[string]Pos, diag.List) {
	if vals, pos, ok := decodeYAMLFast(src, lineOffset); ok {
		return vals, pos, nil
	}
	return decodeYAMLFull(path, src, lineOffset)
}

// decodeYAMLFull parses src with goccy/go-yaml. Front matter must be a
// mapping; its top-level keys give the positions.
func decodeYAMLFull(path string, src []byte, lineOffset int) (vals map[string]any, pos map[string]Pos, diags diag.List) {
	// A panic inside the decoder must not take the whole build down with
	// it: report the file instead, which is what the user can act on.
	defer func() {
		if r := recover(); r != nil {
			vals, pos = nil, nil
			diags = diag.List{diag.Errorf(path, lineOffset+1, 1, "invalid YAML: the decoder failed (%v)", r)}
		}
	}()
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, nil, yamlError(path, err, lineOffset)
	}
	vals, pos = map[string]any{}, map[string]Pos{}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return vals, pos, nil
	}
	if len(file.Docs) > 1 {
		line := lineOffset + 1
		if tk := file.Docs[1].GetToken(); tk != nil && tk.Position != nil {
			line = tk.Position.Line + lineOffset
		}
		return nil, nil, diag.List{diag.Errorf(path, line, 1, "invalid YAML: front matter holds more than one document")}
	}
	body := file.Docs[0].Body
	pairs, isMap := yamlPairs(body)
	if !isMap {
		line, col := lineOffset+1, 1
		if tk := body.GetToken(); tk != nil && tk.Position != nil {
			line, col = tk.Position.Line+lineOffset, tk.Position.Column
		}
		return nil, nil, diag.List{diag.Errorf(path, line, col,
			"invalid YAML: front matter must be fields written as key: value, not %s", yamlNodeKind(body))}
	}
	if err := yaml.NodeToValue(body, &vals); err != nil {
		return nil, nil, yamlError(path, err, lineOffset)
	}
	for _, mv := range pairs {
		key, p, ok := yamlKey(mv, lineOffset)
		if !ok {
			continue
		}
		if _, seen := pos[key]; !seen {
			pos[key] = p
			yamlItemKeys(pos, key, mv.Value, lineOffset)
		}
	}
	if vals == nil {
		vals = map[string]any{}
	}
	return vals, pos, nil
}

// yamlItemKeys records the positions of the keys of the maps in the list
// v, the value of the top-level key (see recordItemKey).
func yamlItemKeys(pos map[string]Pos, key string, v ast.Node, lineOffset int) {
	seq, ok := v.(*ast.SequenceNode)
	if !ok {
		return
	}
	for i, item := range seq.Values {
		pairs, _ := yamlPairs(item)
		for _, mv := range pairs {
			if k, p, ok := yamlKey(mv, lineOffset); ok {
				recordItemKey(pos, key, i, k, p)
			}
		}
	}
}

// yamlPairs returns the key: value pairs of a mapping node, and false for
// any other node.
func yamlPairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := n.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

// yamlKey returns the key of a pair and where it stands in the file; false
// for a merge key (<<) or a key without a position.
func yamlKey(mv *ast.MappingValueNode, lineOffset int) (string, Pos, bool) {
	if mv == nil || mv.Key == nil || mv.Key.IsMergeKey() {
		return "", Pos{}, false
	}
	tk := mv.Key.GetToken()
	if tk == nil || tk.Position == nil {
		return "", Pos{}, false
	}
	key := tk.Value
	if s, ok := mv.Key.(*ast.StringNode); ok {
		key = s.Value
	}
	return key, Pos{Line: tk.Position.Line + lineOffset, Col: tk.Position.Column}, true
}

// recordItemKey records where key k of the map that is item i (from 0) of
// the list under the top-level key stands, as "key.N.k" with N from 1 (as
// messages count sources), and the item's first key as "key.N", so that a
// message about one field of one source points at it.
func recordItemKey(pos map[string]Pos, key string, i int, k string, p Pos) {
	item := key + "." + strconv.Itoa(i+1)
	if _, ok := pos[item]; !ok {
		pos[item] = p
	}
	if _, ok := pos[item+"."+k]; !ok {
		pos[item+"."+k] = p
	}
}

// yamlNodeKind names a YAML node the way a user would describe it.
func yamlNodeKind(n ast.Node) string {
	switch n.Type() {
	case ast.SequenceType:
		return "a list"
	case ast.StringType, ast.LiteralType:
		return "text"
	case ast.IntegerType, ast.FloatType:
		return "a number"
	case ast.BoolType:
		return "a boolean"
	default:
		return "a " + strings.ToLower(n.Type().String())
	}
}

// yamlError turns a goccy/go-yaml error into a diagnostic at the file line,
// dropping the decoder's own position prefix and source excerpt.
func yamlError(path string, err error, lineOffset int) diag.List {
	line, col := lineOffset+1, 1
	msg := err.Error()
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line, col = tk.Position.Line+lineOffset, tk.Position.Column
		}
	} else {
		msg, _, _ = strings.Cut(msg, "\n")
		msg = yamlPosPrefix.ReplaceAllString(msg, "")
	}
	msg = yamlPosInMsg.ReplaceAllStringFunc(msg, func(m string) string {
		sub := yamlPosInMsg.FindStringSubmatch(m)
		l, _ := strconv.Atoi(sub[1])
		return fmt.Sprintf("line %d, column %s", l+lineOffset, sub[2])
	})
	return diag.List{diag.Errorf(path, max(line, 1), max(col, 1), "invalid YAML: %s", msg)}
}

// DecodeTOML decodes a whole TOML document, such as dossier.toml, into a
// generic map, and returns where every key was written: nested keys are
// named by dotted paths ("linking.mentions", "print.paper"). The config
// package uses it so that the TOML library lives in this package only.
// Syntax errors come back as diagnostics at path:line:col.
func DecodeTOML(path string, data []byte) (map[string]any, map[string]Pos, diag.List) {
	data = normalise(data)
	vals, all, _, diags := decodeTOML(path, data, 0)
	return vals, all, diags
}

// decodeTOML decodes src with go-toml and then walks it again with the
// go-toml parser to find key positions, which the decoder does not expose.
// It returns the positions of every key by dotted path (all) and of the
// top-level keys by their plain name (top).
func decodeTOML(path string, src []byte, lineOffset int) (vals map[string]any, all, top map[string]Pos, diags diag.List) {
	defer func() {
		if r := recover(); r != nil {
			vals, all, top = nil, nil, nil
			diags = diag.List{diag.Errorf(path, lineOffset+1, 1, "invalid TOML: the decoder failed (%v)", r)}
		}
	}()
	if err := toml.Unmarshal(src, &vals); err != nil {
		return nil, nil, nil, tomlError(path, src, err, lineOffset)
	}
	if vals == nil {
		vals = map[string]any{}
	}
	all, top = map[string]Pos{}, map[string]Pos{}
	record := func(keys []string, offset int) {
		line, col := diag.LineCol(src, offset)
		p := Pos{Line: line + lineOffset, Col: col}
		dotted := strings.Join(keys, ".")
		if _, ok := all[dotted]; !ok {
			all[dotted] = p
		}
		if len(keys) == 1 {
			if _, ok := top[keys[0]]; !ok {
				top[keys[0]] = p
			}
		}
	}
	// The keys of the tables in a top-level array (sources) also go into
	// top, as YAML's do (see recordItemKey): written inline, or as [[name]]
	// tables.
	item := func(name string, i int, kv *unstable.Node) {
		if it := kv.Key(); it.Next() {
			k := it.Node()
			line, col := diag.LineCol(src, int(k.Raw.Offset))
			recordItemKey(top, name, i, string(k.Data), Pos{Line: line + lineOffset, Col: col})
		}
	}
	arrays := map[string]int{} // top-level array tables: how many so far
	inArray := false           // the current table is one of them
	var p unstable.Parser
	p.Reset(src)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			// The first key of a header is reported at its opening
			// bracket, where the user sees the table start.
			table = tomlKeys(e.Key(), nil, func(keys []string, offset int) {
				if len(keys) == 1 {
					for offset > 0 && (src[offset-1] == ' ' || src[offset-1] == '\t') {
						offset--
					}
					for offset > 0 && src[offset-1] == '[' {
						offset--
					}
				}
				record(keys, offset)
			})
			inArray = e.Kind == unstable.ArrayTable && len(table) == 1
			if inArray {
				arrays[table[0]]++
			}
		case unstable.KeyValue:
			tomlKeyValue(e, table, record)
			if inArray {
				item(table[0], arrays[table[0]]-1, e)
			}
			if len(table) == 0 {
				tomlInlineItems(e, item)
			}
		}
	}
	// The decoder accepted the document, so the parser cannot fail here;
	// if it somehow does, positions are merely incomplete.
	return vals, all, top, nil
}

// tomlInlineItems calls item with each key = value of the inline tables in
// the array that the expression kv assigns, if it assigns one: name is the
// array's key and i the table's place in it, from 0.
func tomlInlineItems(kv *unstable.Node, item func(name string, i int, kv *unstable.Node)) {
	v := kv.Value()
	if v == nil || v.Kind != unstable.Array {
		return
	}
	name := ""
	if it := kv.Key(); it.Next() {
		name = string(it.Node().Data)
	}
	tables := v.Children()
	for i := 0; tables.Next(); i++ {
		if t := tables.Node(); t.Kind == unstable.InlineTable {
			kvs := t.Children()
			for kvs.Next() {
				if n := kvs.Node(); n.Kind == unstable.KeyValue {
					item(name, i, n)
				}
			}
		}
	}
}

// tomlKeys walks the parts of a (possibly dotted) key, records the position
// of every prefix below prefix, and returns the full key path.
func tomlKeys(it unstable.Iterator, prefix []string, record func([]string, int)) []string {
	keys := append([]string(nil), prefix...)
	for it.Next() {
		n := it.Node()
		keys = append(keys, string(n.Data))
		record(keys, int(n.Raw.Offset))
	}
	return keys
}

// tomlKeyValue records a key = value expression under table, descending
// into inline tables so that their keys get positions too.
func tomlKeyValue(kv *unstable.Node, table []string, record func([]string, int)) {
	keys := tomlKeys(kv.Key(), table, record)
	v := kv.Value()
	if v == nil || v.Kind != unstable.InlineTable {
		return
	}
	it := v.Children()
	for it.Next() {
		if n := it.Node(); n.Kind == unstable.KeyValue {
			tomlKeyValue(n, keys, record)
		}
	}
}

// tomlError turns a go-toml error into a diagnostic at the file line. go-toml
// counts columns in bytes; editors count characters, so convert.
func tomlError(path string, src []byte, err error, lineOffset int) diag.List {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		msg := strings.TrimPrefix(err.Error(), "toml: ")
		return diag.List{diag.Errorf(path, lineOffset+1, 1, "invalid TOML: %s", msg)}
	}
	row, col := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	offset := byteOffset(src, row, col)
	if offset < len(src) && src[offset] >= utf8.RuneSelf {
		// go-toml names the first byte of a multi-byte character as if it
		// were the character ("U+00C3 'Ã'" for "é"); name the character.
		r, _ := utf8.DecodeRune(src[offset:])
		msg = strings.Replace(msg, fmt.Sprintf("%#U", rune(src[offset])), fmt.Sprintf("%#U", r), 1)
	}
	line, runeCol := diag.LineCol(src, offset)
	if row < 1 {
		line, runeCol = 1, 1
	}
	return diag.List{diag.Errorf(path, line+lineOffset, runeCol, "invalid TOML: %s", msg)}
}

// byteOffset converts a 1-based line and byte column of src into an offset,
// clamped to src.
func byteOffset(src []byte, line, byteCol int) int {
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			return len(src)
		}
		start += i + 1
	}
	return min(start+max(byteCol-1, 0), len(src))
}
