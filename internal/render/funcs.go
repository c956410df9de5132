package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// funcs are the functions every template can call. They are pure: anything
// that depends on the page being rendered is a method of Page instead.
var funcs = template.FuncMap{
	// date formats a time as "13 September 2023".
	"date": func(t time.Time) string { return t.Format("2 January 2006") },
	// isodate formats a time as "2023-09-13" (for <time datetime>).
	"isodate": func(t time.Time) string { return t.Format("2006-01-02") },
	// shortdate formats a time as "13 Sep", for lists under a month heading.
	"shortdate": func(t time.Time) string { return t.Format("2 Jan") },
	// month formats a time as "September 2023".
	"month": func(t time.Time) string { return t.Format("January 2006") },
	// typeLabel turns an entity type into a plural heading ("People").
	"typeLabel": typeLabel,
	// typeName turns an entity type into a singular label ("Person").
	"typeName": typeName,
	// plural returns "1 briefing" or "3 briefings".
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	},
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	// upper upper-cases a string (classification markings).
	"upper": strings.ToUpper,
	// dict builds a map from key/value pairs, to pass several values to a
	// partial: {{template "chips" dict "Page" $ "Items" .Topics}}.
	"dict": dict,
	// partial renders a template as {{template}} does, with the data
	// (dict "Page" page key value …), and reuses the result for the same
	// arguments at the same page depth: {{partial "entity-chip" $ "E" .}}.
	// Given .Site instead of the page, the data has "Site", and the result
	// is reused at every depth. Load binds it to each page kind's
	// templates (see memo.go).
	"partial": func(name string, ctx any, kv ...any) (template.HTML, error) {
		return "", fmt.Errorf("partial %q: not bound to a template set", name)
	},
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func typeLabel(t string) string {
	switch t {
	case "person":
		return "People"
	case "organization":
		return "Organizations"
	case "place":
		return "Places"
	case "event":
		return "Events"
	case "equipment":
		return "Equipment"
	}
	return "Other"
}

func typeName(t string) string {
	switch t {
	case "person":
		return "Person"
	case "organization":
		return "Organization"
	case "place":
		return "Place"
	case "event":
		return "Event"
	case "equipment":
		return "Equipment"
	}
	return "Other"
}
