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

// DemoStoreCSV is the catalog the demo store starts with (Shopify's current
// product CSV layout). Written for Shelfsync; not taken from any real shop.
//
//go:embed demo/store.csv
var DemoStoreCSV []byte

// DemoSheetCSV is the demo merchant's spreadsheet: a few price and stock
// edits, one new product and one row with a mistake, so the preview shows
// every kind of change.
//
//go:embed demo/sheet.csv
var DemoSheetCSV []byte
