// Package catalog holds the plain types of a product catalog as a source (a
// spreadsheet, a CSV at a URL, a store export) describes it: products,
// variants, money amounts, which fields a row carries, and where in the
// source every value came from, so an error can point at a cell.
//
// Presence is explicit: a field is "present" when FieldSet says so, and only
// then is its value meaningful. An absent field (its column is missing, or its
// cell is empty in a partial sheet) must never be written to a store; a
// present field whose value is empty or zero means "set it to empty/zero".
package catalog

import (
	"fmt"
	"strconv"
)

// Cell is one spreadsheet cell: the 1-based row as the user sees it in the
// spreadsheet (the header is row 1, the first data row is row 2) and the
// header name of its column. Column is empty when a message concerns a whole
// row, and Row is 0 when it concerns the whole file.
type Cell struct {
	Row    int
	Column string
}

// String renders the cell the way a user looks for it: `row 12, column
// "Variant Price"`, `row 12`, `column "SKU"` or `file`.
func (c Cell) String() string {
	switch {
	case c.Row > 0 && c.Column != "":
		return "row " + strconv.Itoa(c.Row) + ", column " + strconv.Quote(c.Column)
	case c.Row > 0:
		return "row " + strconv.Itoa(c.Row)
	case c.Column != "":
		return "column " + strconv.Quote(c.Column)
	default:
		return "file"
	}
}

// RowError is a problem found in the source, pointing at the cell that holds
// it. A row with an error is left out of the catalog entirely.
type RowError struct {
	Cell
	Message string
}

// Error implements error: `row 12, column "Variant Price": not a price: "abc"`,
// or just the message when it concerns the whole file.
func (e RowError) Error() string {
	if e.Cell == (Cell{}) {
		return e.Message
	}
	return e.Cell.String() + ": " + e.Message
}

// Errorf builds a RowError for cell c.
func Errorf(c Cell, format string, args ...any) RowError {
	return RowError{Cell: c, Message: fmt.Sprintf(format, args...)}
}

// Catalog is everything read from one source.
type Catalog struct {
	// Products are keyed by Handle (unique within a catalog).
	Products []Product
	// Variants are rows that name no product (a partial sheet with, say, only
	// SKU and quantity). The engine matches each one by SKU across the whole
	// store, or by Barcode when it has no SKU, and updates only the fields the
	// variant carries; it never creates a product or a variant from them.
	Variants []Variant
	// Errors lists every problem found, in source order. Rows with errors are
	// not in Products or Variants.
	Errors []RowError
	// Columns is the header row as read (trimmed), in order.
	Columns []string
	// Ignored lists the columns that were read but not used, in order, and
	// Notes explains anything the user should know about how the source was
	// read (a Windows-1252 fallback, market price columns skipped, …).
	Ignored []string
	Notes   []string
	// Unsynced lists every column whose values are not written to the store
	// (ignored, or read but not synced yet), each with the reason, in
	// column order. The preview shows it, so nothing is dropped silently.
	Unsynced []UnsyncedColumn
	// Dialect names the layout that was recognised: DialectShopifyLegacy,
	// DialectShopifyCurrent or DialectMapped.
	Dialect string
	// QuantityName is the inventory quantity the sheet's quantities set:
	// QuantityAvailable ("" means it too) or QuantityOnHand.
	QuantityName string
	// BlankClears says the user asked for blank cells to clear their field
	// (Shopify's importer's rule; off by default). Images not in the sheet
	// are taken off their product only then.
	BlankClears bool
}

// UnsyncedColumn is a source column that is not synced, and why.
type UnsyncedColumn struct {
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// Dialects a source can be read as.
const (
	DialectShopifyLegacy  = "shopify-legacy"  // Handle, Body (HTML), Variant SKU, …
	DialectShopifyCurrent = "shopify-current" // URL handle, Description, SKU, …
	DialectMapped         = "mapped"          // any sheet read through a column Mapping
	// DialectShopifyInventory is Shopify's inventory CSV: one row per variant
	// and location (Handle, Option1 Name…, SKU, Location, Available, On hand…).
	DialectShopifyInventory = "shopify-inventory"
)

// VariantCount counts the variants of all products plus the loose variants.
func (c *Catalog) VariantCount() int {
	n := len(c.Variants)
	for i := range c.Products {
		n += len(c.Products[i].Variants)
	}
	return n
}

// Inventory quantity names a sheet can set: the two names
// inventorySetQuantities accepts ("The only accepted values are: available
// or on_hand", InventorySetQuantitiesInput.name, 2026-04 Admin schema).
// On hand is available + committed + unavailable: setting it moves
// available by the same amount.
const (
	QuantityAvailable = "available"
	QuantityOnHand    = "on_hand"
)
