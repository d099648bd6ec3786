// Package assets holds the files Shelfsync embeds in its binary: the app icon
// and the demo store's catalog.
package assets

import _ "embed"

// IconPNG is the application icon, 512×512.
//
//go:embed icon.png
var IconPNG []byte

// IconSVG is the scalable source of the application icon.
//
//go:embed icon.svg
var IconSVG []byte
