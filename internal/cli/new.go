package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dossier-dev/dossier/internal/site"
	"github.com/dossier-dev/dossier/internal/source"
)

func newNew(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Start a site, or a briefing, entity or topic in one",
		Long: "New writes the skeleton of a site or of one document, ready to fill in. It never\n" +
			"overwrites a file.\n\n" +
			"  dossier new site DIR         a working site: dossier.toml, a briefing, an entity, a topic\n" +
			"  dossier new briefing TITLE   content/briefings/YYYY-MM-DD-<slug>.md, dated today\n" +
			"  dossier new entity NAME      content/entities/<slug>.md\n" +
			"  dossier new topic TITLE      content/topics/<slug>.md",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("new: say what to create: site DIR, briefing TITLE, entity NAME or topic TITLE")
		},
	}
	cmd.AddCommand(newSite(stdout), newDocument(stdout, "briefing", "TITLE"), newDocument(stdout, "entity", "NAME"), newDocument(stdout, "topic", "TITLE"))
	return cmd
}

func newSite(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "site DIR",
		Short: "Create a working site in a new or empty folder",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("new site: give one folder, as in: dossier new site briefings (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			files := starterSite(time.Now())
			if err := createSite(dir, files); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created a site in %s:\n", dir)
			for _, f := range files {
				fmt.Fprintf(stdout, "  %s\n", f.name)
			}
			fmt.Fprintf(stdout, "build it with: dossier build -s %s\n", shellQuote(dir))
			return nil
		}),
	}
}

// createSite writes files into dir, which must be new or empty.
func createSite(dir string, files []newFile) error {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return fmt.Errorf("refusing to create a site in %s: the folder is not empty; choose a new or empty folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		if info, serr := os.Stat(dir); serr == nil && !info.IsDir() {
			return fmt.Errorf("refusing to create a site in %s: it is a file, not a folder", dir)
		}
		return fmt.Errorf("create site in %s: %w", dir, err)
	}
	for _, f := range files {
		if err := createFile(filepath.Join(dir, filepath.FromSlash(f.name)), f.data); err != nil {
			return err
		}
	}
	return nil
}

// newFile is one file that new writes.
type newFile struct {
	name string // slash path relative to the site
	data string
}

func newDocument(stdout io.Writer, kind, arg string) *cobra.Command {
	var src, entityType string
	cmd := &cobra.Command{
		Use:   kind + " " + arg,
		Short: "Create a " + kind + " in content/" + kindFolder(kind) + "/, ready to fill in",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("new %s: give the %s's %s, as in: dossier new %s %q", kind, kind, strings.ToLower(arg), kind, example[kind])
			}
			return nil
		},
		// The title decides the file name: one that cannot is wrong usage.
		PreRunE: func(cmd *cobra.Command, args []string) error {
			title := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
			if title == "" {
				return fmt.Errorf("new %s: the %s must not be empty", kind, strings.ToLower(arg))
			}
			if source.Slugify(title) == "" {
				return fmt.Errorf("new %s: cannot make a file name from %q: use letters or digits", kind, title)
			}
			if kind == "entity" && !slices.Contains(site.EntityTypes, entityType) {
				return fmt.Errorf("new entity: --type %q: want one of %s", entityType, strings.Join(site.EntityTypes, ", "))
			}
			return nil
		},
		RunE: run(func(cmd *cobra.Command, args []string) error {
			title := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
			if err := isSite(src); err != nil {
				return err
			}
			f, err := document(src, kind, title, entityType, time.Now())
			if err != nil {
				return err
			}
			if err := createFile(filepath.Join(src, filepath.FromSlash(f.name)), f.data); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created %s\n", filepath.ToSlash(filepath.Join(src, filepath.FromSlash(f.name))))
			return nil
		}),
	}
	cmd.Flags().StringVarP(&src, "source", "s", ".", "site folder (holds dossier.toml and content/)")
	if kind == "entity" {
		cmd.Flags().StringVar(&entityType, "type", "other", "entity type: "+strings.Join(site.EntityTypes, ", "))
	}
	return cmd
}

// example is a title or name to show in a usage message.
var example = map[string]string{"briefing": "Kim in Russia", "entity": "Kim Jong Un", "topic": "Military Cooperation"}

func kindFolder(kind string) string {
	return map[string]string{"briefing": "briefings", "entity": "entities", "topic": "topics"}[kind]
}

// isSite checks that dir looks like a site, so that a document is not
// written into a stray content/ folder somewhere else.
func isSite(dir string) error {
	for _, name := range []string{"dossier.toml", "content"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return nil
		}
	}
	return fmt.Errorf("no site in %s: it has neither dossier.toml nor content/; run dossier new site DIR first, or pass the site folder with -s", dir)
}

