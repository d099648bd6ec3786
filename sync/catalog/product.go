package catalog

import (
	"slices"
	"strings"
	"unicode"
)

// Product statuses as the Admin API spells them (enum ProductStatus).
const (
	StatusActive   = "ACTIVE"
	StatusDraft    = "DRAFT"
	StatusArchived = "ARCHIVED"
	StatusUnlisted = "UNLISTED"
)

// Inventory policies as the Admin API spells them (enum ProductVariantInventoryPolicy).
const (
	PolicyDeny     = "DENY"
	PolicyContinue = "CONTINUE"
)

// DefaultLocation is the Quantities key for the single quantity column of a
// Shopify CSV (or a mapping's unnamed quantity column): the location the
// user picks for the store, not one the sheet names.
const DefaultLocation = ""

// Limits Shopify puts on a product.
const (
	MaxOptions  = 3
	MaxVariants = 2048
	// MaxQuantity bounds an inventory quantity (inventorySetQuantities accepts ±1,000,000,000).
	MaxQuantity = 1_000_000_000
)

// Columns records which source column each field was read from. One value is
// shared by every product and variant of a catalog, so keeping the origin of
// every value costs a pointer per item rather than a map per item.
type Columns struct {
	Fields     map[Field]string  // field → header name
	Quantities map[string]string // location key → header name
	// Markets are the market price columns, one entry per market
	// (MarketPrice.Market indexes it).
	Markets []MarketColumns
	// prices holds the variants' market prices in chunks (Variant.MarketPrices):
	// kept beside the columns rather than in a slice per variant, so a sheet
	// without market columns pays nothing and one with them 16 bytes a price.
	prices [][]MarketPrice
	// OptionValues and OptionLinks are the header names of each option's
	// value and "Linked To" columns, by option index ("" when absent).
	OptionValues, OptionLinks []string
}

// optionColumn is the header of option i's column in cols ("" when unknown).
func optionColumn(cols []string, i int) string {
	if i < 0 || i >= len(cols) {
		return ""
	}
	return cols[i]
}

// MarketColumns are the columns of one market's prices: "Price / <Market>"
// and "Compare-at price / <Market>" ("" when the sheet lacks one).
type MarketColumns struct {
	Market           string // the market's name as the header spells it
	Price, CompareAt string
}

// column names the column of f, or "" when unknown (c may be nil).
func (c *Columns) column(f Field) string {
	if c == nil {
		return ""
	}
	return c.Fields[f]
}

// Product is one product as the source describes it. Only the fields in
// Fields are meaningful; the others are zero and must not be written.
type Product struct {
	// Handle identifies the product in the store (lower case, as Shopify
	// keeps handles). When the source has no handle but a title, the handle
	// is derived from the title (HandleFromTitle) and HandleDerived is true:
	// such a product is new unless the store has that handle already.
	Handle        string
	HandleDerived bool

	Title           string
	DescriptionHTML string
	Vendor          string
	ProductType     string
	Tags            []string // trimmed, without empties, in source order
	Status          string   // StatusActive, StatusDraft, StatusArchived, StatusUnlisted
	// Options are the option names, at most MaxOptions. A product with the
	// single "Title"/"Default Title" option has none.
	Options []string
	// OptionLinks line up with Options when the sheet has Shopify's "OptionN
	// Linked To" columns: the product metafield ("namespace.key") an option
	// is linked to, whose values are metaobject entries named by their
	// display names; "" for an option that is not linked. nil when the
	// sheet links none of the product's options (or has no such columns).
	OptionLinks []string
	Variants    []Variant
	Images      []Image // in sheet order; the engine orders them by Position

	SEOTitle       string
	SEODescription string
	GiftCard       bool        // used only when the product is created
	Metafields     []Metafield // non-empty cells of product metafield columns
	// Category is the product's taxonomy category as the sheet names it: a
	// full name ("Apparel & Accessories > Clothing") or an ID ("aa-1").
	Category string
	// Published is the sheet's Published (legacy) or Published on online
	// store (current) cell, used only when the product is created: nil when
	// the sheet has no such column, so the store's default decides.
	Published *bool

	Fields FieldSet // product-level fields this product carries
	// Bad are the fields whose cells could not be read (each is in the
	// catalog's Errors): absent from Fields, and a product missing one of
	// them is not created.
	Bad  FieldSet
	Row  int      // the product's first row in the source
	Cols *Columns // where each field came from (may be nil)
}

// Cell says where product field f came from (the product's first row).
func (p *Product) Cell(f Field) Cell { return Cell{Row: p.Row, Column: p.Cols.column(f)} }

