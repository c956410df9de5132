// Package themes embeds the default theme into the binary, so that a site
// without a themes/ folder still builds. //go:embed cannot reach a parent
// folder, which is why this file lives here rather than in internal/render.
package themes

import "embed"

// Default holds default/templates/*.html and default/static/**.
//
//go:embed default
var Default embed.FS
