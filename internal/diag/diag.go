// Package diag holds the diagnostics every stage reports: a position in a file
// the user wrote, a severity and a message. Stages collect them into a List so
// that a run reports all of its errors at once, sorted, one per line.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a diagnostic stops the build.
type Severity int

const (
	// Error stops the build; the command exits 1.
	Error Severity = iota
	// Warning is reported but does not stop the build.
	Warning
)

// Diagnostic is one message about one place in a file the user wrote.
// Line and Col are 1-based; zero means unknown and prints as 1.
type Diagnostic struct {
	Path     string
	Line     int
	Col      int
	Severity Severity
	Msg      string
}

// Error formats the diagnostic as path:line:col: message, the form editors
// and terminals turn into a clickable location.
func (d Diagnostic) Error() string {
	line, col := max(d.Line, 1), max(d.Col, 1)
	if d.Severity == Warning {
		return fmt.Sprintf("%s:%d:%d: warning: %s", d.Path, line, col, d.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.Path, line, col, d.Msg)
}

// Errorf returns an error diagnostic at path:line:col.
func Errorf(path string, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Col: col, Severity: Error, Msg: fmt.Sprintf(format, args...)}
}

// Warnf returns a warning diagnostic at path:line:col.
func Warnf(path string, line, col int, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)}
}

// List collects diagnostics. The zero value is ready to use. It is not safe
// for concurrent use; parallel stages keep one List each and Merge them.
type List []Diagnostic

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Errorf appends an error diagnostic.
func (l *List) Errorf(path string, line, col int, format string, args ...any) {
	l.Add(Errorf(path, line, col, format, args...))
}

// Warnf appends a warning diagnostic.
func (l *List) Warnf(path string, line, col int, format string, args ...any) {
	l.Add(Warnf(path, line, col, format, args...))
}

// Merge appends every diagnostic of other.
func (l *List) Merge(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Severity == Error })
}

// Sort orders diagnostics by path, line, column, then message, and drops
// exact duplicates, so output is deterministic whatever order stages ran in.
func (l List) Sort() List {
	slices.SortFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.Compact(l)
}

// Errors returns only the error diagnostics.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l List) Warnings() List {
	var out List
	for _, d := range l {
		if d.Severity == Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the errors of l as one error value (sorted, one per line), or
// nil when there are none. Callers can recover the List with errors.As.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return errs.Sort()
}

// Error prints one diagnostic per line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// LineCol converts a byte offset in src into a 1-based line and column.
// Columns count runes, as editors do.
func LineCol(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	line = 1 + strings.Count(string(src[:offset]), "\n")
	start := strings.LastIndexByte(string(src[:offset]), '\n') + 1
	col = 1 + len([]rune(string(src[start:offset])))
	return line, col
}
