// Package config reads dossier.toml, applies the defaults of SPEC §2 and
// rejects unknown keys, naming each one with its position.
package config

// Config is a site's configuration with defaults applied.
type Config struct {
	Title          string
	BaseURL        string
	Language       string
	Theme          string
	Classification string
	Offline        bool
	Linking        Linking
	Print          Print
	Markdown       Markdown
	// PageSize is how many sections or mentions a topic or entity page
	// holds before it continues on page/2/ (default 50).
	PageSize int
}

// Linking configures how mentions become links.
type Linking struct {
	Mentions string // "first" (default), "all", "none"
}

// Print configures paper output.
type Print struct {
	Paper string // "A4" (default) or "Letter"
}

// Markdown configures the Markdown converter.
type Markdown struct {
	Unsafe bool // let raw HTML through
}

// Default returns the configuration used when dossier.toml is absent.
func Default() Config {
	return Config{
		Title:    "Briefings",
		Language: "en",
		Theme:    "default",
		Linking:  Linking{Mentions: "first"},
		Print:    Print{Paper: "A4"},
		PageSize: 50,
	}
}
