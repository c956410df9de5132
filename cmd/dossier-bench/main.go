// Command dossier-bench is Dossier's reproducible build benchmark (issue 6).
// Run it from the repository root:
//
//	go run ./cmd/dossier-bench                       # 1,000, 10,000 and 100,000 briefings, 5 runs each
//	go run ./cmd/dossier-bench -sizes 1000,10000 -runs 3
//
// For each size it writes a synthetic corpus once (internal/corpus, fixed
// seed), builds the dossier and dossier-floor binaries, and then runs each
// as a whole process into an empty destination, several times, alternating
// the two so that a change in machine load hits both. It reports, as a
// Markdown table, the median and range of wall time, CPU time (user + system
// from the child's rusage) and peak RSS, the files and bytes written, and
// the ratio of Dossier to the floor measured in the same run.
//
// The page cache is not dropped between runs (that needs root): every run,
// the first included, reads a corpus that was just written and is cached.
package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier-dev/dossier/internal/corpus"
)

type config struct {
	sizes   []int
	runs    int
	seed    int64
	work    string
	keep    bool
	out     string
	profile string
	dossier bool // run dossier build
	floor   bool // run the floor
}

func main() {
	var c config
	var sizes, programs string
	flag.StringVar(&sizes, "sizes", "1000,10000,100000", "comma-separated corpus sizes in briefings")
	flag.IntVar(&c.runs, "runs", 5, "timed runs of each program per size")
	flag.StringVar(&programs, "programs", "dossier,floor", "which programs to run: dossier, floor or both")
	flag.Int64Var(&c.seed, "seed", 1, "corpus seed")
	flag.StringVar(&c.work, "work", "", "folder for corpora, binaries and outputs (default: a new temporary folder, removed at the end)")
	flag.BoolVar(&c.keep, "keep", false, "keep the work folder")
	flag.StringVar(&c.out, "o", "", "also write the Markdown report to this file")
	flag.StringVar(&c.profile, "profile", "", "after the timed runs, build each corpus once more with --cpuprofile and --memprofile into this folder")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, "_", "")))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "dossier-bench: -sizes: %q is not a positive number\n", s)
			os.Exit(2)
		}
		c.sizes = append(c.sizes, n)
	}
	for _, p := range strings.Split(programs, ",") {
		switch strings.TrimSpace(p) {
		case "dossier":
			c.dossier = true
		case "floor":
			c.floor = true
		default:
			fmt.Fprintf(os.Stderr, "dossier-bench: -programs: unknown program %q (want dossier or floor)\n", p)
			os.Exit(2)
		}
	}
	if c.runs < 1 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "dossier-bench:", err)
		os.Exit(1)
	}
}

// sample is one timed run of one program.
type sample struct {
	wall, cpu time.Duration
	sys       time.Duration // the part of cpu spent in the kernel
	rss       int64         // bytes
	files     int
	bytes     int64
}

// result is every run of the two programs on one corpus.
type result struct {
	size           int
	corpusBytes    int64
	corpusTime     time.Duration
	dossier, floor []sample
	dossierSummary string
}

