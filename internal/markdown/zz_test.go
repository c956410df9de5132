package markdown
import ("testing";"os";"time";"path/filepath";"strconv";"strings")
func TestZZ(t *testing.T){
	dir := os.Getenv("CORPUS")
	files, _ := filepath.Glob(dir+"/*")
	c := New(Options{})
	for _, f := range files {
		b, _ := os.ReadFile(f)
		lines := strings.SplitN(string(b), "\n", 3)
		src, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil { continue }
		st := time.Now()
		c.Convert(Doc{Source: []byte(src), Mentions: names, Wikilinks: targets})
		if d := time.Since(st); d > 50*time.Millisecond { t.Logf("%s: %v len %d", f, d, len(src)) }
	}
}
