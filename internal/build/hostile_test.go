package build_test

// Hostile input (issue 5, SPEC §7 "Safe input"): every case adds files to a
// site that has already been built once, runs the real command line
// (`dossier build`), and asserts the exact messages and exit status, and,
// for every case that fails, that the previous output is byte for byte and
// time for time as it was, with nothing left beside it.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossier-dev/dossier/internal/output/outputtest"

	"github.com/dossier-dev/dossier/internal/markdown"

	"golang.org/x/net/html"

	"github.com/dossier-dev/dossier/internal/cli"
)

// baseSite is a small good site that each case starts from.
var baseSite = map[string]string{
	"dossier.toml": "title = \"Hostile\"\n",
	"content/briefings/2023-01-01-good.md": "---\ntitle: Good\ndate: 2023-01-01\nsources:\n  - {title: Report, url: \"https://example.org/r\"}\n---\n" +
		"Kim Jong Un met officials.\n\n## Diplomacy\n\nTalks.\n",
	"content/entities/kim-jong-un.md": "---\nname: Kim Jong Un\ntype: person\naliases: [Kim]\n---\nA leader.\n",
	"content/topics/diplomacy.md":     "---\ntitle: Diplomacy\n---\nTalks.\n",
}

// hostileCase is one hostile input.
type hostileCase struct {
	name  string
	files map[string]string               // added to the site, or replacing its files
	setup func(t *testing.T, site string) // more: links, permissions
	// status is the exit status; stderr is all of stderr, line by line.
	status int
	stderr []string
	// check looks at the output of a build that succeeded.
	check func(t *testing.T, out string)
	// slow cases are left out with -short.
	slow bool
	// stderrCheck replaces the comparison with stderr, for output too long
	// to list.
	stderrCheck func(t *testing.T, stderr string)
	// asNobody runs the build as an unprivileged user when the test runs
	// as root, for whom file permissions do not apply.
	asNobody bool
}

// Payloads that must come out escaped wherever they appear.
const (
	xssScript = `<script>alert(1)</script>`
	xssImg    = `"><img src=x onerror=alert(1)>`
	xssClose  = `</script><script>alert(2)</script>`
	xssAttr   = `x" onmouseover="alert(3)" y="`
	xssAll    = xssScript + " " + xssImg + " " + xssClose + " " + xssAttr
)

// rawPayloads are what no output file may contain: each is a payload with
// its markup still intact.
var rawPayloads = []string{"<script>alert(", "<img src=x onerror", `onmouseover="alert(3)"`, "</script><script>alert(2)"}

// yq quotes s for YAML.
func yq(s string) string { return strconv.Quote(s) }

func doc(front, body string) string { return "---\n" + front + "---\n" + body }

