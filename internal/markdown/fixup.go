package markdown

import "bytes"

// Sentinels in converted HTML. Each is NUL, a kind byte, a value and NUL.
// The value is already escaped for the attribute it stands in, so Fixup
// only adds the page's own (trusted) root, prefix and home.
const (
	sentinelRoot = "\x00R" // a site-root-relative URL: root + value
	sentinelID   = "\x00I" // an id attribute value: prefix + value
	sentinelFrag = "\x00F" // a link to an id of this document
	sentinelEnd  = "\x00"
)

// FixContext says where converted HTML is placed.
type FixContext struct {
	// Root leads from the page to the site root: "" on the home page,
	// "../../" on /briefings/x/.
	Root string
	// Offline makes links to folders name their index.html.
	Offline bool
	// IDPrefix is put before every id, so that sections of several
	// documents on one topic page do not share ids.
	IDPrefix string
	// Home is the site-root-relative path of the document's own page, such
	// as "briefings/x/": links to the document's own ids point there when
	// the HTML is placed on another page.
	Home string
	// OwnPage says the HTML is on the document's own page, so links to its
	// ids stay in the page.
	OwnPage bool
}

// Fixup appends html to dst with every sentinel replaced for the page that
// fc describes, in one pass:
//
//   - "\x00R" path "\x00" becomes Root+path; with Offline, "index.html" is
//     added when the path (before any '?' or '#') is empty or ends in '/';
//     an empty Root+path becomes "./".
//   - "\x00I" id "\x00" becomes IDPrefix+id.
//   - "\x00F" id "\x00" becomes "#"+IDPrefix+id on the document's own page,
//     and Root+Home+"#"+id (with index.html when Offline) elsewhere, so a
//     footnote or heading link on a topic page leads into the document.
//
// The output never contains NUL, whatever the input.
func Fixup(dst, html []byte, fc FixContext) []byte {
	for {
		i := bytes.IndexByte(html, 0)
		if i < 0 {
			return append(dst, html...)
		}
		dst = append(dst, html[:i]...)
		html = html[i+1:]
		if len(html) == 0 {
			return dst
		}
		kind := html[0]
		j := bytes.IndexByte(html[1:], 0)
		if j < 0 {
			// Not a sentinel of ours: drop the NUL, keep the rest.
			continue
		}
		val := html[1 : 1+j]
		switch kind {
		case 'R':
			dst = appendURL(dst, fc.Root, val, fc.Offline)
		case 'I':
			dst = appendAttr(dst, fc.IDPrefix)
			dst = append(dst, val...)
		case 'F':
			if fc.OwnPage {
				dst = append(dst, '#')
				dst = appendAttr(dst, fc.IDPrefix)
				dst = append(dst, val...)
			} else {
				dst = appendURL(dst, fc.Root, []byte(fc.Home), fc.Offline)
				dst = append(dst, '#')
				dst = append(dst, val...)
			}
		default:
			// Unknown kind: drop the NUL, keep the rest as text.
			continue
		}
		html = html[j+2:]
	}
}

// appendURL appends root+p, naming index.html when offline and the part
// before any '?' or '#' is a folder (empty or ending in '/'). An empty URL
// becomes "./", since href="" would mean the page itself, not the folder.
func appendURL(dst []byte, root string, p []byte, offline bool) []byte {
	cut := bytes.IndexAny(p, "?#")
	if cut < 0 {
		cut = len(p)
	}
	start := len(dst)
	dst = appendAttr(dst, root)
	dst = append(dst, p[:cut]...)
	empty := len(dst) == start
	switch {
	case offline && (empty || dst[len(dst)-1] == '/'):
		dst = append(dst, "index.html"...)
	case empty:
		dst = append(dst, "./"...)
	}
	return append(dst, p[cut:]...)
}

// appendAttr appends s escaped for an attribute value. The FixContext
// strings come from the program, not from authors, but escaping them costs
// nothing when they are plain.
func appendAttr(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '"':
			dst = append(dst, "&#34;"...)
		case '\'':
			dst = append(dst, "&#39;"...)
		case 0:
			// Never let a NUL through.
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
