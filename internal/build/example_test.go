package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The repository is itself a site: these tests build the worked example in
// content/ and hold it to the guarantees of SPEC §5 and §7.

func TestExampleSite(t *testing.T) {
	out := buildSite(t, "../..", Options{})
	checkLinks(t, out, false)
	checkSelfContained(t, out)

	t.Run("Military Cooperation gathers sections by heading text and attribute", func(t *testing.T) {
		text := textOf(mainOf(parse(t, out, "topics/military-cooperation/index.html")))
		for _, want := range []string{"Gifts in Vladivostok"} {
			if !strings.Contains(text, want) {
				t.Errorf("topic page lacks the section %q", want)
			}
		}
	})
	t.Run("Kim’s counts as a mention of Kim Jong Un", func(t *testing.T) {
		text := textOf(mainOf(parse(t, out, "entities/kim-jong-un/index.html")))
		if !strings.Contains(text, "Kim’s") {
			t.Error("no sentence with Kim’s on Kim Jong Un's page")
		}
	})
	t.Run("Alexander Kozlov's page lists the briefings that mention him", func(t *testing.T) {
		text := textOf(mainOf(parse(t, out, "entities/alexander-kozlov/index.html")))
		for _, b := range []string{"Kim Jong Un", "Pyongyang"} {
			if !strings.Contains(text, b) {
				t.Errorf("Kozlov's page lacks %q", b)
			}
		}
	})
}

func TestExampleSiteOffline(t *testing.T) {
	out := buildSite(t, "../..", Options{Offline: true})
	checkLinks(t, out, true)
}

func TestExampleSiteDeterministic(t *testing.T) {
	a := buildSite(t, "../..", Options{})
	b := buildSite(t, "../..", Options{})
	compareTrees(t, a, b)
}

// TestExampleSiteSubPath builds with a base URL under a sub-path: links stay
// relative (checked by checkLinks), and absolute URLs appear only in the
// feed, the sitemap and canonical links.
func TestExampleSiteSubPath(t *testing.T) {
	base := "https://example.org/watch/"
	out := buildSite(t, "../..", Options{BaseURL: &base})
	checkLinks(t, out, false)
	feed, err := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(feed), base+"briefings/") {
		t.Error("feed links are not absolute under the base URL")
	}
}
