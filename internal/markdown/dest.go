package markdown

import (
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// resolveDest turns the destination of a Markdown link or image into the
// final content of its href or src attribute: escaped, with sentinels for
// site-internal URLs so that Fixup can make them relative to each page.
//
//   - A URL with a scheme stays as written; javascript:, vbscript:, file:
//     and data: (except data:image/… for images) become "#".
//   - "//host/…" is a URL on another host and stays as written.
//   - "/p" is site-root-relative: R sentinel for "p".
//   - "#frag" is a fragment of this document: F sentinel.
//   - Anything else is relative to base, the document's folder; a path
//     that would climb above the site root stays as written.
func resolveDest(dest []byte, base string, image bool) []byte {
	// Percent-encode as goldmark's own renderer does (spaces, non-ASCII),
	// after resolving entities and backslash escapes.
	escaped := util.URLEscape(dest, true)
	u := string(escaped)
	switch {
	case u == "":
		return sentinel(sentinelRoot, base)
	case u[0] == '#':
		if len(u) == 1 {
			return []byte("#")
		}
		return sentinel(sentinelFrag, u[1:])
	case strings.HasPrefix(u, "//"):
		// escaped may share memory with dest (and EscapeHTML's result
		// with escaped): the tree only ever reads them.
		return util.EscapeHTML(escaped)
	case hasScheme(u):
		if isDangerousURL(u) || !image && hasPrefixFold(u, "data:") {
			return []byte("#")
		}
		return util.EscapeHTML(escaped)
	case u[0] == '/':
		return sentinel(sentinelRoot, u[1:])
	}
	p, rest := u, ""
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		p, rest = u[:i], u[i:]
	}
	if p == "" {
		return sentinel(sentinelRoot, base+rest)
	}
	joined := path.Join(base, p)
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return util.EscapeHTML([]byte(u))
	}
	if joined == "." {
		joined = ""
	}
	// path.Join drops the trailing slash that makes a link name a folder.
	if joined != "" && (strings.HasSuffix(p, "/") || p == "." || p == ".." ||
		strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
		joined += "/"
	}
	return sentinel(sentinelRoot, joined+rest)
}

// sentinel returns kind+escaped value+end. The value is HTML-escaped here,
// once, so that Fixup can copy it without looking at it.
func sentinel(kind, value string) []byte {
	b := make([]byte, 0, len(kind)+len(value)+len(sentinelEnd)+8)
	b = append(b, kind...)
	b = append(b, util.EscapeHTML([]byte(value))...)
	return append(b, sentinelEnd...)
}

// hasScheme reports whether u starts with a URL scheme such as "https:".
func hasScheme(u string) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// isDangerousURL is html.IsDangerousURL(u) without its allocations (it
// lower-cases both sides of every comparison).
func isDangerousURL(u string) bool {
	if hasPrefixLower(u, "data:image/") && len(u) >= 11 {
		v := u[11:]
		return !hasPrefixLower(v, "png;") && !hasPrefixLower(v, "gif;") &&
			!hasPrefixLower(v, "jpeg;") && !hasPrefixLower(v, "webp;")
	}
	return hasPrefixLower(u, "javascript:") || hasPrefixLower(u, "vbscript:") ||
		hasPrefixLower(u, "file:") || hasPrefixLower(u, "data:")
}

// hasPrefixLower reports whether s starts with prefix, which is lower-case
// ASCII, when the ASCII letters of s are lower-cased: the comparison of
// goldmark's hasPrefix, bytes.Equal(bytes.ToLower(s[:n]), prefix). That
// can only hold when s[:n] is ASCII: anything else lower-cases to non-ASCII
// or to fewer bytes (the Kelvin sign K to k).
func hasPrefixLower(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// The link and image renderers write the destination that the transformer
// resolved (see resolveDest); every Link and Image in the tree has been
// through it, since the transformer walks the whole document.

func (r *nodeRenderer) renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(n.Destination)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		html.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(n.Destination)
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(plainText(n, source))))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		html.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(">")
	return ast.WalkSkipChildren, nil
}
