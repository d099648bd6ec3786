package source

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// The fields beyond handle, title, prices, options and quantities: SEO,
// gift card, weight, cost, shipping, tax and customs. An empty cell leaves
// the store's value alone, whatever Mapping.BlankClears says (a blank
// "Cost per item" must never wipe a cost).

// fieldAliases are the headers Detect recognises for them, best first:
// Shopify's legacy and current names (FACTS §10; Variant Grams → "Weight
// value (grams)", Variant Taxable → "Charge tax", …), then common ones. The
// product CSV has no HS code or country column; "HS code" and "Country of
// origin" are the names Shelfsync's export writes.
var fieldAliases = []struct {
	set   func(m *Mapping, col string)
	names []string
}{
	{func(m *Mapping, c string) { m.SEOTitle = c }, []string{"seo title", "meta title", "page title"}},
	{func(m *Mapping, c string) { m.SEODescription = c }, []string{"seo description", "meta description"}},
	{func(m *Mapping, c string) { m.GiftCard = c }, []string{"gift card"}},
	{func(m *Mapping, c string) { m.Category = c }, []string{"product category", "product_category", "shopify category"}},
	{func(m *Mapping, c string) { m.WeightGrams = c }, []string{"variant grams", "weight value (grams)", "weight (grams)", "weight in grams", "grams"}},
	{func(m *Mapping, c string) { m.WeightUnit = c }, []string{"variant weight unit", "weight unit for display", "weight unit"}},
	{func(m *Mapping, c string) { m.Cost = c }, []string{"cost per item", "variant cost", "unit cost", "cost price", "cost"}},
	{func(m *Mapping, c string) { m.RequiresShipping = c }, []string{"variant requires shipping", "requires shipping"}},
	{func(m *Mapping, c string) { m.Taxable = c }, []string{"variant taxable", "charge tax", "taxable"}},
	{func(m *Mapping, c string) { m.HSCode = c }, []string{"hs code", "variant hs code", "harmonized system code", "hs tariff code"}},
	{func(m *Mapping, c string) { m.CountryOfOrigin = c }, []string{"country of origin", "variant country of origin", "country/region of origin", "country code of origin", "coo"}},
	// Shopify's names, the same in both dialects but for case (FACTS §10).
	{func(m *Mapping, c string) { m.UnitPriceTotal = c }, []string{"unit price total measure"}},
	{func(m *Mapping, c string) { m.UnitPriceTotalUnit = c }, []string{"unit price total measure unit"}},
	{func(m *Mapping, c string) { m.UnitPriceBase = c }, []string{"unit price base measure"}},
	{func(m *Mapping, c string) { m.UnitPriceBaseUnit = c }, []string{"unit price base measure unit"}},
}

// MetafieldColumn is a metafield column: its header, whose metafield it
// holds (OwnerProduct or OwnerVariant) and the metafield's "namespace.key".
type MetafieldColumn struct {
	Column string `json:"column"`
	Owner  string `json:"owner"`
	Key    string `json:"key"`
}

// Metafield owners.
const (
	OwnerProduct = "product"
	OwnerVariant = "variant"
)

// metafieldColumn reads "Fabric (variant.metafields.custom.fabric)".
var metafieldColumn = regexp.MustCompile(`(?i)\((product|variant)\.metafields\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\)\s*$`)

// detectFields fills the extra fields of m from the header.
func detectFields(m *Mapping, seen map[string]string, order []string) {
	for _, n := range order {
		if g := metafieldColumn.FindStringSubmatch(seen[n]); g != nil {
			m.Metafields = append(m.Metafields, MetafieldColumn{Column: seen[n], Owner: strings.ToLower(g[1]), Key: g[2] + "." + g[3]})
		}
	}
	for _, a := range fieldAliases {
		for _, name := range a.names {
			if col, ok := seen[name]; ok {
				a.set(m, col)
				break
			}
		}
	}
}

// fieldCols are the column indexes of the extra fields (-1 when absent).
type fieldCols struct {
	seoTitle, seoDesc, giftCard, category                int
	grams, unit, cost, shipping, taxable, hsCode, origin int
	unitPrice                                            [4]int // total measure, its unit, base measure, its unit
	productMF, variantMF                                 []mfCol
	markets                                              []mktCol // market price columns (markets.go)
}

// mfCol is a resolved metafield column.
type mfCol struct {
	idx int
	key string
}