func run(c config) error {
	repo, err := moduleRoot()
	if err != nil {
		return err
	}
	work := c.work
	if work == "" {
		if work, err = os.MkdirTemp("", "dossier-bench-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(work)
	}
	if work, err = filepath.Abs(work); err != nil {
		return err
	}
	if within(repo, work) {
		return fmt.Errorf("-work %s is inside the repository: choose a folder outside it", work)
	}
	logf("work folder %s", work)

	bin := filepath.Join(work, "bin")
	dossierBin, floorBin := filepath.Join(bin, "dossier"), filepath.Join(bin, "dossier-floor")
	for _, b := range [][2]string{{dossierBin, "./cmd/dossier"}, {floorBin, "./cmd/dossier-floor"}} {
		logf("go build -o %s %s", b[0], b[1])
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir, cmd.Stdout, cmd.Stderr = repo, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s: %w", b[1], err)
		}
	}

	m := describeMachine(repo)
	var results []result
	for _, n := range c.sizes {
		r, err := measure(c, work, n, dossierBin, floorBin)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	m.loadEnd = loadavg()

	var report bytes.Buffer
	writeReport(&report, c, m, results)
	os.Stdout.Write(report.Bytes())
	if c.out != "" {
		return os.WriteFile(c.out, report.Bytes(), 0o644)
	}
	return nil
}

func measure(c config, work string, n int, dossierBin, floorBin string) (result, error) {
	r := result{size: n}
	site := filepath.Join(work, fmt.Sprintf("corpus-%d-seed%d", n, c.seed))
	if err := os.RemoveAll(site); err != nil {
		return r, err
	}
	logf("%d briefings: writing corpus into %s", n, site)
	start := time.Now()
	if err := corpus.Write(site, corpus.Options{Briefings: n, Seed: c.seed}); err != nil {
		return r, err
	}
	r.corpusTime = time.Since(start)
	_, r.corpusBytes, _ = count(filepath.Join(site, "content"))
	if !c.keep {
		defer os.RemoveAll(site)
	}

	dest := filepath.Join(work, "out")
	programs := []struct {
		name string
		args []string
		into *[]sample
	}{
		{"dossier", []string{dossierBin, "build", "-s", site, "-d", dest}, &r.dossier},
		{"floor", []string{floorBin, site, dest}, &r.floor},
	}
	skip := []bool{!c.dossier, !c.floor}
	for i := range c.runs {
		// Alternate which program goes first, so that a change in load
		// during the session is shared between them.
		order := []int{0, 1}
		if i%2 == 1 {
			order = []int{1, 0}
		}
		for _, p := range order {
			if skip[p] {
				continue
			}
			prog := programs[p]
			if err := os.RemoveAll(dest); err != nil {
				return r, err
			}
			s, stdout, err := timeRun(prog.args)
			if err != nil {
				return r, fmt.Errorf("%s on %d briefings: %w", prog.name, n, err)
			}
			if s.files, s.bytes, err = count(dest); err != nil {
				return r, err
			}
			if prog.name == "dossier" {
				r.dossierSummary = strings.TrimSpace(stdout)
			}
			*prog.into = append(*prog.into, s)
			logf("%d briefings, run %d/%d, %-7s wall %s, cpu %s (sys %s), rss %s, %d files",
				n, i+1, c.runs, prog.name, secs(s.wall), secs(s.cpu), secs(s.sys), mib(byteCount(s.rss)), s.files)
		}
	}
	if err := os.RemoveAll(dest); err != nil {
		return r, err
	}
	if c.profile != "" && c.dossier {
		if err := profile(c.profile, n, dossierBin, site, dest); err != nil {
			return r, err
		}
	}
	return r, nil
}

// profile builds the corpus once more with the profiling flags on.
func profile(dir string, n int, dossierBin, site, dest string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cpu := filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", n))
	mem := filepath.Join(dir, fmt.Sprintf("mem-%d.pprof", n))
	logf("%d briefings: profiling into %s and %s", n, cpu, mem)
	_, _, err := timeRun([]string{dossierBin, "build", "-s", site, "-d", dest, "--cpuprofile", cpu, "--memprofile", mem})
	if err != nil {
		return fmt.Errorf("profile %d briefings: %w", n, err)
	}
	return os.RemoveAll(dest)
}

// timeRun runs a program and measures it from the outside, as a user of
// the command would experience it.
func timeRun(args []string) (sample, string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, "", fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, tail(stderr.String()))
	}
	cpu, rss := usage(cmd.ProcessState)
	return sample{wall: wall, cpu: cpu, sys: cmd.ProcessState.SystemTime(), rss: rss}, stdout.String(), nil
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// count returns the number of regular files under dir and their bytes.
func count(dir string) (files int, size int64, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += info.Size()
		return nil
	})
	return files, size, err
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run dossier-bench inside the Dossier repository")
	}
	return filepath.Dir(mod), nil
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// machine describes where the figures were taken.
type machine struct {
	date, cpu, kernel, goVersion, commit, loadStart, loadEnd string
	cores                                                    int
	memory                                                   string
}

func describeMachine(repo string) machine {
	m := machine{
		date:      time.Now().UTC().Format("2006-01-02 15:04 MST"),
		cores:     runtime.NumCPU(),
		goVersion: runtime.Version(),
		loadStart: loadavg(),
		cpu:       runtime.GOARCH,
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				m.memory = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if out, err := exec.Command("uname", "-sr").Output(); err == nil {
		m.kernel = strings.TrimSpace(string(out))
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out))
	}
	m.commit = git("rev-parse", "--short", "HEAD")
	if git("status", "--porcelain", "--untracked-files=no") != "" {
		m.commit += " (with uncommitted changes)"
	}
	return m
}