func hostileCases() []hostileCase {
	const good = "title: T\ndate: 2023-01-01\n"
	xssFront := "title: " + yq("T "+xssAll) + "\ndate: 2023-01-01\n" +
		"summary: " + yq("S "+xssAll) + "\n" +
		"topics: [" + yq("Topic "+xssAll) + ", Diplomacy]\n" +
		"entities: [" + yq("Listed "+xssAll) + ", " + yq("Ent "+xssAll) + "]\n" +
		"classification: " + yq("C "+xssAll) + "\n" +
		"location: " + yq("L "+xssAll) + "\n" +
		"authors: [" + yq("A "+xssAll) + "]\n" +
		"sources:\n  - {title: " + yq("Src "+xssAll) + ", url: " + yq("https://example.org/?q="+xssAll) + "}\n" +
		"custom: " + yq("P "+xssAll) + "\n"
	xssBody := "Ent " + xssAll + " was seen. " + xssAll + "\n\n" +
		"## Heading " + xssAll + "\n\n" +
		"[link](javascript:alert(4)) [v](vbscript:alert(5)) [d](data:text/html,<script>alert(6)</script>) ![i](javascript:alert(7))\n\n" +
		"[[Ent " + xssAll + "]] and [[Kim Jong Un|" + xssAll + "]]\n\n" +
		"## Styled {style=\"background:url(https://evil.example/x)\" onclick=\"alert(8)\"}\n\n" +
		"`" + xssAll + "`\n\n```html\n" + xssAll + "\n```\n\nA note.[^n]\n\n[^n]: " + xssAll + "\n\n" +
		"{{ .Site.Title }} {{ printf \"%s\" \"tmpl\" }}\n"

	return []hostileCase{
		// Malformed front matter.
		{name: "YAML: unclosed flow list",
			status: 1, stderr: []string{"content/briefings/yaml.md:4:9: invalid YAML: sequence end token ']' not found", "dossier: 1 error"},
			files: map[string]string{"content/briefings/yaml.md": doc("title: A\ndate: 2023-01-01\ntopics: [a, b\n", "x\n")}},
		{name: "YAML: bad indentation",
			status: 1, stderr: []string{"content/briefings/indent.md:2:8: invalid YAML: mapping value is not allowed in this context", "dossier: 1 error"},
			files: map[string]string{"content/briefings/indent.md": doc("title: A\n  date: 2023-01-01\n", "x\n")}},
		{name: "YAML: tab indentation",
			status: 1, stderr: []string{"content/briefings/tab.md:5:1: invalid YAML: found character '\t' that cannot start any token", "dossier: 1 error"},
			files: map[string]string{"content/briefings/tab.md": doc("title: A\ndate: 2023-01-01\nsources:\n\t- x\n", "x\n")}},
		{name: "YAML: duplicate key",
			status: 1, stderr: []string{"content/briefings/dup.md:3:1: invalid YAML: mapping key \"title\" already defined at line 2, column 1", "dossier: 1 error"},
			files: map[string]string{"content/briefings/dup.md": doc("title: A\ntitle: B\ndate: 2023-01-01\n", "x\n")}},
		{name: "YAML: a list, not fields",
			status: 1, stderr: []string{"content/briefings/list.md:2:1: invalid YAML: front matter must be fields written as key: value, not a list", "dossier: 1 error"},
			files: map[string]string{"content/briefings/list.md": doc("- title\n- date\n", "x\n")}},
		{name: "YAML: unknown tag",
			status: 1, stderr: []string{"content/briefings/tag.md:2:1: title must be text, not binary data", "dossier: 1 error"},
			files: map[string]string{"content/briefings/tag.md": doc("title: !!binary aGk=\ndate: 2023-01-01\n", "x\n")}},
		{name: "YAML: 100,000 nested flow lists",
			status: 1, stderr: []string{"content/briefings/deep.md:4:104: front matter nests lists and maps written with [ and { more than 100 levels deep", "dossier: 1 error"},
			files: map[string]string{"content/briefings/deep.md": doc(good+"x: "+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+"\n", "x\n")}},
		{name: "YAML: 300 KB of front matter",
			status: 1, stderr: []string{"content/briefings/big.md:2:1: front matter is 301 KB, more than the limit of 256 KB: move long text into the body below the closing ---", "dossier: 1 error"},
			files: map[string]string{"content/briefings/big.md": doc(good+"summary: "+strings.Repeat("a", 300<<10)+"\n", "x\n")}},
		{name: "YAML: anchors that expand a billion times", status: 0,
			files: map[string]string{"content/briefings/bomb.md": doc(good+aliasBomb(9), "x\n")}},
		{name: "TOML: unterminated string",
			status: 1, stderr: []string{"content/briefings/toml.md:2:11: invalid TOML: basic strings cannot have new lines", "dossier: 1 error"},
			files: map[string]string{"content/briefings/toml.md": "+++\ntitle = \"A\ndate = 2023-01-01\n+++\nx\n"}},
		{name: "TOML: impossible date",
			status: 1, stderr: []string{"content/briefings/tomldate.md:3:13: invalid TOML: impossible date", "dossier: 1 error"},
			files: map[string]string{"content/briefings/tomldate.md": "+++\ntitle = \"A\"\ndate = 2023-13-45\n+++\nx\n"}},
		{name: "front matter never closed (YAML)",
			status: 1, stderr: []string{"content/briefings/open.md:1:1: front matter opened with --- on line 1 is never closed", "dossier: 1 error"},
			files: map[string]string{"content/briefings/open.md": "---\ntitle: A\ndate: 2023-01-01\nbody\n"}},
		{name: "front matter never closed (TOML)",
			status: 1, stderr: []string{"content/briefings/open.md:1:1: front matter opened with +++ on line 1 is never closed", "dossier: 1 error"},
			files: map[string]string{"content/briefings/open.md": "+++\ntitle = \"A\"\n"}},

		// Missing and mistyped fields.
		{name: "missing title",
			status: 1, stderr: []string{"content/briefings/notitle.md:1:1: missing required field \"title\"", "dossier: 1 error"},
			files: map[string]string{"content/briefings/notitle.md": doc("date: 2023-01-01\n", "x\n")}},
		{name: "missing date",
			status: 1, stderr: []string{"content/briefings/nodate.md:1:1: missing required field \"date\"", "dossier: 1 error"},
			files: map[string]string{"content/briefings/nodate.md": doc("title: A\n", "x\n")}},
		{name: "missing entity name",
			status: 1, stderr: []string{"content/entities/noname.md:1:1: missing required field \"name\"", "dossier: 1 error"},
			files: map[string]string{"content/entities/noname.md": doc("type: person\n", "x\n")}},
		{name: "missing topic title",
			status: 1, stderr: []string{"content/topics/notitle.md:1:1: missing required field \"title\"", "dossier: 1 error"},
			files: map[string]string{"content/topics/notitle.md": doc("aliases: [x]\n", "x\n")}},
		{name: "no front matter at all",
			status: 1, stderr: []string{"content/briefings/plain.md:1:1: missing required field \"date\" (the file has no front matter: start it with a line ---)", "content/briefings/plain.md:1:1: missing required field \"title\" (the file has no front matter: start it with a line ---)", "dossier: 2 errors"},
			files: map[string]string{"content/briefings/plain.md": "# Just text\n"}},
		{name: "topics: 5",
			status: 1, stderr: []string{"content/briefings/topics.md:4:1: topics must be a list of strings, not a number", "dossier: 1 error"},
			files: map[string]string{"content/briefings/topics.md": doc(good+"topics: 5\n", "x\n")}},
		{name: "title: a list",
			status: 1, stderr: []string{"content/briefings/title.md:2:1: title must be text, not a list", "dossier: 1 error"},
			files: map[string]string{"content/briefings/title.md": doc("title: [a, b]\ndate: 2023-01-01\n", "x\n")}},
		{name: "draft: \"yes\"",
			status: 1, stderr: []string{"content/briefings/draft.md:4:1: draft must be true or false, not text", "dossier: 1 error"},
			files: map[string]string{"content/briefings/draft.md": doc(good+"draft: \"yes\"\n", "x\n")}},
		{name: "entity type not known",
			status: 1, stderr: []string{"content/entities/bad-type.md:3:1: type \"wizard\" is not one of person, organization, place, event, equipment, other", "dossier: 1 error"},
			files: map[string]string{"content/entities/bad-type.md": doc("name: X\ntype: wizard\n", "x\n")}},
		{name: "unparseable date",
			status: 1, stderr: []string{"content/briefings/date.md:3:1: date \"13/09/2023\" is not YYYY-MM-DD or RFC 3339", "dossier: 1 error"},
			files: map[string]string{"content/briefings/date.md": doc("title: A\ndate: 13/09/2023\n", "x\n")}},
		{name: "impossible date",
			status: 1, stderr: []string{"content/briefings/feb30.md:3:1: date \"2023-02-30\" is not YYYY-MM-DD or RFC 3339", "dossier: 1 error"},
			files: map[string]string{"content/briefings/feb30.md": doc("title: A\ndate: 2023-02-30\n", "x\n")}},

		// Slugs.
		{name: "duplicate briefing slugs, both files named",
			status: 1, stderr: []string{"content/briefings/s2.md:4:1: duplicate briefing slug \"same\": content/briefings/s1.md has it too; set a different slug in one of them", "dossier: 1 error"},
			files: map[string]string{
				"content/briefings/s1.md": doc(good+"slug: same\n", "x\n"),
				"content/briefings/s2.md": doc(good+"slug: same\n", "x\n")}},
		{name: "duplicate entity slugs",
			status: 1, stderr: []string{"content/entities/kim.md:3:1: duplicate entity slug \"kim-jong-un\": content/entities/kim-jong-un.md has it too; set a different slug in one of them", "dossier: 1 error"},
			files: map[string]string{"content/entities/kim.md": doc("name: Kim Jong Un Jr\nslug: kim-jong-un\n", "x\n")}},
		{name: "slug ../x",
			status: 1, stderr: []string{"content/briefings/escape.md:4:1: slug \"../x\" would leave its folder", "dossier: 1 error"},
			files: map[string]string{"content/briefings/escape.md": doc(good+"slug: ../x\n", "x\n")}},
		{name: "slug absolute",
			status: 1, stderr: []string{"content/briefings/abs.md:4:1: slug \"/etc/passwd\" would leave its folder", "dossier: 1 error"},
			files: map[string]string{"content/briefings/abs.md": doc(good+"slug: /etc/passwd\n", "x\n")}},
		{name: "slug with a backslash",
			status: 1, stderr: []string{"content/briefings/bs.md:4:1: slug \"..\\\\x\" would leave its folder", "dossier: 1 error"},
			files: map[string]string{"content/briefings/bs.md": doc(good+"slug: '..\\x'\n", "x\n")}},
		{name: "slug with NUL",
			status: 1, stderr: []string{"content/briefings/nul.md:4:1: slug \"a\\x00b\" would leave its folder", "dossier: 1 error"},
			files: map[string]string{"content/briefings/nul.md": doc(good+"slug: \"a\\0b\"\n", "x\n")}},
		{name: "slug with markup",
			files: map[string]string{"content/briefings/markup.md": doc(good+"slug: "+yq(xssImg)+"\n", "x\n")}},
		{name: "slug of 300 characters",
			status: 1, stderr: []string{"content/briefings/long.md:4:1: slug \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is 300 bytes long, more than the limit of 200", "dossier: 1 error"},
			files: map[string]string{"content/briefings/long.md": doc(good+"slug: "+strings.Repeat("a", 300)+"\n", "x\n")}},
		{name: "an entity named with 300 characters", status: 0,
			files: map[string]string{"content/briefings/long-name.md": doc(good+"entities: ["+strings.Repeat("Long ", 60)+"]\n", "x\n")},
			check: func(t *testing.T, out string) {
				if _, err := os.Stat(filepath.Join(out, "entities", strings.TrimSuffix(strings.Repeat("long-", 40), "-"), "index.html")); err != nil {
					t.Error(err)
				}
			}},
		{name: "page slug taken by the site",
			status: 1, stderr: []string{"content/pages/search.md:1:1: page slug \"search\" is taken by the site's own search/ pages; choose another slug", "dossier: 1 error"},
			files: map[string]string{"content/pages/search.md": doc("title: Search\n", "x\n")}},

		// Encodings and sizes.
		{name: "invalid UTF-8 in the body",
			status: 1, stderr: []string{"content/briefings/latin1.md:5:4: invalid UTF-8 (byte 0xe9): save the file as UTF-8", "dossier: 1 error"},
			files: map[string]string{"content/briefings/latin1.md": doc(good, "Caf\xe9 au lait\n")}},
		{name: "invalid UTF-8 in front matter",
			status: 1, stderr: []string{"content/briefings/latin1.md:2:11: invalid UTF-8 (byte 0xe9): save the file as UTF-8", "dossier: 1 error"},
			files: map[string]string{"content/briefings/latin1.md": doc("title: Caf\xe9\ndate: 2023-01-01\n", "x\n")}},
		{name: "UTF-8 BOM and CRLF line endings work", status: 0,
			files: map[string]string{"content/briefings/crlf.md": "\uFEFF---\r\ntitle: Windows\r\ndate: 2023-02-02\r\n---\r\nKim Jong Un\r\nwrote this.\r\n\r\n## Diplomacy\r\n\r\nYes.\r\n"},
			check: func(t *testing.T, out string) {
				page := readFile(t, out, "briefings/crlf/index.html")
				for _, want := range []string{">Windows</h1>", `href="../../entities/kim-jong-un/"`, `id="diplomacy"`} {
					if !strings.Contains(page, want) {
						t.Errorf("crlf page lacks %q", want)
					}
				}
			}},
		{name: "BOM and CRLF: errors still at the right line",
			status: 1, stderr: []string{"content/briefings/crlf.md:3:1: date \"yesterday\" is not YYYY-MM-DD or RFC 3339", "dossier: 1 error"},
			files: map[string]string{"content/briefings/crlf.md": "\uFEFF---\r\ntitle: Windows\r\ndate: yesterday\r\n---\r\nx\r\n"}},
		{name: "empty file",
			status: 1, stderr: []string{"content/briefings/empty.md:1:1: empty file: a briefing needs front matter with at least title and date", "dossier: 1 error"},
			files: map[string]string{"content/briefings/empty.md": ""}},
		{name: "only white space",
			status: 1, stderr: []string{"content/entities/blank.md:1:1: empty file: an entity needs front matter with at least name", "dossier: 1 error"},
			files: map[string]string{"content/entities/blank.md": " \n\t\n"}},
		{name: "NUL bytes in the body", status: 0,
			files: map[string]string{"content/briefings/nul.md": doc(good+"sources: [\"https://example.org/\"]\n", "a\x00b \x00 *\x00*\n")},
			check: func(t *testing.T, out string) {
				if page := readFile(t, out, "briefings/nul/index.html"); strings.Contains(page, "\x00") {
					t.Error("NUL in output")
				}
			}},
		{name: "a 10 MB briefing", status: 0, slow: true,
			setup: func(t *testing.T, site string) {
				var b strings.Builder
				b.WriteString(doc("title: Huge\ndate: 2023-03-03\nsources: [\"https://example.org/\"]\n", ""))
				// Sections of a few paragraphs of prose, as a long
				// report has them.
				for i := 0; b.Len() < 10<<20; i++ {
					fmt.Fprintf(&b, "## Part %d\n\n", i)
					for range 3 {
						for range 3 {
							fmt.Fprintf(&b, "Kim Jong Un met *officials* in the port on day %d, and the talks covered shipping, rail links, fuel,\n"+
								"food aid and the exchange of delegations; see [the report](https://example.org/%d) and [[Diplomacy]]. ", i, i)
						}
						b.WriteString("\n\n")
					}
					b.WriteString("- one\n- two\n\n> A quoted statement.\n\n")
				}
				writeFile(t, site, "content/briefings/huge.md", b.String())
			},
			check: func(t *testing.T, out string) {
				if info, err := os.Stat(filepath.Join(out, "briefings/huge/index.html")); err != nil || info.Size() < 10<<20 {
					t.Errorf("huge page: %v", err)
				}
			}},
		{name: "a 1 MB line", status: 0, slow: true,
			files: map[string]string{"content/briefings/line.md": doc("title: Line\ndate: 2023-03-04\nsources: [\"https://example.org/\"]\n",
				strings.Repeat("Kim Jong Un met Putin and *nobody* else; ", 1<<20/41)+"\n")},
			check: func(t *testing.T, out string) {
				if info, err := os.Stat(filepath.Join(out, "briefings/line/index.html")); err != nil || info.Size() < 1<<20 {
					t.Errorf("line page: %v", err)
				}
			}},
		{name: "lists nested 5,000 deep",
			status: 1, stderr: []string{"content/briefings/lists.md:7:201: lists, block quotes and footnotes are nested more than 100 levels deep here: flatten the structure", "dossier: 1 error"},
			files: map[string]string{"content/briefings/lists.md": doc(good, "Intro.\n\n"+strings.Repeat("- ", 5000)+"x\n")}},
		{name: "block quotes nested 100,000 deep",
			status: 1, stderr: []string{"content/briefings/quotes.md:5:101: lists, block quotes and footnotes are nested more than 100 levels deep here: flatten the structure", "dossier: 1 error"},
			files: map[string]string{"content/briefings/quotes.md": doc(good, strings.Repeat(">", 100_000)+" x\n")}},
		{name: "lists nested by indentation, 3,000 deep",
			status: 1, stderr: []string{"content/briefings/indent.md:105:201: lists, block quotes and footnotes are nested more than 100 levels deep here: flatten the structure", "dossier: 1 error"},
			setup: func(t *testing.T, site string) {
				var b strings.Builder
				b.WriteString(doc(good, ""))
				for i := range 3000 {
					b.WriteString(strings.Repeat("  ", i) + "- x\n")
				}
				writeFile(t, site, "content/briefings/indent.md", b.String())
			}},
		{name: "lists and quotes nested 60 deep work", status: 0,
			files: map[string]string{"content/briefings/ok-nest.md": doc(good, strings.Repeat("> - ", 30)+"x\n")}},
		{name: "80,000 emphasis markers in one paragraph",
			status: 1, stderr: []string{"content/briefings/emph.md:5:20003: this paragraph has 5001 emphasis markers (*, _ or ~) that open and never close, which makes it too slow to convert: close them, split the paragraph with blank lines, or write them as \\*, \\_ and \\~", "dossier: 1 error"},
			files: map[string]string{"content/briefings/emph.md": doc(good, strings.Repeat("*a_ ", 40_000)+"\n")}},
		{name: "10,000 equal headings", status: 0, slow: true,
			files: map[string]string{"content/briefings/heads.md": doc(good+"sources: [\"https://example.org/\"]\n", strings.Repeat("## Same\n\ntext\n\n", 10_000))},
			check: func(t *testing.T, out string) {
				if page := readFile(t, out, "briefings/heads/index.html"); !strings.Contains(page, `id="same-9999"`) {
					t.Error("ids not numbered")
				}
			}},

		// The file system.
		{name: "symbolic link loop between files",
			status: 1, stderr: []string{"content/briefings/a.md:1:1: cannot read file: too many levels of symbolic links", "content/briefings/b.md:1:1: cannot read file: too many levels of symbolic links", "dossier: 2 errors"},
			setup: func(t *testing.T, site string) {
				symlink(t, "b.md", filepath.Join(site, "content/briefings/a.md"))
				symlink(t, "a.md", filepath.Join(site, "content/briefings/b.md"))
			}},
		{name: "symbolic link loop of folders",
			status: 0, stderr: []string{"content/briefings/loop/2023-01-01-good.md:1:1: warning: too deep and content/briefings/loop/ has no index.md, so it is not a bundle: ignored (a briefing is content/briefings/NAME.md or content/briefings/NAME/index.md)", "content/briefings/loop/loop:1:1: warning: link to a folder is not followed: ignored", "content/entities/up/briefings/2023-01-01-good.md:1:1: warning: too deep and content/entities/up/ has no index.md, so it is not a bundle: ignored (an entity is content/entities/NAME.md or content/entities/NAME/index.md)", "content/entities/up/briefings/loop:1:1: warning: link to a folder is not followed: ignored", "content/entities/up/entities/kim-jong-un.md:1:1: warning: too deep and content/entities/up/ has no index.md, so it is not a bundle: ignored (an entity is content/entities/NAME.md or content/entities/NAME/index.md)", "content/entities/up/entities/up:1:1: warning: link to a folder is not followed: ignored", "content/entities/up/topics/diplomacy.md:1:1: warning: too deep and content/entities/up/ has no index.md, so it is not a bundle: ignored (an entity is content/entities/NAME.md or content/entities/NAME/index.md)"},
			setup: func(t *testing.T, site string) {
				symlink(t, ".", filepath.Join(site, "content/briefings/loop"))
				symlink(t, "..", filepath.Join(site, "content/entities/up"))
			}},
		{name: "unreadable file",
			status: 1, stderr: []string{"content/briefings/locked.md:1:1: cannot read file: permission denied", "dossier: 1 error"}, asNobody: true,
			setup: func(t *testing.T, site string) {
				writeFile(t, site, "content/briefings/locked.md", doc(good, "secret\n"))
				if err := os.Chmod(filepath.Join(site, "content/briefings/locked.md"), 0); err != nil {
					t.Fatal(err)
				}
			}},

		// Configuration.
		{name: "unknown config key",
			status: 1, stderr: []string{"dossier.toml:2:1: unknown key \"linkng\" (did you mean \"linking\"?)", "dossier: 1 error"},
			files: map[string]string{"dossier.toml": "title = \"x\"\nlinkng = 1\n"}},
		{name: "mistyped config values",
			status: 1, stderr: []string{"dossier.toml:1:1: title must be a string, not an integer", "dossier.toml:3:1: linking.mentions \"some\" is not one of \"first\", \"all\", \"none\"", "dossier.toml:5:1: markdown.unsafe must be a boolean (true or false), not a string", "dossier: 3 errors"},
			files: map[string]string{"dossier.toml": "title = 5\n[linking]\nmentions = \"some\"\n[markdown]\nunsafe = \"yes\"\n"}},
		{name: "config key at the wrong level",
			status: 1, stderr: []string{"dossier.toml:1:1: unknown key \"mentions\" (did you mean \"linking.mentions\"?)", "dossier: 1 error"},
			files: map[string]string{"dossier.toml": "mentions = \"all\"\n"}},

		// Links.
		{name: "unresolved wikilink",
			status: 1, stderr: []string{"content/briefings/wiki.md:6:5: unresolved wikilink [[Nobody Here]]: no entity, topic, briefing or page is called \"Nobody Here\"", "dossier: 1 error"},
			files: map[string]string{"content/briefings/wiki.md": doc(good, "Some text.\nSee [[Nobody Here]] now.\n")}},
		{name: "wikilinks to and in files that have errors of their own",
			status: 1, stderr: []string{
				"content/briefings/2023-09-13-vostochny-xyz.md:3:1: invalid YAML: ',' or ']' must be specified",
				"content/briefings/links.md:5:5: unresolved wikilink [[vostochny-xyz]]: content/briefings/2023-09-13-vostochny-xyz.md, which it names, has errors of its own",
				"content/briefings/links.md:6:5: unresolved wikilink [[The Treaty]]: content/briefings/treaty.md, which it names, has errors of its own",
				"content/briefings/treaty.md:3:1: date \"2024-13-01\" is not YYYY-MM-DD or RFC 3339",
				// The body of a file left out is still checked.
				"content/briefings/treaty.md:6:5: unresolved wikilink [[Nobody Here]]: no entity, topic, briefing or page is called \"Nobody Here\"",
				"dossier: 5 errors"},
			files: map[string]string{
				"content/briefings/2023-09-13-vostochny-xyz.md": doc("title: [Kim\ndate: 2023-09-13\n", "x\n"),
				"content/briefings/treaty.md":                   doc("title: The Treaty\ndate: 2024-13-01\n", "x\nSee [[Nobody Here]].\n"),
				"content/briefings/links.md":                    doc(good, "See [[vostochny-xyz]] and\nsee [[The Treaty]].\n")}},
		{name: "20,000 unresolved wikilinks on one line", status: 1,
			files: map[string]string{"content/briefings/many.md": doc(good, "Intro.\n\n"+strings.Repeat("é [[Nobody]] ", 20_000)+"\n")},
			stderrCheck: func(t *testing.T, stderr string) {
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				first := "content/briefings/many.md:7:3: unresolved wikilink [[Nobody]]: no entity, topic, briefing or page is called \"Nobody\""
				last := "content/briefings/many.md:7:259990: unresolved wikilink [[Nobody]]: no entity, topic, briefing or page is called \"Nobody\""
				if len(lines) != 20_001 || lines[0] != first || lines[19_999] != last || lines[20_000] != "dossier: 20000 errors" {
					t.Errorf("%d lines, first %q, last %q", len(lines), lines[0], lines[len(lines)-2:])
				}
			}},
		{name: "ambiguous wikilink",
			status: 1, stderr: []string{"content/briefings/amb.md:5:6: unresolved wikilink [[The Kims]]: \"The Kims\" is ambiguous: entity \"Kim Il Sung\", entity \"Kim Yo Jong\"; write the slug, e.g. [[entities/kim-il-sung]]", "dossier: 1 error"},
			files: map[string]string{
				"content/entities/kim-yo-jong.md": doc("name: Kim Yo Jong\naliases: [The Kims]\n", "x\n"),
				"content/entities/kim-il-sung.md": doc("name: Kim Il Sung\naliases: [The Kims]\n", "x\n"),
				"content/briefings/amb.md":        doc(good, "Both [[The Kims]].\n")}},
		{name: "ambiguous topic in a heading attribute",
			status: 1, stderr: []string{"content/briefings/at.md:5:1: topics attribute: \"Shared\" names 2 different things; write its slug instead", "dossier: 1 error"},
			files: map[string]string{
				"content/topics/a.md":     doc("title: Alpha\naliases: [Shared]\n", "x\n"),
				"content/topics/b.md":     doc("title: Beta\naliases: [Shared]\n", "x\n"),
				"content/briefings/at.md": doc(good, "## Part {topics=\"Shared\"}\n\nx\n")}},
		{name: "javascript: source URL",
			status: 1, stderr: []string{"content/briefings/js.md:5:16: source URL \"javascript:alert(1)\" uses a scheme that is not allowed (http, https, mailto)", "dossier: 1 error"},
			files: map[string]string{"content/briefings/js.md": doc(good+"sources:\n  - {title: X, url: \"javascript:alert(1)\"}\n", "x\n")}},
		{name: "JaVaScRiPt: source URL, as a plain string",
			status: 1, stderr: []string{"content/briefings/js.md:4:1: source URL \"JaVaScRiPt:alert(1)\" uses a scheme that is not allowed (http, https, mailto)", "dossier: 1 error"},
			files: map[string]string{"content/briefings/js.md": doc(good+"sources: [\"JaVaScRiPt:alert(1)\"]\n", "x\n")}},
		{name: "data: and vbscript: source URLs",
			status: 1, stderr: []string{"content/briefings/data.md:5:6: source URL \"data:text/html,<script>alert(1)</script>\" uses a scheme that is not allowed (http, https, mailto)", "content/briefings/data.md:6:6: source URL \"vbscript:msgbox(1)\" uses a scheme that is not allowed (http, https, mailto)", "dossier: 2 errors"},
			files: map[string]string{"content/briefings/data.md": doc(good+"sources:\n  - {url: \"data:text/html,<script>alert(1)</script>\"}\n  - {url: \"vbscript:msgbox(1)\"}\n", "x\n")}},
		{name: "source with an unknown key",
			status: 1, stderr: []string{"content/briefings/src.md:5:16: source 1 has unknown key \"link\" (a source has title and url)", "dossier: 1 error"},
			files: map[string]string{"content/briefings/src.md": doc(good+"sources:\n  - {title: X, link: \"https://example.org\"}\n", "x\n")}},

		// Escaping.
		{name: "raw HTML in a body is escaped", status: 0,
			files: map[string]string{"content/briefings/raw.md": doc(good+"sources: [\"https://example.org/\"]\n",
				"Text <b>bold</b> "+xssScript+"\n\n<div onclick=\"alert(9)\">\n"+xssImg+"\n</div>\n\n<iframe src=\"https://evil.example/\"></iframe>\n")},
			check: func(t *testing.T, out string) {
				page := readFile(t, out, "briefings/raw/index.html")
				for _, want := range []string{"&lt;b&gt;bold&lt;/b&gt;", "&lt;div onclick=", "&lt;iframe src="} {
					if !strings.Contains(page, want) {
						t.Errorf("raw HTML not shown escaped: no %q", want)
					}
				}
				if strings.Contains(page, "<iframe") || strings.Contains(page, "<div onclick") {
					t.Error("raw HTML let through")
				}
			}},
		{name: "markup in every field, name and alias is escaped everywhere", status: 0,
			files: map[string]string{
				"dossier.toml":                        "title = " + yq("Site "+xssAll) + "\nclassification = " + yq("Class "+xssAll) + "\nlanguage = " + yq("en"+xssImg) + "\n",
				"content/briefings/2023-05-05-xss.md": doc(xssFront, xssBody),
				"content/entities/ent.md":             doc("name: "+yq("Ent "+xssAll)+"\ntype: person\naliases: ["+yq("Alias "+xssAll)+"]\nsummary: "+yq("ES "+xssAll)+"\n", "Profile "+xssAll+"\n"),
				"content/topics/topic.md":             doc("title: "+yq("Topic "+xssAll)+"\naliases: ["+yq("TAlias "+xssAll)+"]\nsummary: "+yq("TS "+xssAll)+"\n", "About "+xssAll+"\n"),
				"content/pages/about.md":              doc("title: "+yq("Page "+xssAll)+"\nsummary: "+yq("PS "+xssAll)+"\n", "Page body "+xssAll+"\n"),
			},
			check: checkShown},
	}
}

