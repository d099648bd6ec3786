package sync

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// allColumnsHeader is Shopify's legacy product CSV with every column (FACTS
// §10), a metafield column and two markets, as a real export has them.
const allColumnsHeader = "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value," +
	"Option1 Linked To,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy," +
	"Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode," +
	"Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category," +
	"Google Shopping / Gender,Google Shopping / MPN,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item," +
	"Color (product.metafields.shopify.color-pattern),Included / United States,Price / United States,Included / International," +
	"Price / International,Compare At Price / International,Unit Price Total Measure,Unit Price Total Measure Unit," +
	"Unit Price Base Measure,Unit Price Base Measure Unit,Status\n"

// genAllColumnsCSV is genCSV's catalog with every column of the legacy
// product CSV filled in.
func genAllColumnsCSV(n, k int) string {
	var b bytes.Buffer
	b.WriteString(allColumnsHeader)
	for i := range n {
		for j := range k {
			if j == 0 {
				fmt.Fprintf(&b, "prod-%d,Product %d,<p>Soft cotton</p>,Acme,Apparel & Accessories > Clothing,Shirts,\"a, b\",TRUE,Size,", i, i)
			} else {
				fmt.Fprintf(&b, "prod-%d,,,,,,,,,", i)
			}
			fmt.Fprintf(&b, "S%d,,SKU-%d-%d,145,shopify,%d,deny,manual,10.00,,TRUE,TRUE,4006381%06d,", j, i, j, i+j, i*k+j)
			if j == 0 {
				fmt.Fprintf(&b, "https://cdn.example.com/p/%d.jpg,1,Product %d,FALSE,Product %d | Shop,Soft cotton shirts,212,unisex,M-%d,", i, i, i, i)
			} else {
				b.WriteString(",,,,,,,,,")
			}
			fmt.Fprintf(&b, ",kg,C0001,4.20,red,TRUE,12.00,TRUE,14.00,,750,ml,1,l,")
			if j == 0 {
				b.WriteString("active")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// genAllColumnsSnapshot is genSnapshot with the extra fields of genAllColumnsCSV.
func genAllColumnsSnapshot(n, k int, loc string) []SnapProduct {
	ps := genSnapshot(n, k, loc)
	for i := range ps {
		p := &ps[i]
		p.DescriptionHTML, p.ProductType = "<p>Soft cotton</p>", "Shirts"
		p.SEOTitle, p.SEODescription = fmt.Sprintf("Product %d | Shop", i), "Soft cotton shirts"
		for j := range p.Variants {
			v := &p.Variants[j]
			v.Barcode = fmt.Sprintf("4006381%06d", i*k+j)
			v.Weight, v.WeightUnit, v.Cost, v.RequiresShipping, v.Taxable = 0.145, "KILOGRAMS", "4.20", true, true
			u := unitPrice750ml // one each, as a store read gives them
			v.UnitPrice = &u
		}
	}
	return ps
}

// unitPrice750ml is genAllColumnsCSV's unit price.
var unitPrice750ml, _ = catalog.ParseUnitPrice("750 ml per 1 l")

// BenchmarkPlan100kAllColumns is BenchmarkPlan100k with every column of
// Shopify's legacy product CSV present (synced or listed as not synced).
// Goal: ≤ 1 s and ≤ 300 MB peak heap on 2 cores.
func BenchmarkPlan100kAllColumns(b *testing.B) {
	const n, k = 10000, 10
	loc := Location{ID: "gid://shopify/Location/1", Name: "Main warehouse", IsActive: true}
	st := &memStore{locs: []Location{loc}, ps: genAllColumnsSnapshot(n, k, loc.ID)}
	benchPlan(b, st, genAllColumnsCSV(n, k), func(p *Plan) bool {
		return p.Counts.Variants.Update == n*k/10 && p.Counts.Variants.Unchanged == n*k*9/10 && len(p.Unsynced) > 0
	})
}
