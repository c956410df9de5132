package build

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dossier-dev/dossier/internal/corpus"
)

// TestRefreshEqualsFullBuild edits briefings of a generated corpus at
// random — mentions added and removed, headings renamed to topics,
// summaries changed, front-matter fields that name nothing (location,
// summary, sources) changed — which a rebuild handles by refreshing the
// last site in place (site.Refresh) and keeping the digests of pages it
// reasons cannot have changed (keepers). After every edit the site must
// equal a full build, byte for byte.
func TestRefreshEqualsFullBuild(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Briefings: 120, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	names := frontValues(t, filepath.Join(dir, "content/entities"), "name")
	topics := frontValues(t, filepath.Join(dir, "content/topics"), "title")
	entries, err := os.ReadDir(filepath.Join(dir, "content/briefings"))
	if err != nil {
		t.Fatal(err)
	}
	opts := SessionOptions{Live: true}
	sess := NewSession(os.DirFS(dir), opts)
	ctx := context.Background()
	if _, err := sess.Rebuild(ctx, Changes{All: true}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	refreshed := 0
	const steps = 24
	for step := range steps {
		rel := "content/briefings/" + entries[rng.IntN(len(entries))].Name()
		front, body := splitFront(t, readFile(t, dir, rel))
		lines := strings.Split(body, "\n")
		var what string
		switch step % 6 {
		case 0: // mention an entity in a paragraph
			i := paragraphLine(lines, rng)
			name := names[rng.IntN(len(names))]
			lines[i] += " " + name + " was also present."
			what = "mention " + name
		case 1: // drop a paragraph's line, and the mentions in it
			i := paragraphLine(lines, rng)
			lines = slices.Delete(lines, i, i+1)
			what = "drop a line"
		case 2: // rename a heading to a topic's title
			var heads []int
			for i, l := range lines {
				if strings.HasPrefix(l, "## ") {
					heads = append(heads, i)
				}
			}
			title := topics[rng.IntN(len(topics))]
			if len(heads) == 0 {
				lines = append(lines, "", "## "+title, "", "New section.")
			} else {
				lines[heads[rng.IntN(len(heads))]] = "## " + title
			}
			what = "heading " + title
		case 3: // change the first paragraph, the summary unless one is written
			for i, l := range lines {
				if strings.TrimSpace(l) != "" {
					lines[i] = "Update: " + l
					break
				}
			}
			what = "summary"
		case 4: // a front-matter field that names nothing: the location
			front = setField(front, "location", "Near the border")
			what = "location"
		case 5: // a written summary and another source, which change the card
			front = setField(front, "summary", "Revised in this step.")
			front = strings.Replace(front, "sources:\n", "sources:\n  - title: \"Step source\"\n    url: \"https://example.org/step\"\n", 1)
			what = "front-matter summary and source"
		}
		writeFile(t, dir, rel, front+strings.Join(lines, "\n"))
		upd, err := sess.Rebuild(ctx, Changes{Paths: []string{rel}})
		want, wantErr := fullBuild(t, dir, opts)
		if errorText(err) != errorText(wantErr) {
			t.Fatalf("step %d (%s in %s): rebuild error %v, full build error %v", step+1, what, rel, err, wantErr)
		}
		if err != nil {
			continue
		}
		sameSite(t, what+" in "+rel, upd.Files, want)
		if upd.Refreshed {
			refreshed++
		}
		t.Logf("step %d, %s in %s: %d pages rendered, refreshed %v", step+1, what, rel, len(upd.Rendered), upd.Refreshed)
	}
	if refreshed < steps/2 {
		t.Errorf("%d of %d edits refreshed the site in place; body edits should", refreshed, steps)
	}
}

// setField gives the one-line text field key of front matter the value v,
// adding the field after the opening fence if it is missing.
func setField(front, key, v string) string {
	line := key + ": " + strconv.Quote(v)
	re := regexp.MustCompile(`(?m)^` + key + `: .*$`)
	if re.MatchString(front) {
		return re.ReplaceAllLiteralString(front, line)
	}
	return strings.Replace(front, "---\n", "---\n"+line+"\n", 1)
}

// frontValues lists the value of one front-matter key in every file of dir.
func frontValues(t *testing.T, dir, key string) []string {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + key + `: "?([^"\n]+)"?$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if m := re.FindStringSubmatch(readFile(t, dir, e.Name())); m != nil {
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s in %s", key, dir)
	}
	return out
}

// splitFront splits a file into its front matter (with both fences) and
// its body.
func splitFront(t *testing.T, text string) (string, string) {
	t.Helper()
	i := strings.Index(text[4:], "\n---\n")
	if !strings.HasPrefix(text, "---\n") || i < 0 {
		t.Fatalf("no front matter in %.40q", text)
	}
	return text[:4+i+5], text[4+i+5:]
}

// paragraphLine picks a line of running text.
func paragraphLine(lines []string, rng *rand.Rand) int {
	var text []int
	for i, l := range lines {
		if len(l) > 30 && strings.IndexAny(l[:1], "#|-` >*0123456789") < 0 {
			text = append(text, i)
		}
	}
	if len(text) == 0 {
		return 0
	}
	return text[rng.IntN(len(text))]
}