// loadavg describes how busy the machine is: the load averages and, where
// the kernel reports it, the share of the last minute in which some task
// waited for a CPU (pressure stall information).
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	s := strings.Join(f[:min(3, len(f))], " ")
	if b, err := os.ReadFile("/proc/pressure/cpu"); err == nil {
		for _, field := range strings.Fields(strings.SplitN(string(b), "\n", 2)[0]) {
			if v, ok := strings.CutPrefix(field, "avg60="); ok {
				s += fmt.Sprintf(" (CPU pressure %s%%)", v)
			}
		}
	}
	return s
}

func writeReport(w io.Writer, c config, m machine, results []result) {
	fmt.Fprintf(w, "Dossier build benchmark, %s, commit %s\n\n", m.date, m.commit)
	fmt.Fprintf(w, "Machine: %s, %d cores, %s, %s, %s. Load average %s at the start, %s at the end.\n",
		m.cpu, m.cores, m.memory, m.kernel, m.goVersion, m.loadStart, m.loadEnd)
	fmt.Fprintf(w, "Corpus: internal/corpus, seed %d. %d runs of each program per size, alternating; median (min–max).\n\n", c.seed, c.runs)
	fmt.Fprintln(w, "| briefings | program | wall | CPU (user+sys) | of which sys | peak RSS | files | bytes written | wall ÷ floor |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		ratio := "—"
		if len(r.dossier) > 0 && len(r.floor) > 0 {
			ratio = fmt.Sprintf("**%.2f×**", float64(median(r.dossier, wallOf))/float64(median(r.floor, wallOf)))
		}
		for _, p := range []struct {
			name    string
			samples []sample
			ratio   string
		}{
			{"dossier build", r.dossier, ratio},
			{"floor", r.floor, "1"},
		} {
			if len(p.samples) == 0 {
				continue
			}
			last := p.samples[len(p.samples)-1]
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				thousands(int64(r.size)), p.name,
				spread(p.samples, wallOf, secs), spread(p.samples, cpuOf, secs),
				secs(time.Duration(median(p.samples, sysOf))), spread(p.samples, rssOf, mib),
				thousands(int64(last.files)), mbytes(last.bytes), p.ratio)
		}
	}
	fmt.Fprintln(w)
	for _, r := range results {
		fmt.Fprintf(w, "- %s briefings: corpus %s of Markdown, written in %s.", thousands(int64(r.size)), mbytes(r.corpusBytes), secs(r.corpusTime))
		if len(r.dossier) > 0 && len(r.floor) > 0 {
			fmt.Fprintf(w, " Ratios of medians, Dossier ÷ floor: wall %.2f×, CPU %.2f×, peak RSS %.1f×.",
				float64(median(r.dossier, wallOf))/float64(median(r.floor, wallOf)),
				float64(median(r.dossier, cpuOf))/float64(median(r.floor, cpuOf)),
				float64(median(r.dossier, rssOf))/float64(median(r.floor, rssOf)))
		}
		if r.dossierSummary != "" {
			fmt.Fprintf(w, " Dossier said: %q", r.dossierSummary)
		}
		fmt.Fprintln(w)
	}
}

func wallOf(s sample) int64 { return int64(s.wall) }
func cpuOf(s sample) int64  { return int64(s.cpu) }
func sysOf(s sample) int64  { return int64(s.sys) }
func rssOf(s sample) int64  { return s.rss }

func median(ss []sample, f func(sample) int64) int64 {
	v := make([]int64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// spread formats the median and range of one measure.
func spread[T ~int64](ss []sample, f func(sample) int64, format func(T) string) string {
	lo := slices.MinFunc(ss, func(a, b sample) int { return cmp.Compare(f(a), f(b)) })
	hi := slices.MaxFunc(ss, func(a, b sample) int { return cmp.Compare(f(a), f(b)) })
	return fmt.Sprintf("%s (%s–%s)", format(T(median(ss, f))), format(T(f(lo))), format(T(f(hi))))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

type byteCount int64

func mib(b byteCount) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func mbytes(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