// checkShown asserts that the payloads of the markup case were not dropped
// but shown, as text, on the briefing's page and in the feed.
func checkShown(t *testing.T, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(readFile(t, out, "briefings/xss/index.html")))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, field := range []string{"T ", "S ", "L ", "A ", "Src ", "C ", "Topic ", "Ent ", "Listed "} {
		want := field + xssAll
		if field == "S " || field == "L " {
			// The summary and the dateline get the body's typography
			// (curly quotes): the markup must still be shown as text.
			want = markdown.Smarten(want)
		}
		if !strings.Contains(strings.ToLower(text.String()), strings.ToLower(want)) {
			t.Errorf("briefing page does not show %q", want)
		}
	}
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(readFile(t, out, "feed.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range feed.Entries {
		found = found || e.Title == "T "+xssAll
	}
	if !found {
		t.Errorf("feed lacks the title %q", "T "+xssAll)
	}
}

// aliasBomb returns YAML whose anchors would expand to 10^n items.
func aliasBomb(n int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestHostileInput(t *testing.T) {
	if os.Getenv("DOSSIER_HOSTILE_CHILD") != "" {
		t.Skip("helper process")
	}
	cases := hostileCases()
	if len(cases) < 30 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	// The good site, built once; every case starts from a copy of it.
	base := t.TempDir()
	for name, data := range baseSite {
		writeFile(t, base, name, data)
	}
	if status, _, stderr := dossier(t, false, "build", "-s", base); status != 0 {
		t.Fatalf("base site: exit %d: %s", status, stderr)
	}
	age(t, filepath.Join(base, "public"))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("slow")
			}
			site := t.TempDir()
			nobody := tc.asNobody && os.Geteuid() == 0
			if nobody {
				site = sharedTempDir(t)
			}
			copyTree(t, base, site)
			out := filepath.Join(site, "public")
			before := outputtest.Snapshot(t, out)

			for name, data := range tc.files {
				writeFile(t, site, name, data)
			}
			if tc.setup != nil {
				tc.setup(t, site)
			}
			if nobody {
				chownTree(t, site, 65534)
			}
			start := time.Now()
			status, _, stderr := dossier(t, nobody, "build", "-s", site)
			t.Logf("build took %v", time.Since(start).Round(time.Millisecond))
			if tc.stderrCheck != nil {
				tc.stderrCheck(t, stderr)
			} else if got := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); stderr == "" && len(tc.stderr) == 0 || strings.Join(got, "\n") == strings.Join(tc.stderr, "\n") {
				// as expected
			} else if os.Getenv("DOSSIER_HOSTILE_PRINT") != "" {
				fmt.Printf("CASE %q\n\tstatus: %d, stderr: []string{%s},\n", tc.name, status, quoteLines(got))
			} else {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(tc.stderr, "\n"))
			}
			if status != tc.status {
				t.Errorf("exit status %d, want %d", status, tc.status)
			}
			if tc.status != 0 {
				outputtest.Same(t, outputtest.Snapshot(t, out), before)
			} else {
				checkEscaped(t, out)
				if tc.check != nil {
					tc.check(t, out)
				}
			}
			noLeftovers(t, site)
		})
	}
}

