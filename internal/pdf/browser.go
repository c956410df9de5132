package pdf

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// EnvBrowser names the environment variable that points at a browser
// binary when --chrome is not given.
const EnvBrowser = "DOSSIER_CHROME"

// browserNames are the programs looked up on PATH, in order of preference:
// chromium-headless-shell prints the same pages two to three times faster
// than the full browser because it carries no window system.
var browserNames = []string{"chromium-headless-shell", "chromium", "google-chrome"}

// ErrNoBrowser is wrapped by the error of FindBrowser when no browser is
// found anywhere.
var ErrNoBrowser = errors.New("no Chromium browser found")

// FindBrowser returns the path of the browser to print with: explicit (a
// --chrome flag) when set, else the DOSSIER_CHROME environment variable,
// else the first of chromium-headless-shell, chromium and google-chrome on
// PATH. Its error says how to install a browser.
func FindBrowser(explicit string) (string, error) {
	for _, c := range []struct{ path, from string }{
		{explicit, "--chrome"},
		{os.Getenv(EnvBrowser), EnvBrowser},
	} {
		if c.path == "" {
			continue
		}
		p, err := exec.LookPath(c.path)
		if err != nil {
			return "", fmt.Errorf("browser %s (from %s) cannot be run: %w", c.path, c.from, unwrapExec(err))
		}
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: looked for %s on PATH.\n"+
		"Install one with `apt-get install chromium` (Debian, Ubuntu), or point --chrome or %s at a Chromium or Chrome binary",
		ErrNoBrowser, strings.Join(browserNames, ", "), EnvBrowser)
}

// unwrapExec drops exec's "exec: \"name\":" prefix, which repeats the path
// the message already names.
func unwrapExec(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}