// LinkCell says where option i's Linked To cell is (the product's first row).
func (p *Product) LinkCell(i int) Cell {
	c := Cell{Row: p.Row}
	if p.Cols != nil {
		c.Column = optionColumn(p.Cols.OptionLinks, i)
	}
	return c
}

// Variant is one variant (one row of a sheet).
type Variant struct {
	SKU     string
	Barcode string
	// OptionValues line up with the product's Options (same length).
	OptionValues []string
	Price        Money
	// CompareAtPrice zero means "no compare-at price" (Shopify's null).
	CompareAtPrice  Money
	InventoryPolicy string // PolicyDeny or PolicyContinue
	// Quantities holds the quantity at each location key: a location name as
	// the sheet names it, or DefaultLocation. A location missing from it is
	// absent: its quantity must not be written.
	Quantities Quantities
	// Tracked is the sheet's Variant Inventory Tracker / Inventory tracker
	// cell, used only when the variant is created: nil when the sheet has no
	// such column.
	Tracked *bool
	// QuantityRows is the row of each location's quantity when it is not
	// Row: Shopify's inventory CSV has one row per variant and location.
	QuantityRows map[string]int
	ImageSrc     string // the variant's image URL ("" leaves an existing variant's image alone)

	// WeightGrams is the weight in grams, as Shopify's CSV gives it;
	// WeightUnit is the unit Shopify shows it in (the API's WeightUnit enum:
	// GRAMS, KILOGRAMS, OUNCES, POUNDS), "" to keep the store's.
	WeightGrams      float64
	WeightUnit       string
	Cost             Money // cost per item
	RequiresShipping bool
	Taxable          bool
	// marketN market prices at marketAt in Cols (MarketPrices); they fit in
	// the padding after the two booleans, so Variant does not grow.
	marketN         uint8
	marketAt        uint32
	HSCode          string // harmonized system code
	CountryOfOrigin string // ISO 3166-1 alpha-2, upper case
	Metafields      []Metafield
	// UnitPrice is the unit price measurement of the four Unit price
	// columns; nil when the row has none (with FieldUnitPrice in Fields, a
	// blank that clears: no unit price shown). A pointer, so a sheet
	// without unit prices pays 8 bytes a variant.
	UnitPrice *UnitPrice

	Fields FieldSet // variant-level fields this variant carries
	// Bad are the fields whose cells could not be read (see Product.Bad);
	// beside Fields, so the two share one word.
	Bad  FieldSet
	Row  int
	Cols *Columns
}

// Cell says where variant field f came from.
func (v *Variant) Cell(f Field) Cell { return Cell{Row: v.Row, Column: v.Cols.column(f)} }

// OptionCell says where the variant's value of option i came from.
func (v *Variant) OptionCell(i int) Cell {
	c := Cell{Row: v.Row}
	if v.Cols != nil {
		c.Column = optionColumn(v.Cols.OptionValues, i)
	}
	return c
}

// QuantityCell says where the quantity for location key loc came from.
func (v *Variant) QuantityCell(loc string) Cell {
	c := Cell{Row: v.Row}
	if r, ok := v.QuantityRows[loc]; ok {
		c.Row = r
	}
	if v.Cols != nil {
		c.Column = v.Cols.Quantities[loc]
	}
	return c
}

// MarketPrice is a variant's fixed price in one market, from the columns
// Price / <Market> and Compare-at price / <Market> of Shopify's product CSV
// (https://help.shopify.com/en/manual/products/import-export/using-csv,
// "International CSV columns"). Amounts are in the currency of the market's
// price list. Has says which cells the row has: a blank cell is absent
// unless blank means clear, when it is present and marked in Blank (a
// fixed price to delete, or no compare-at price). It takes 16 bytes: the
// compare-at price (at most MaxMoney < 2^48), the market and the flags
// share one word.
type MarketPrice struct {
	Price Money
	rest  uint64 // compare-at (bits 0–47), market (48–55), Has (56–59), Blank (60–63)
}

// Bits of MarketPrice.Has and Blank.
const (
	HasMarketPrice     uint8 = 1
	HasMarketCompareAt uint8 = 2
)

// NewMarketPrice makes the price of market (an index into Columns.Markets);
// compareAt must be between 0 and MaxMoney.
func NewMarketPrice(market uint8, price, compareAt Money, has, blank uint8) MarketPrice {
	return MarketPrice{Price: price, rest: uint64(compareAt)&(1<<48-1) | uint64(market)<<48 | uint64(has&0xf)<<56 | uint64(blank&0xf)<<60}
}

// CompareAt is the compare-at price (0: none).
func (m MarketPrice) CompareAt() Money { return Money(m.rest & (1<<48 - 1)) }