func quoteLines(lines []string) string {
	var q []string
	for _, l := range lines {
		q = append(q, strconv.Quote(l))
	}
	return strings.Join(q, ", ")
}

// dossier runs the command line and returns its exit status and output.
// With asNobody it runs in a child process as user nobody (see
// TestHostileChild).
func dossier(t *testing.T, asNobody bool, args ...string) (int, string, string) {
	t.Helper()
	if !asNobody {
		var stdout, stderr bytes.Buffer
		status := cli.Main(args, &stdout, &stderr)
		return status, stdout.String(), stderr.String()
	}
	bin := filepath.Join(sharedTempDir(t), "dossier.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	argv, _ := json.Marshal(args)
	cmd := exec.Command(bin, "-test.run=^TestHostileChild$")
	cmd.Env = append(os.Environ(), "DOSSIER_HOSTILE_CHILD="+string(argv), "HOME=/nonexistent")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	if err != nil {
		// No way to drop privileges here. Outside CI the case is skipped;
		// in CI it must not pass silently.
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot run the build as an unprivileged user: %v", err)
		}
		t.Skipf("running as root and cannot run the build as an unprivileged user (%v): root reads any file, so an unreadable file cannot be made", err)
	}
	return 0, stdout.String(), stderr.String()
}

// TestHostileChild runs the command line given in DOSSIER_HOSTILE_CHILD
// and exits with its status. It is the child process of dossier().
func TestHostileChild(t *testing.T) {
	argv := os.Getenv("DOSSIER_HOSTILE_CHILD")
	if argv == "" {
		t.Skip("helper process of TestHostileInput")
	}
	var args []string
	if err := json.Unmarshal([]byte(argv), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(cli.Main(args, os.Stdout, os.Stderr))
}

// sharedTempDir returns a temporary folder that other users can enter, for
// a build run as nobody (t.TempDir's parents are private to root).
func sharedTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "dossier-hostile-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type()&fs.ModeSymlink == 0 {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	return dir
}

