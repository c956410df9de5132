package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
)

// PageCount returns the number of pages of a PDF file written by Chromium.
func PageCount(data []byte) (int, error) {
	f, err := parse(data)
	if err != nil {
		return 0, err
	}
	pages, err := f.pages()
	if err != nil {
		return 0, err
	}
	if len(pages) == 0 {
		return 0, errors.New("read PDF: it has no pages")
	}
	return len(pages), nil
}

// Destinations returns the named destinations of a PDF file written by
// Chromium, each with the page it points to (1-based). Chromium names a
// destination after the id of every element that a link of the document
// points to ("#ch-3" gives "ch-3"), which is how a contents page learns the
// page numbers of what it lists.
func Destinations(data []byte) (map[string]int, error) {
	f, err := parse(data)
	if err != nil {
		return nil, err
	}
	pages, err := f.pages()
	if err != nil {
		return nil, err
	}
	pageOf := make(map[int]int, len(pages))
	for i, obj := range pages {
		pageOf[obj] = i + 1
	}
	dests := map[string]int{}
	ref := f.ref(f.root, "Dests")
	if ref == 0 {
		return dests, nil // no internal links
	}
	body, err := f.object(ref)
	if err != nil {
		return nil, err
	}
	for _, m := range destEntry.FindAllSubmatch(body, -1) {
		obj, _ := strconv.Atoi(string(m[2]))
		page, ok := pageOf[obj]
		if !ok {
			return nil, fmt.Errorf("read PDF: destination %s points to object %d, which is not a page", m[1], obj)
		}
		dests[decodeName(m[1])] = page
	}
	return dests, nil
}

// Skia, Chromium's PDF writer, writes a classic cross-reference table and
// uncompressed dictionaries (only stream contents are compressed), so a few
// patterns read what is needed: the catalog, the page tree and the /Dests
// dictionary. This is not a general PDF reader.
var (
	startXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	xrefHead  = regexp.MustCompile(`^xref\s+`)
	xrefSub   = regexp.MustCompile(`^(\d+) (\d+)\s+`)
	rootRef   = regexp.MustCompile(`/Root\s+(\d+)\s+0\s+R`)
	kidsArray = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	refs      = regexp.MustCompile(`(\d+)\s+0\s+R`)
	pageType  = regexp.MustCompile(`/Type\s*/Page\b`)
	destEntry = regexp.MustCompile(`/([^\s/\[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R`)
)

type pdfFile struct {
	data    []byte
	offsets map[int]int // object number → byte offset
	root    int         // the catalog's object number
}

func parse(data []byte) (*pdfFile, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, errors.New("read PDF: not a PDF file")
	}
	m := startXref.FindSubmatch(data)
	if m == nil {
		return nil, errors.New("read PDF: no startxref at the end (truncated file?)")
	}
	at, _ := strconv.Atoi(string(m[1]))
	if at >= len(data) {
		return nil, errors.New("read PDF: startxref points past the end")
	}
	rest := data[at:]
	loc := xrefHead.FindIndex(rest)
	if loc == nil {
		return nil, errors.New("read PDF: no classic cross-reference table (not written by Chromium?)")
	}
	rest = rest[loc[1]:]
	f := &pdfFile{data: data, offsets: map[int]int{}}
	for {
		sub := xrefSub.FindSubmatchIndex(rest)
		if sub == nil {
			break
		}
		first, _ := strconv.Atoi(string(rest[sub[2]:sub[3]]))
		count, _ := strconv.Atoi(string(rest[sub[4]:sub[5]]))
		rest = rest[sub[1]:]
		for i := range count {
			// Each entry is exactly 20 bytes: "0000000015 00000 n \n".
			if len(rest) < 20 {
				return nil, errors.New("read PDF: cross-reference table cut short")
			}
			entry := rest[:20]
			rest = rest[20:]
			if entry[17] != 'n' {
				continue
			}
			off, err := strconv.Atoi(string(entry[:10]))
			if err != nil || off >= len(data) {
				return nil, errors.New("read PDF: bad cross-reference entry")
			}
			f.offsets[first+i] = off
		}
	}
	trailer := rest
	if i := bytes.Index(trailer, []byte("startxref")); i >= 0 {
		trailer = trailer[:i]
	}
	r := rootRef.FindSubmatch(trailer)
	if r == nil {
		return nil, errors.New("read PDF: no /Root in the trailer")
	}
	f.root, _ = strconv.Atoi(string(r[1]))
	return f, nil
}

// object returns the text of object n, up to its "endobj" (or its stream,
// which is never needed here).
func (f *pdfFile) object(n int) ([]byte, error) {
	off, ok := f.offsets[n]
	if !ok {
		return nil, fmt.Errorf("read PDF: object %d is missing", n)
	}
	body := f.data[off:]
	head := []byte(strconv.Itoa(n) + " 0 obj")
	if !bytes.HasPrefix(body, head) {
		return nil, fmt.Errorf("read PDF: object %d is not where the cross-reference table says", n)
	}
	body = body[len(head):]
	end := len(body)
	for _, stop := range [][]byte{[]byte("endobj"), []byte("stream")} {
		if i := bytes.Index(body, stop); i >= 0 && i < end {
			end = i
		}
	}
	return body[:end], nil
}

// ref returns the object that the dictionary key of object n refers to, or 0.
func (f *pdfFile) ref(n int, key string) int {
	body, err := f.object(n)
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`/` + key + `\s+(\d+)\s+0\s+R`).FindSubmatch(body)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}

// pages returns the object numbers of the pages in order, walking the page
// tree from the catalog.
func (f *pdfFile) pages() ([]int, error) {
	top := f.ref(f.root, "Pages")
	if top == 0 {
		return nil, errors.New("read PDF: the catalog has no /Pages")
	}
	var out []int
	seen := map[int]bool{}
	var walk func(n int) error
	walk = func(n int) error {
		if seen[n] {
			return errors.New("read PDF: the page tree has a loop")
		}
		seen[n] = true
		body, err := f.object(n)
		if err != nil {
			return err
		}
		kids := kidsArray.FindSubmatch(body)
		if kids == nil {
			if !pageType.Match(body) {
				return fmt.Errorf("read PDF: object %d in the page tree is neither /Pages nor /Page", n)
			}
			out = append(out, n)
			return nil
		}
		for _, k := range refs.FindAllSubmatch(kids[1], -1) {
			kid, _ := strconv.Atoi(string(k[1]))
			if err := walk(kid); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(top); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeName undoes the #XX escapes of a PDF name, then the %XX escapes
// of the URL fragment Chromium made the name from: the destination of
// id="überblick" is /%C3%BCberblick.
func decodeName(b []byte) string {
	s := decodePDFName(b)
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

func decodePDFName(b []byte) string {
	if !bytes.ContainsRune(b, '#') {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}