// datePrefix is the date a briefing's file name may start with.
var datePrefix = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`)

// document returns the file for a new briefing, entity or topic in the site
// at src. It refuses a slug that a document of the same kind already has
// in its file name, which the build would reject as a duplicate.
func document(src, kind, title, entityType string, today time.Time) (newFile, error) {
	slug := source.Slugify(title)
	dir := "content/" + kindFolder(kind)
	entries, err := os.ReadDir(filepath.Join(src, filepath.FromSlash(dir)))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return newFile{}, fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".md")
		if kind == "briefing" {
			name = datePrefix.ReplaceAllString(name, "")
		}
		if name == slug && (e.IsDir() || strings.HasSuffix(e.Name(), ".md")) {
			noun := "title"
			if kind == "entity" {
				noun = "name"
			}
			article := "a"
			if kind == "entity" {
				article = "an"
			}
			return newFile{}, fmt.Errorf("refusing to create %s %s called %q: %s/%s already has the slug %q; choose another %s or edit that file",
				article, kind, title, dir, e.Name(), slug, noun)
		}
	}
	date := today.Format(time.DateOnly)
	switch kind {
	case "briefing":
		return newFile{dir + "/" + date + "-" + slug + ".md", briefingFile(title, date)}, nil
	case "entity":
		return newFile{dir + "/" + slug + ".md", entityFile(title, entityType)}, nil
	default:
		return newFile{dir + "/" + slug + ".md", topicFile(title)}, nil
	}
}

// yamlString quotes s as a YAML double-quoted scalar. Go's quoting uses
// only escapes that YAML also knows (\", \\, \n, \t, \xXX, \uXXXX, …), so
// whatever the title, the file reads back as exactly that title.
func yamlString(s string) string { return strconv.Quote(s) }

func briefingFile(title, date string) string {
	return "---\n" +
		"title: " + yamlString(title) + "\n" +
		"date: " + date + "\n" +
		"summary: \"\"           # the bottom line up front; empty: the first paragraph\n" +
		"topics: []             # topic titles, aliases or slugs\n" +
		"entities: []           # entities to list even where the text does not name them\n" +
		"classification: \"\"    # empty: the site's default banner\n" +
		"location: \"\"\n" +
		"authors: []\n" +
		"sources: []            # - {title: \"Name of the source\", url: \"https://example.org/\"}\n" +
		"draft: true            # left out of the site until you remove this line or build --drafts\n" +
		"---\n" +
		"The bottom line up front, in one paragraph.\n\n" +
		"## Background\n\n" +
		"## Assessment\n"
}

func entityFile(name, typ string) string {
	return "---\n" +
		"name: " + yamlString(name) + "\n" +
		"type: " + typ + "          # person, organization, place, event, equipment or other\n" +
		"aliases: []            # other names the text may use\n" +
		"summary: \"\"\n" +
		"---\n" +
		"Who or what this is, in a few sentences.\n"
}

func topicFile(title string) string {
	return "---\n" +
		"title: " + yamlString(title) + "\n" +
		"aliases: []            # other titles a ## heading may use\n" +
		"summary: \"\"\n" +
		"---\n" +
		"What this topic covers. Every briefing section whose ## heading names it, or one of its\n" +
		"aliases, is gathered on its page, newest first.\n"
}

// starterSite is the site that new site writes: it builds at once and
// passes dossier check without a warning.
func starterSite(today time.Time) []newFile {
	date := today.Format(time.DateOnly)
	return []newFile{
		{".gitignore", "/public/\n"},
		{"dossier.toml", "# Site settings (see the README for every key).\n" +
			"title = \"Briefings\"\n" +
			"language = \"en\"\n" +
			"# baseURL = \"https://example.org/briefings/\"   # only for the feed and sitemap\n" +
			"# classification = \"UNCLASSIFIED\"              # banner on every briefing\n" +
			"\n[linking]\n" +
			"mentions = \"first\"   # first, all or none\n"},
		{"content/briefings/" + date + "-first-briefing.md", "---\n" +
			"title: \"First Briefing\"\n" +
			"date: " + date + "\n" +
			"summary: \"What a briefing looks like: front matter on top, Markdown below.\"\n" +
			"topics: [Shipping]\n" +
			"location: \"Rotterdam\"\n" +
			"authors: [\"Your Name\"]\n" +
			"sources:\n" +
			"  - title: \"Dossier documentation\"\n" +
			"    url: \"https://example.org/dossier/\"\n" +
			"---\n" +
			"The Harbor Authority announced longer opening hours. The first mention of an entity\n" +
			"links to its page, which lists every briefing that mentions it.\n\n" +
			"## Shipping Outlook\n\n" +
			"A section whose heading names a topic is gathered on that topic's page, newest first.\n" +
			"Link anything by name with a wikilink: [[Shipping]].\n"},
		{"content/entities/harbor-authority.md", "---\n" +
			"name: \"Harbor Authority\"\n" +
			"type: organization\n" +
			"aliases: [\"the Authority\"]\n" +
			"summary: \"An example entity: a person, organization, place, event or piece of equipment.\"\n" +
			"---\n" +
			"Edit this profile or delete it. Its name and aliases are linked wherever a briefing uses them.\n"},
		{"content/topics/shipping.md", "---\n" +
			"title: \"Shipping\"\n" +
			"aliases: [\"Maritime Trade\"]\n" +
			"summary: \"An example topic.\"\n" +
			"---\n" +
			"A topic gathers the sections of every briefing whose heading names it.\n"},
	}
}

// createFile writes a new file and its folders. It never replaces a file:
// the name is claimed with O_EXCL, so even a file created a moment earlier
// by something else is safe.
func createFile(p, data string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(p), err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("refusing to write %s: it already exists, and dossier new never overwrites a file", filepath.ToSlash(p))
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", p, err)
	}
	if _, err := io.WriteString(f, data); err != nil {
		f.Close()
		os.Remove(p)
		return fmt.Errorf("write %s: %w", p, err)
	}
	return f.Close()
}

// shellQuote quotes a path for a command line shown to the user.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