// fields resolves the extra fields' columns.
func (r *resolver) fields(m *Mapping) {
	x := &r.l.x
	x.seoTitle = r.field(m.SEOTitle, catalog.FieldSEOTitle)
	x.seoDesc = r.field(m.SEODescription, catalog.FieldSEODescription)
	x.giftCard = r.field(m.GiftCard, catalog.FieldGiftCard)
	x.category = r.field(m.Category, catalog.FieldCategory)
	x.grams = r.field(m.WeightGrams, catalog.FieldWeight)
	x.unit = r.plain(m.WeightUnit)
	x.cost = r.field(m.Cost, catalog.FieldCost)
	x.shipping = r.field(m.RequiresShipping, catalog.FieldRequiresShipping)
	x.taxable = r.field(m.Taxable, catalog.FieldTaxable)
	x.hsCode = r.field(m.HSCode, catalog.FieldHSCode)
	x.origin = r.field(m.CountryOfOrigin, catalog.FieldCountryOfOrigin)
	x.unitPrice = [4]int{r.field(m.UnitPriceTotal, catalog.FieldUnitPrice), r.plain(m.UnitPriceTotalUnit),
		r.plain(m.UnitPriceBase), r.plain(m.UnitPriceBaseUnit)}
	r.marketPrices(m)
	for _, c := range m.Metafields {
		if i := r.plain(c.Column); i >= 0 {
			col := mfCol{idx: i, key: c.Key}
			if c.Owner == OwnerVariant {
				x.variantMF = append(x.variantMF, col)
			} else {
				x.productMF = append(x.productMF, col)
			}
		}
	}
}

// metafields reads the non-empty cells of cols (an empty cell leaves the
// store's metafield alone).
func (r *rowCtx) metafields(cols []mfCol) []catalog.Metafield {
	var out []catalog.Metafield
	for _, c := range cols {
		if s := r.get(c.idx); s != "" {
			out = append(out, catalog.Metafield{Key: c.key, Value: s, Column: r.b.l.header[c.idx]})
		}
	}
	return out
}

// productExtras reads SEO and gift card from a product's first row.
func (r *rowCtx) productExtras(p *catalog.Product) {
	x := &r.b.l.x
	if s := r.get(x.seoTitle); s != "" {
		if len([]rune(s)) > 255 {
			r.fail(x.seoTitle, "an SEO title can be at most 255 characters long")
		}
		p.SEOTitle = s
		p.Fields.Add(catalog.FieldSEOTitle)
	}
	if s := r.get(x.seoDesc); s != "" {
		p.SEODescription = s
		p.Fields.Add(catalog.FieldSEODescription)
	}
	if s := r.get(x.giftCard); s != "" {
		p.GiftCard = r.bool(x.giftCard, s)
		p.Fields.Add(catalog.FieldGiftCard)
	}
	p.Metafields = r.metafields(x.productMF)
	if s := r.get(x.category); s != "" {
		p.Category = s
		p.Fields.Add(catalog.FieldCategory)
	}
}

// hasVariantExtras reports a variant value among the extra fields (the
// weight unit alone is not one: image rows may repeat it).
func (r *rowCtx) hasVariantExtras() bool {
	x := &r.b.l.x
	for _, i := range []int{x.grams, x.cost, x.shipping, x.taxable, x.hsCode, x.origin} {
		if r.get(i) != "" {
			return true
		}
	}
	for _, i := range x.unitPrice {
		if r.get(i) != "" {
			return true
		}
	}
	for _, c := range x.variantMF {
		if r.get(c.idx) != "" {
			return true
		}
	}
	return false
}

// variantExtras reads weight, cost, shipping, tax and customs cells.
func (r *rowCtx) variantExtras(v *catalog.Variant) {
	x := &r.b.l.x
	if s := r.get(x.grams); s != "" {
		g, err := parseGrams(s)
		if err != nil {
			r.fail(x.grams, err.Error())
		}
		v.WeightGrams = g
		v.Fields.Add(catalog.FieldWeight)
		if u := r.get(x.unit); u != "" {
			if v.WeightUnit = WeightUnit(u); v.WeightUnit == "" {
				r.fail(x.unit, "not a weight unit: "+strconv.Quote(u)+" (use g, kg, lb or oz)")
			}
		}
	}
	if s := r.get(x.cost); s != "" {
		m, err := r.b.l.money(s)
		if err != nil {
			r.fail(x.cost, "cost per item: "+err.Error())
		}
		v.Cost = m
		v.Fields.Add(catalog.FieldCost)
	}
	if s := r.get(x.shipping); s != "" {
		v.RequiresShipping = r.bool(x.shipping, s)
		v.Fields.Add(catalog.FieldRequiresShipping)
	}
	if s := r.get(x.taxable); s != "" {
		v.Taxable = r.bool(x.taxable, s)
		v.Fields.Add(catalog.FieldTaxable)
	}
	if s := r.get(x.hsCode); s != "" {
		if len(s) > 255 {
			r.fail(x.hsCode, "an HS code can be at most 255 characters long")
		}
		v.HSCode = s
		v.Fields.Add(catalog.FieldHSCode)
	}
	if s := r.get(x.origin); s != "" {
		c := strings.ToUpper(s)
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			r.fail(x.origin, "a country of origin must be a two-letter ISO code such as DE or CN, not "+strconv.Quote(s))
		}
		v.CountryOfOrigin = c
		v.Fields.Add(catalog.FieldCountryOfOrigin)
	}
	r.unitPrice(v)
	v.Metafields = r.metafields(x.variantMF)
}

