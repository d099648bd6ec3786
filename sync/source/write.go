package source

import (
	"encoding/csv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// shopifyColumns is the header WriteShopifyCSV writes: the synced subset of
// the current product CSV format (FACTS §10), in Shopify's order.
var shopifyColumns = []string{
	"Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags", "Status",
	"SKU", "Barcode",
	"Option1 name", "Option1 value", "Option2 name", "Option2 value", "Option3 name", "Option3 value",
	"Price", "Compare-at price", "Cost per item", "Charge tax",
	"Unit price total measure", "Unit price total measure unit", "Unit price base measure", "Unit price base measure unit",
	"Inventory quantity", "Continue selling when out of stock",
	"Weight value (grams)", "Weight unit for display", "Requires shipping",
	"Product image URL", "Image position", "Image alt text", "Variant image URL", "Gift card",
	"SEO title", "SEO description", "HS code", "Country of origin",
}

// column indexes in shopifyColumns.
const (
	wTitle = iota
	wHandle
	wDesc
	wVendor
	wCategory
	wType
	wTags
	wStatus
	wSKU
	wBarcode
	wOpt1Name
	_
	_
	_
	_
	_
	wPrice
	wCompare
	wCost
	wTaxable
	wUnitPrice // the four unit price columns
	_
	_
	_
	wQty
	wPolicy
	wGrams
	wUnit
	wShipping
	wImgSrc
	wImgPos
	wImgAlt
	wVarImg
	wGiftCard
	wSEOTitle
	wSEODesc
	wHSCode
	wOrigin
	wCount
)

// WriteShopifyCSV writes products as a product CSV in Shopify's current
// dialect: one row per variant, product fields on the first row, extra
// images on rows of their own, "Title"/"Default Title" for a product without
// options. Quantities for catalog.DefaultLocation go in "Inventory
// quantity"; quantities for named locations go in extra columns
// "Inventory quantity / <location>" (a Shelfsync extension that ReadCSV
// reads back and Shopify's importer ignores as unknown columns).
//
// Reading the output back gives the same products (line ends inside cells
// come back as "\n", as encoding/csv reads them). Fields that were absent
// come back present and empty for description, vendor, type, tags, barcode,
// compare-at price and unit price, because Shopify's format can't tell the two apart.
func WriteShopifyCSV(w io.Writer, products []catalog.Product) error {
	locs := namedLocations(products)
	header := append(append([]string(nil), shopifyColumns...), locationHeaders(locs)...)
	pub := -1 // the Published on online store column, written when a product says
	for i := range products {
		if products[i].Published != nil {
			pub = len(header)
			header = append(header, "Published on online store")
			break
		}
	}
	tracker := -1 // the Inventory tracker column, written when a variant says
	for i := range products {
		for j := range products[i].Variants {
			if tracker < 0 && products[i].Variants[j].Tracked != nil {
				tracker = len(header)
				header = append(header, "Inventory tracker")
			}
		}
	}
	links := -1 // the first of the OptionN Linked To columns, written when a product links an option
	for i := range products {
		if products[i].OptionLinks != nil {
			links = len(header)
			for k := 1; k <= catalog.MaxOptions; k++ {
				header = append(header, "Option"+strconv.Itoa(k)+" Linked To")
			}
			break
		}
	}
	mfCols := metafieldHeaders(products)
	mfAt := make(map[string]int, len(mfCols))
	for k, h := range mfCols {
		mfAt[h] = len(header) + k
	}
	header = append(header, mfCols...)
	mkCols, mkAt := marketHeaders(products)
	mkBase := len(header)
	header = append(header, mkCols...)
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for i := range products {
		p := &products[i]
		n := max(len(p.Variants), len(p.Images), 1)
		for j := 0; j < n; j++ {
			clear(row)
			row[wHandle] = p.Handle
			if j == 0 {
				productCells(row, p)
				if pub >= 0 && p.Published != nil {
					row[pub] = strings.ToUpper(strconv.FormatBool(*p.Published))
				}
				metafieldCells(row, p.Metafields, mfAt)
				for k, mf := range p.OptionLinks {
					if links >= 0 && mf != "" && k < catalog.MaxOptions {
						row[links+k] = "product.metafields." + mf // as Shopify's export writes it
					}
				}
			}
			if j < len(p.Variants) {
				variantCells(row, p, &p.Variants[j], locs)
				if t := p.Variants[j].Tracked; tracker >= 0 && t != nil && *t {
					row[tracker] = "shopify"
				}
				metafieldCells(row, p.Variants[j].Metafields, mfAt)
				marketCells(row, &p.Variants[j], mkAt, mkBase)
			}
			if j < len(p.Images) {
				img := p.Images[j]
				row[wImgSrc], row[wImgAlt] = img.Src, img.Alt
				if img.Position > 0 {
					row[wImgPos] = strconv.Itoa(img.Position)
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func productCells(row []string, p *catalog.Product) {
	row[wTitle], row[wDesc], row[wVendor], row[wType] = p.Title, p.DescriptionHTML, p.Vendor, p.ProductType
	row[wTags] = strings.Join(p.Tags, ", ")
	row[wStatus] = strings.ToLower(p.Status)
	for k, name := range p.Options {
		if k < catalog.MaxOptions {
			row[wOpt1Name+2*k] = name
		}
	}
	if len(p.Options) == 0 && len(p.Variants) > 0 {
		row[wOpt1Name] = "Title"
	}
	row[wSEOTitle], row[wSEODesc] = p.SEOTitle, p.SEODescription
	row[wCategory] = p.Category
	if p.Fields.Has(catalog.FieldGiftCard) {
		row[wGiftCard] = boolText(p.GiftCard)
	}
}

// variantExtraCells writes weight, cost, shipping, tax and customs cells.
func variantExtraCells(row []string, v *catalog.Variant) {
	if v.Fields.Has(catalog.FieldWeight) {
		row[wGrams] = strconv.FormatFloat(math.Round(v.WeightGrams*1e7)/1e7, 'f', -1, 64) // no float noise such as 144.99999999999997
		row[wUnit] = WeightUnitText(v.WeightUnit)
	}
	if v.Fields.Has(catalog.FieldCost) {
		row[wCost] = v.Cost.String()
	}
	if v.Fields.Has(catalog.FieldRequiresShipping) {
		row[wShipping] = boolText(v.RequiresShipping)
	}
	if v.Fields.Has(catalog.FieldTaxable) {
		row[wTaxable] = boolText(v.Taxable)
	}
	row[wHSCode], row[wOrigin] = v.HSCode, v.CountryOfOrigin
	if p := v.UnitPrice; p != nil && v.Fields.Has(catalog.FieldUnitPrice) {
		row[wUnitPrice], row[wUnitPrice+1] = catalog.FormatMeasure(p.QuantityValue), p.QuantityUnit.Text()
		row[wUnitPrice+2], row[wUnitPrice+3] = strconv.Itoa(int(p.ReferenceValue)), p.ReferenceUnit.Text()
	}
}

// boolText writes a yes/no cell as Shopify's CSV does.
func boolText(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func variantCells(row []string, p *catalog.Product, v *catalog.Variant, locs []string) {
	row[wSKU], row[wBarcode] = v.SKU, v.Barcode
	for k, val := range v.OptionValues {
		if k < catalog.MaxOptions {
			row[wOpt1Name+2*k+1] = val
		}
	}
	if len(p.Options) == 0 {
		row[wOpt1Name+1] = "Default Title"
	}
	if v.Fields.Has(catalog.FieldPrice) {
		row[wPrice] = v.Price.String()
	}
	if v.CompareAtPrice != 0 {
		row[wCompare] = v.CompareAtPrice.String()
	}
	// DENY/CONTINUE (the API enum) rather than FALSE/TRUE: the allowed values
	// are not documented (FACTS §10, UNCONFIRMED); public scripts that read
	// Shopify's current-format exports compare this column with "CONTINUE",
	// and ReadCSV accepts both forms.
	row[wPolicy] = v.InventoryPolicy
	if q, ok := v.Quantities.Get(catalog.DefaultLocation); ok && v.Fields.Has(catalog.FieldQuantity) {
		row[wQty] = strconv.Itoa(q)
	}
	for k, loc := range locs {
		if q, ok := v.Quantities.Get(loc); ok && v.Fields.Has(catalog.FieldQuantity) {
			row[wCount+k] = strconv.Itoa(q)
		}
	}
	row[wVarImg] = v.ImageSrc
	variantExtraCells(row, v)
}

// namedLocations lists the location names used by any variant, sorted.
func namedLocations(products []catalog.Product) []string {
	set := map[string]bool{}
	for i := range products {
		for j := range products[i].Variants {
			for _, q := range products[i].Variants[j].Quantities {
				if q.Location != catalog.DefaultLocation {
					set[q.Location] = true
				}
			}
		}
	}
	locs := make([]string, 0, len(set))
	for loc := range set {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	return locs
}

func locationHeaders(locs []string) []string {
	out := make([]string, len(locs))
	for i, loc := range locs {
		out[i] = "Inventory quantity / " + loc
	}
	return out
}

// metafieldHeaders lists the metafield columns of the products, sorted.
func metafieldHeaders(products []catalog.Product) []string {
	set := map[string]bool{}
	for i := range products {
		for _, m := range products[i].Metafields {
			set[m.Column] = true
		}
		for j := range products[i].Variants {
			for _, m := range products[i].Variants[j].Metafields {
				set[m.Column] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// metafieldCells writes metafield values into their columns.
func metafieldCells(row []string, mfs []catalog.Metafield, at map[string]int) {
	for _, m := range mfs {
		row[at[m.Column]] = m.Value
	}
}