// chownTree gives every file under dir to uid, keeping permissions.
func chownTree(t *testing.T, dir string, uid int) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, uid, uid); err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

// checkEscaped scans every file of a built site for a payload with its
// markup intact, whatever the file's kind (pages, feed, sitemap, search
// index, graph), and parses every page for handlers and scripts that
// content put there.
func checkEscaped(t *testing.T, out string) {
	t.Helper()
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		// HTML does not care about case: the banner upper-cases its text.
		lower := bytes.ToLower(raw)
		for _, bad := range rawPayloads {
			if i := bytes.Index(lower, []byte(bad)); i >= 0 {
				t.Errorf("%s: unescaped payload %q at byte %d: …%s…", rel, bad, i, raw[max(i-60, 0):min(i+60, len(raw))])
			}
		}
		switch filepath.Ext(p) {
		case ".html":
			if len(raw) < 2<<20 { // the 10 MB briefing's page has no markup from content
				checkPage(t, rel, raw)
			}
		case ".js":
			// Scripts show content only as text: a sink that parses HTML
			// would turn an escaped payload in the search index back
			// into markup in the reader's browser.
			for _, sink := range []string{".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
				if bytes.Contains(raw, []byte(sink)) {
					t.Errorf("%s: uses %s", rel, sink)
				}
			}
		case ".xml":
			if err := xml.NewDecoder(bytes.NewReader(raw)).Decode(new(any)); err != nil {
				t.Errorf("%s: not well-formed XML: %v", rel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkPage asserts that no element of a page carries an event handler or
// a javascript:, vbscript: or data: link, and that no script holds content.
func checkPage(t *testing.T, rel string, raw []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Errorf("%s: %v", rel, err)
		return
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("%s: <%s %s=%q>", rel, n.Data, a.Key, a.Val)
				case (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") &&
					(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")):
					t.Errorf("%s: <%s %s=%q>", rel, n.Data, a.Key, a.Val)
				case a.Key == "style" && strings.Contains(v, "evil"):
					t.Errorf("%s: <%s style=%q>", rel, n.Data, a.Val)
				}
			}
			if n.Data == "script" && n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "alert(") {
				t.Errorf("%s: script from content: %q", rel, n.FirstChild.Data)
			}
			if n.Data == "iframe" || n.Data == "object" || n.Data == "embed" {
				t.Errorf("%s: <%s> in a page", rel, n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// copyTree copies the files of from into to, with their modification
// times.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(dst, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// age sets every file under dir to an old time, so that a rewrite cannot
// hide within the clock's resolution.
func age(t *testing.T, dir string) {
	t.Helper()
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return err
	})
}

// noLeftovers asserts that no staging folder is left in dir.
func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dossier-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