// unitPriceCells names the four unit price cells in messages.
var unitPriceCells = [4]string{"total measure", "total measure unit", "base measure", "base measure unit"}

// unitPrice reads the four unit price cells as one measurement. All blank:
// absent, or with blank means clear, present and nil (no unit price). Some
// blank, or one unreadable: a cell error on the first bad cell, and the
// rest of the row still syncs.
func (r *rowCtx) unitPrice(v *catalog.Variant) {
	x := &r.b.l.x
	var cells [4]string
	filled, has := 0, false
	for k, i := range x.unitPrice {
		cells[k] = r.get(i)
		has = has || i >= 0
		if cells[k] != "" {
			filled++
		}
	}
	switch {
	case filled == 0 && has && r.clears():
		v.Fields.Add(catalog.FieldUnitPrice)
		return
	case filled == 0:
		return
	}
	bad := func(k int, msg string) { r.badCell(x.unitPrice[k], catalog.FieldUnitPrice, &v.Bad, "unit price: "+msg) }
	for k := range cells {
		if cells[k] == "" {
			bad(k, "the "+unitPriceCells[k]+" is blank: fill in all four unit price cells, or none")
			return
		}
	}
	var p catalog.UnitPrice
	q, err := parseMeasure(cells[0])
	if err != nil {
		bad(0, err.Error())
		return
	}
	p.QuantityValue = q
	for _, k := range []int{1, 3} {
		u := catalog.ParseMeasureUnit(cells[k])
		if u == 0 {
			bad(k, "not a unit: "+strconv.Quote(cells[k])+" (use ml, cl, l, m3, floz, pt, qt, gal, mg, g, kg, oz, lb, mm, cm, m, in, ft, yd, m2, ft2 or item)")
			return
		}
		if k == 1 {
			p.QuantityUnit = u
		} else {
			p.ReferenceUnit = u
		}
	}
	ref, err := parseMeasure(cells[2])
	if err != nil || ref != math.Trunc(ref) || ref > math.MaxInt32 {
		bad(2, "the base measure must be a whole number above 0, such as 1, 10, 100 or 1000: "+strconv.Quote(cells[2]))
		return
	}
	p.ReferenceValue = int32(ref)
	if msg := p.Check(); msg != "" {
		bad(3, msg)
		return
	}
	v.UnitPrice = &p
	v.Fields.Add(catalog.FieldUnitPrice)
}

// parseMeasure reads a unit price quantity above 0: "250", "0.75" or "0,75".
func parseMeasure(s string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || f <= 0 || f > catalog.MaxUnitQuantity {
		return 0, fmt.Errorf("not a measure above 0: %q", s)
	}
	return f, nil
}

// bool reads a yes/no cell: TRUE/FALSE as Shopify writes them, and the
// yes/no, y/n, 1/0 forms spreadsheets use.
func (r *rowCtx) bool(i int, s string) bool {
	switch {
	case lowerIsOneOf(s, "true", "yes", "y", "1", "t"):
		return true
	case lowerIsOneOf(s, "false", "no", "n", "0", "f"):
		return false
	}
	r.fail(i, "not TRUE or FALSE: "+strconv.Quote(s))
	return false
}

// maxGrams bounds a weight (1,000 tonnes): anything above is a typo.
const maxGrams = 1e9

// parseGrams reads a weight in grams: "145", "145.5" or "145,5".
func parseGrams(s string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	g, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil || math.IsNaN(g) || math.IsInf(g, 0):
		return 0, fmt.Errorf("not a weight in grams: %q", s)
	case g < 0:
		return 0, fmt.Errorf("a weight can't be negative: %q", s)
	case g > maxGrams:
		return 0, fmt.Errorf("a weight must be at most 1,000,000,000 grams: %q", s)
	}
	return g, nil
}

// WeightUnit turns a unit as sheets write it ("kg", "lb", "Pounds") into the
// Admin API's WeightUnit enum, or "" when it is none.
func WeightUnit(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "g", "gram", "grams":
		return "GRAMS"
	case "kg", "kilogram", "kilograms", "kgs":
		return "KILOGRAMS"
	case "lb", "lbs", "pound", "pounds":
		return "POUNDS"
	case "oz", "ounce", "ounces":
		return "OUNCES"
	}
	return ""
}

// WeightUnitText is the CSV form of a WeightUnit enum ("kg"), as Shopify exports it.
func WeightUnitText(unit string) string {
	switch unit {
	case "GRAMS":
		return "g"
	case "KILOGRAMS":
		return "kg"
	case "POUNDS":
		return "lb"
	case "OUNCES":
		return "oz"
	}
	return ""
}
