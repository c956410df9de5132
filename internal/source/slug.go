package source

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Slugify turns s into the last segment of a URL: lower case, letters and
// digits of every script kept (with the combining marks that Devanagari,
// Thai and others need), every other run of characters replaced by one '-',
// and no '-' at either end. "Überblick" stays "überblick" rather than
// losing its first letter, as ASCII-only slug functions would.
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc) {
			if pending && b.Len() > 0 {
				b.WriteByte('-')
			}
			pending = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		pending = true
	}
	slug := b.String()
	if len(slug) > maxSlugBytes {
		// A slug names a folder: file systems refuse names over 255
		// bytes. Cut at a character boundary and drop a dangling '-'.
		cut := maxSlugBytes
		for cut > 0 && !utf8.RuneStart(slug[cut]) {
			cut--
		}
		slug = strings.TrimRight(slug[:cut], "-")
	}
	return slug
}

// maxSlugBytes bounds a slug well below the 255 bytes that file systems
// allow in one file name.
const maxSlugBytes = 200

// slugFromName derives a slug from a file name without ".md" (or a bundle
// folder name). The YYYY-MM-DD- that file names often start with, to keep
// briefings in date order in a file listing, is not part of the slug.
func slugFromName(name string) string {
	if len(name) > 10 && name[10] == '-' && isDate(name[:10]) {
		name = name[11:]
	}
	return Slugify(name)
}

// isDate reports whether s is written YYYY-MM-DD (digits only).
func isDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := range len(s) {
		if i != 4 && i != 7 && !('0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	return true
}

// checkSlug validates a slug written in front matter and normalises it. It
// refuses anything that could name a path outside the page's own folder,
// rather than quietly slugifying it, because such a value is either a
// mistake or an attack and the user should see it.
func checkSlug(s string) (string, error) {
	if strings.ContainsAny(s, "/\\\x00") || s == "." || s == ".." || strings.HasPrefix(s, ".") || isWindowsAbs(s) {
		return "", fmt.Errorf("slug %q would leave its folder", s)
	}
	if len(s) > maxSlugBytes {
		short := s
		for i := range s {
			if i > 40 {
				short = s[:i] + "…"
				break
			}
		}
		return "", fmt.Errorf("slug %q is %d bytes long, more than the limit of %d", short, len(s), maxSlugBytes)
	}
	slug := Slugify(s)
	if slug == "" {
		return "", fmt.Errorf("slug %q has no letters or digits", s)
	}
	return slug, nil
}

// isWindowsAbs reports a drive-letter path such as "C:x", which is
// absolute (or drive-relative) on Windows even without a slash.
func isWindowsAbs(s string) bool {
	return len(s) >= 2 && s[1] == ':' && ('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z')
}