// Market is the index of the price's market in Columns.Markets.
func (m MarketPrice) Market() uint8 { return uint8(m.rest >> 48) }

// Has says which cells the row has (HasMarketPrice, HasMarketCompareAt).
func (m MarketPrice) Has() uint8 { return uint8(m.rest>>56) & 0xf }

// Blank says which of them were blank cells (blank means clear).
func (m MarketPrice) Blank() uint8 { return uint8(m.rest >> 60) }

// marketChunkShift sets the size of a chunk of market prices (4,096).
const marketChunkShift = 12

// MarketPrices are the variant's fixed prices in markets, one per market
// whose cells the row has.
func (v *Variant) MarketPrices() []MarketPrice {
	if v.marketN == 0 || v.Cols == nil {
		return nil
	}
	c := v.Cols.prices[v.marketAt>>marketChunkShift]
	i := int(v.marketAt & (1<<marketChunkShift - 1))
	return c[i : i+int(v.marketN) : i+int(v.marketN)]
}

// SetMarketPrices gives v a copy of mps (at most 255), kept in v.Cols, which
// must be set. A catalog's variants are not safe to set from several
// goroutines at once.
func (v *Variant) SetMarketPrices(mps []MarketPrice) {
	v.marketN = 0
	if len(mps) == 0 || v.Cols == nil {
		return
	}
	mps = mps[:min(len(mps), 255)]
	c := v.Cols
	if len(c.prices) == 0 || len(c.prices[len(c.prices)-1])+len(mps) > 1<<marketChunkShift {
		c.prices = append(c.prices, make([]MarketPrice, 0, 1<<marketChunkShift))
	}
	k := len(c.prices) - 1
	at := len(c.prices[k])
	c.prices[k] = append(c.prices[k], mps...)
	v.marketAt, v.marketN = uint32(k<<marketChunkShift|at), uint8(len(mps))
}

// MarketName is the name of the market of mp ("" when unknown).
func (v *Variant) MarketName(mp MarketPrice) string {
	if v.Cols == nil || int(mp.Market()) >= len(v.Cols.Markets) {
		return ""
	}
	return v.Cols.Markets[mp.Market()].Market
}

// MarketCell says where the market price (or, with compareAt, the
// compare-at price) of mp came from.
func (v *Variant) MarketCell(mp MarketPrice, compareAt bool) Cell {
	c := Cell{Row: v.Row}
	if v.Cols != nil && int(mp.Market()) < len(v.Cols.Markets) {
		c.Column = v.Cols.Markets[mp.Market()].Price
		if compareAt {
			c.Column = v.Cols.Markets[mp.Market()].CompareAt
		}
	}
	return c
}

// Key identifies a loose variant for matching: its SKU, else "barcode:" + its barcode.
func (v *Variant) Key() string {
	if v.SKU != "" {
		return v.SKU
	}
	if v.Barcode != "" {
		return "barcode:" + v.Barcode
	}
	return ""
}

// Quantities are a variant's quantities by location key, sorted by key,
// each key once. Most sheets have one quantity column, so a short slice
// (one small allocation) stands where a map would cost about 250 bytes per
// variant: a quarter of a 100,000-row catalog's memory.
type Quantities []LocationQuantity

// LocationQuantity is the quantity at one location key.
type LocationQuantity struct {
	Location string
	Quantity int
}

// Get returns the quantity at loc and whether there is one.
func (q Quantities) Get(loc string) (int, bool) {
	for _, e := range q {
		if e.Location == loc {
			return e.Quantity, true
		}
	}
	return 0, false
}

// Set puts n at loc, keeping the keys sorted.
func (q *Quantities) Set(loc string, n int) {
	i, found := slices.BinarySearchFunc(*q, loc, func(e LocationQuantity, loc string) int { return strings.Compare(e.Location, loc) })
	if found {
		(*q)[i].Quantity = n
		return
	}
	*q = slices.Insert(*q, i, LocationQuantity{Location: loc, Quantity: n})
}

// Metafield is one metafield value from a column such as
// "Fabric (variant.metafields.custom.fabric)": Key is "namespace.key".
// The value is as the cell has it; the store's definition types it.
type Metafield struct {
	Key    string
	Value  string
	Column string // the header, for cells and export
}

// Image is one product image.
type Image struct {
	Src      string
	Alt      string
	Position int // 1-based; 0 when the source gives none
	Cell     Cell
}

// HandleFromTitle derives a handle the way Shopify does for a new product:
// lower case, every run of characters other than letters and digits becomes
// one "-", no leading or trailing "-". "Ocean Blue Shirt!" → "ocean-blue-shirt".
func HandleFromTitle(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if isHandleRune(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
