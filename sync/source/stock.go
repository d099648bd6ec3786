package source

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Stock says where a sheet's quantities go under a mapping, which tells a
// front end whether to ask for a location: only a single quantity column
// that names no location needs one (and only when the store has several).
type Stock int

// Where a sheet's quantities go.
const (
	// StockNone: the sheet has no quantity column; stock is left as it is.
	StockNone Stock = iota
	// StockPicked: a single quantity column says nothing of its location,
	// so its quantities go where the user picks (or to the store's only
	// location). A sheet that also has per-location columns is this too.
	StockPicked
	// StockPerRow: a Location column names each row's location (Shopify's
	// inventory CSV: one row per variant and location).
	StockPerRow
	// StockPerColumn: a quantity column per location, named in its header
	// ("Stock - Berlin").
	StockPerColumn
)

// Stock is where the sheet's quantities go under m.
func (m *Mapping) Stock() Stock {
	if m == nil {
		return StockNone
	}
	var named, single bool
	for loc, col := range m.Quantity {
		switch {
		case col == "":
		case loc == catalog.DefaultLocation:
			single = true
		default:
			named = true
		}
	}
	switch {
	case single && m.Location != "":
		return StockPerRow
	case single:
		return StockPicked
	case named:
		return StockPerColumn
	default:
		return StockNone
	}
}

// StockLocations are the location names of a mapping's per-location
// quantity columns, sorted.
func (m *Mapping) StockLocations() []string {
	var out []string
	if m == nil {
		return out
	}
	for loc, col := range m.Quantity {
		if loc != catalog.DefaultLocation && col != "" {
			out = append(out, loc)
		}
	}
	slices.Sort(out)
	return out
}

// StockText says in one line where the quantities go when no location is
// to be picked ("" for StockPicked, where the picked location says it).
// locations are the per-column ones (StockLocations).
func StockText(s Stock, locations []string) string {
	switch s {
	case StockNone:
		return "The sheet has no quantity column: stock stays as it is in the store."
	case StockPerRow:
		return "Quantities go to the location named on each row."
	case StockPerColumn:
		t := "Quantities go to the locations named in the columns"
		const most = 3 // one line beside the Columns… button
		switch {
		case len(locations) > most:
			t += " (" + strings.Join(locations[:most], ", ") + " and " + strconv.Itoa(len(locations)-most) + " more)"
		case len(locations) > 0:
			t += " (" + strings.Join(locations, ", ") + ")"
		}
		return t + "."
	}
	return ""
}
