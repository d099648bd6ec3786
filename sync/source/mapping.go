package source

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Mapping says which column of a sheet holds which field. Columns are named
// by their header text (matched case-insensitively, spaces collapsed); an
// empty name means the sheet has no such column and the field is absent.
// A Mapping is plain JSON so it can be saved per store and source.
type Mapping struct {
	// Dialect is catalog.DialectShopifyLegacy, catalog.DialectShopifyCurrent
	// or catalog.DialectMapped; it only labels the catalog.
	Dialect string `json:"dialect,omitempty"`

	Handle      string `json:"handle,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Vendor      string `json:"vendor,omitempty"`
	ProductType string `json:"productType,omitempty"`
	Tags        string `json:"tags,omitempty"`
	Status      string `json:"status,omitempty"`
	// Published says whether a product the sync creates is published to
	// the Online Store (Shopify's Published / Published on online store).
	Published string `json:"published,omitempty"`
	// Options are the product options in order (Shopify allows 3; a sheet
	// with more gets a cell error on each product that uses them).
	Options []OptionColumns `json:"options,omitempty"`

	SKU             string `json:"sku,omitempty"`
	Barcode         string `json:"barcode,omitempty"`
	Price           string `json:"price,omitempty"`
	CompareAtPrice  string `json:"compareAtPrice,omitempty"`
	InventoryPolicy string `json:"inventoryPolicy,omitempty"`
	// Quantity maps a location key to the column with the available quantity
	// there: a location name as the store names it, or catalog.DefaultLocation
	// ("") for the location the user picks for a single quantity column.
	Quantity map[string]string `json:"quantity,omitempty"`
	// InventoryTracker is Shopify's Variant Inventory Tracker / Inventory
	// tracker column: "shopify" tracks a new variant's inventory, blank does not.
	InventoryTracker string `json:"inventoryTracker,omitempty"`
	// Location names a column that says on each row which location the
	// row's quantity is for (Shopify's inventory CSV: one row per variant and
	// location); Quantity then has its one column under DefaultLocation.
	Location string `json:"location,omitempty"`
	// QuantityName is the inventory quantity the quantity columns set:
	// "available" (the default) or "on_hand" (catalog.QuantityOnHand).
	QuantityName string `json:"quantityName,omitempty"`

	ImageSrc      string `json:"imageSrc,omitempty"`
	ImagePosition string `json:"imagePosition,omitempty"`
	ImageAlt      string `json:"imageAlt,omitempty"`
	VariantImage  string `json:"variantImage,omitempty"`

	// Fields beyond the core ones (fields.go). An empty cell in any of
	// them leaves the store's value alone, whatever BlankClears says.
	SEOTitle         string `json:"seoTitle,omitempty"`
	Category         string `json:"category,omitempty"`
	SEODescription   string `json:"seoDescription,omitempty"`
	GiftCard         string `json:"giftCard,omitempty"`
	WeightGrams      string `json:"weightGrams,omitempty"`
	WeightUnit       string `json:"weightUnit,omitempty"`
	Cost             string `json:"cost,omitempty"`
	RequiresShipping string `json:"requiresShipping,omitempty"`
	Taxable          string `json:"taxable,omitempty"`
	HSCode           string `json:"hsCode,omitempty"`
	CountryOfOrigin  string `json:"countryOfOrigin,omitempty"`
	// The four unit price columns, read together as one measurement
	// (catalog.UnitPrice): total measure and unit, base measure and unit.
	UnitPriceTotal     string `json:"unitPriceTotal,omitempty"`
	UnitPriceTotalUnit string `json:"unitPriceTotalUnit,omitempty"`
	UnitPriceBase      string `json:"unitPriceBase,omitempty"`
	UnitPriceBaseUnit  string `json:"unitPriceBaseUnit,omitempty"`
	// Metafields are the metafield columns, "Name (product.metafields.NS.KEY)"
	// and "Name (variant.metafields.NS.KEY)" as Shopify's export names them.
	Metafields []MetafieldColumn `json:"metafields,omitempty"`
	// MarketPrices are the market price columns ("Price / International",
	// "Compare-at price / International"; markets.go).
	MarketPrices []MarketPriceColumn `json:"marketPrices,omitempty"`

	// Decimal is the decimal separator of prices: "." or ",". Empty means
	// automatic: a lone separator followed by one or two digits is the
	// decimal one; otherwise "," in ";"-delimited files, "." elsewhere.
	Decimal string `json:"decimal,omitempty"`
	// BlankClears makes an empty cell clear the field (Shopify's importer
	// semantics for description, vendor, type, tags, barcode and compare-at
	// price). When false (the default, also for Shopify's own CSV) an empty
	// cell leaves the field absent, so no sheet wipes what it doesn't fill in.
	// Handles, titles, SKUs, prices, quantities, statuses and policies are
	// never cleared.
	BlankClears bool `json:"blankClears,omitempty"`
}

// OptionColumns locates one product option: its name comes from NameColumn
// (on the product's first row) or, when that is empty, is the fixed Name;
// its value comes from ValueColumn on each variant row.
type OptionColumns struct {
	Name        string `json:"name,omitempty"`
	NameColumn  string `json:"nameColumn,omitempty"`
	ValueColumn string `json:"valueColumn"`
	// LinkedToColumn is Shopify's "OptionN Linked To" (on the product's
	// first row): the product metafield the option is linked to.
	LinkedToColumn string `json:"linkedToColumn,omitempty"`
}

// Check reports whether m fits a sheet with these header columns: every
// column it names exists once, something identifies products or variants,
// and the decimal separator is valid. The error points at the header cell.
func (m Mapping) Check(columns []string) error {
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = trimHeader(c)
	}
	_, err := resolve(&m, header, ',')
	return err
}

// normHeader folds a header for matching: lower case, spaces collapsed.
func normHeader(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(s, "\ufeff")), " "))
}

// aliases lists, for each target, the normalised headers Detect recognises,
// best first. Shopify's own names come first (FACTS §10, legacy and current).
var aliases = []struct {
	set   func(m *Mapping, col string)
	names []string
}{
	{func(m *Mapping, c string) { m.Handle = c }, []string{"handle", "url handle", "product handle"}},
	{func(m *Mapping, c string) { m.Title = c }, []string{"title", "product title", "product name", "name"}},
	{func(m *Mapping, c string) { m.Description = c }, []string{"body (html)", "description", "body html", "description html", "product description"}},
	{func(m *Mapping, c string) { m.Vendor = c }, []string{"vendor", "brand", "manufacturer"}},
	{func(m *Mapping, c string) { m.ProductType = c }, []string{"type", "product type"}},
	{func(m *Mapping, c string) { m.Tags = c }, []string{"tags", "keywords"}},
	{func(m *Mapping, c string) { m.Status = c }, []string{"status", "product status"}},
	{func(m *Mapping, c string) { m.Published = c }, []string{"published", "published on online store"}},
	{func(m *Mapping, c string) { m.SKU = c }, []string{"variant sku", "sku", "article number", "article no", "item number", "item no", "part number", "product code", "item code", "art.nr.", "artikelnummer", "reference", "ref"}},
	{func(m *Mapping, c string) { m.Barcode = c }, []string{"variant barcode", "barcode", "ean", "ean13", "ean-13", "gtin", "gtin13", "upc", "isbn"}},
	{func(m *Mapping, c string) { m.Price = c }, []string{"variant price", "price", "retail price", "sale price", "selling price", "unit price", "preis"}},
	{func(m *Mapping, c string) { m.CompareAtPrice = c }, []string{"variant compare at price", "compare-at price", "compare at price", "compare_at_price", "was price", "original price"}},
	{func(m *Mapping, c string) { m.InventoryTracker = c }, []string{"variant inventory tracker", "inventory tracker"}},
	{func(m *Mapping, c string) { m.InventoryPolicy = c }, []string{"variant inventory policy", "continue selling when out of stock", "inventory policy"}},
	{func(m *Mapping, c string) { m.setQuantity(catalog.DefaultLocation, c) }, []string{"variant inventory qty", "inventory quantity", "quantity", "qty", "stock", "inventory", "on hand", "available", "stock level", "stock quantity", "stock qty", "qty available", "quantity available", "bestand"}},
	{func(m *Mapping, c string) { m.ImageSrc = c }, []string{"image src", "product image url", "image url", "image"}},
	{func(m *Mapping, c string) { m.ImagePosition = c }, []string{"image position"}},
	{func(m *Mapping, c string) { m.ImageAlt = c }, []string{"image alt text"}},
	{func(m *Mapping, c string) { m.VariantImage = c }, []string{"variant image", "variant image url"}},
}

func (m *Mapping) setQuantity(loc, col string) {
	if m.Quantity == nil {
		m.Quantity = map[string]string{}
	}
	m.Quantity[loc] = col
}

var (
	optionHeader = regexp.MustCompile(`^option(\d+) (name|value|linked to)$`)
	// "Stock - Berlin", "Qty (Main warehouse)", "Quantity: Paris", "Inventory quantity / Berlin"
	locationHeader = regexp.MustCompile(`(?i)^(?:qty|quantity|stock|inventory|inventory quantity|available|on hand)\s*(?:\((.+)\)|(?:[-:/@]|\bat\b)\s*(.+))$`)
	legacyMarkers  = []string{"handle", "body (html)", "variant sku", "variant price", "variant inventory qty", "image src", "variant barcode"}
	currentMarkers = []string{"url handle", "product image url", "inventory quantity", "compare-at price", "continue selling when out of stock"}
)

// Detect builds a Mapping from a header row. It recognises both dialects of
// Shopify's product CSV and common supplier headers: sku, ean,
// gtin, barcode, qty, stock, quantity, price, brand, …, plus per-location
// quantity columns such as "Stock - Berlin" or "Qty (Main warehouse)".
// The first column matching a target wins; unmatched columns are ignored.
func Detect(columns []string) Mapping {
	m := Mapping{Dialect: catalog.DialectMapped}
	seen := map[string]string{} // normalised header → original
	order := make([]string, 0, len(columns))
	for _, c := range columns {
		n := normHeader(c)
		if _, dup := seen[n]; !dup && n != "" {
			seen[n] = strings.TrimSpace(c)
			order = append(order, n)
		}
	}
	for _, a := range aliases {
		for _, name := range a.names {
			if col, ok := seen[name]; ok {
				a.set(&m, col)
				break
			}
		}
	}
	detectOptions(&m, order, seen)
	detectFields(&m, seen, order)
	detectMarketPrices(&m, order, seen)
	detectLocations(&m, order, seen)
	// BlankClears stays off: a blank cell deleting a value is the most-cited
	// complaint about sheet sync tools; the user turns it on per run or source.
	m.Dialect = detectDialect(seen)
	detectInventory(&m, seen)
	if m.Dialect == catalog.DialectMapped && m.Handle == "" {
		// A supplier's product names are not Shopify handles: deriving handles
		// from them could create duplicates of products the store already
		// has under other handles. Such sheets are matched by SKU or barcode;
		// a mapping can still name a title column on purpose.
		m.Title = ""
	}
	if m.Handle == "" && m.Title == "" {
		m.dropProductFields()
	}
	return m
}

// dropProductFields forgets the product-level columns of a sheet that can't
// name products, so they are listed as ignored rather than silently unused.
func (m *Mapping) dropProductFields() {
	m.Description, m.Vendor, m.ProductType, m.Tags, m.Status, m.Published = "", "", "", "", "", ""
	m.Options, m.ImageSrc, m.ImagePosition, m.ImageAlt, m.VariantImage = nil, "", "", "", ""
	m.SEOTitle, m.SEODescription, m.GiftCard, m.Category = "", "", "", ""
	m.Metafields = slices.DeleteFunc(m.Metafields, func(c MetafieldColumn) bool { return c.Owner == OwnerProduct })
}

// detectLocations finds per-location quantity columns ("Stock - Berlin").
func detectLocations(m *Mapping, order []string, seen map[string]string) {
	for _, n := range order {
		if isMarketColumn(n) {
			continue
		}
		if qualifierHeader(n) {
			continue // "On hand (current)", "Available (not editable)": not a location
		}
		orig := strings.Join(strings.Fields(seen[n]), " ")
		if g := locationHeader.FindStringSubmatch(orig); g != nil {
			m.setQuantity(strings.TrimSpace(g[1]+g[2]), seen[n])
		}
	}
}

// detectDialect tells Shopify's two CSV dialects from any other sheet.
func detectDialect(seen map[string]string) string {
	legacy, current := countMarkers(seen, legacyMarkers), countMarkers(seen, currentMarkers)
	switch {
	case legacy > 0 && legacy >= current:
		return catalog.DialectShopifyLegacy
	case current > 0:
		return catalog.DialectShopifyCurrent
	}
	return catalog.DialectMapped
}

func countMarkers(seen map[string]string, markers []string) int {
	n := 0
	for _, k := range markers {
		if _, ok := seen[k]; ok {
			n++
		}
	}
	return n
}

// detectOptions finds "OptionN Name"/"OptionN Value" pairs, N = 1, 2, …
func detectOptions(m *Mapping, order []string, seen map[string]string) {
	type pair struct{ name, value, linked string }
	byN := map[int]*pair{}
	maxN := 0
	for _, n := range order {
		g := optionHeader.FindStringSubmatch(n)
		if g == nil {
			continue
		}
		i, err := strconv.Atoi(g[1])
		if err != nil || i < 1 || i > 20 {
			continue
		}
		p := byN[i]
		if p == nil {
			p = &pair{}
			byN[i] = p
		}
		switch g[2] {
		case "name":
			p.name = seen[n]
		case "value":
			p.value = seen[n]
		default:
			p.linked = seen[n]
		}
		maxN = max(maxN, i)
	}
	for i := 1; i <= maxN; i++ {
		p := byN[i]
		if p == nil || p.value == "" {
			break // options must be contiguous and have values
		}
		m.Options = append(m.Options, OptionColumns{NameColumn: p.name, ValueColumn: p.value, LinkedToColumn: p.linked})
	}
}

// isMarketColumn reports Shopify Markets columns ("Price / International",
// "Included / United States", "Compare-at price / International").
func isMarketColumn(n string) bool {
	for _, p := range []string{"price / ", "included / ", "compare at price / ", "compare-at price / "} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}
