package source

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// allColumnsCSV is a current-dialect product CSV with n variants, four per
// product, and every column of Shopify's template (currentHeader) filled in.
func allColumnsCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(currentHeader, ",") + "\n")
	sizes := []string{"S", "M", "L", "XL"}
	for i := 0; i < n; i++ {
		p, k := i/4, i%4
		h := "product-" + strconv.Itoa(p)
		cells := make([]string, len(currentHeader))
		for c, name := range currentHeader {
			switch name {
			case "URL handle":
				cells[c] = h
			case "SKU":
				cells[c] = "SKU-" + strconv.Itoa(i)
			case "Barcode":
				cells[c] = "40063813" + strconv.Itoa(10000+i%90000)
			case "Option1 value":
				cells[c] = sizes[k]
			case "Price", "Price / International":
				cells[c] = strconv.Itoa(10+i%90) + ".99"
			case "Compare-at price", "Compare-at price / International":
				cells[c] = "149.00"
			case "Cost per item":
				cells[c] = "5.00"
			case "Inventory quantity":
				cells[c] = strconv.Itoa(i % 500)
			case "Weight value (grams)":
				cells[c] = "200"
			case "Weight unit for display":
				cells[c] = "kg"
			case "Charge tax", "Requires shipping", "Included / United States", "Included / International":
				cells[c] = "TRUE"
			case "Continue selling when out of stock", "Gift card":
				cells[c] = "FALSE"
			case "Tax code":
				cells[c] = "C0001"
			case "Unit price total measure":
				cells[c] = strconv.Itoa(250 * (k + 1))
			case "Unit price total measure unit", "Unit price base measure unit":
				cells[c] = "g"
			case "Unit price base measure":
				cells[c] = "100"
			case "Inventory tracker":
				cells[c] = "shopify"
			case "Fulfillment service":
				cells[c] = "manual"
			case "Variant image URL":
				cells[c] = "https://cdn.example.com/v/" + strconv.Itoa(i) + ".jpg"
			case "Fabric (variant.metafields.custom.fabric)":
				cells[c] = "cotton"
			}
			if k != 0 {
				continue
			}
			switch name {
			case "Title":
				cells[c] = "Product " + strconv.Itoa(p)
			case "Description":
				cells[c] = `"<p>Soft cotton, ""great"" fit.</p>"`
			case "Vendor":
				cells[c] = "Acme"
			case "Product category":
				cells[c] = "Apparel & Accessories > Clothing"
			case "Type":
				cells[c] = "Shirts"
			case "Tags":
				cells[c] = `"summer, cotton"`
			case "Published on online store":
				cells[c] = "TRUE"
			case "Status":
				cells[c] = "active"
			case "Option1 name":
				cells[c] = "Size"
			case "Product image URL":
				cells[c] = "https://cdn.example.com/p/" + h + ".jpg"
			case "Image position":
				cells[c] = "1"
			case "Image alt text", "SEO title":
				cells[c] = "Product " + strconv.Itoa(p)
			case "SEO description":
				cells[c] = "Soft cotton shirts"
			case "Color (product.metafields.shopify.color-pattern)":
				cells[c] = "blue"
			case "Google Shopping / Gender":
				cells[c] = "unisex"
			case "Google Shopping / MPN":
				cells[c] = "MPN-" + strconv.Itoa(p)
			}
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	return b.Bytes()
}

// BenchmarkParse100kAllColumns is BenchmarkParse100kVariants with every
// column of Shopify's current product CSV present. Goal: ≤ 1 s, ≤ 300 MB.
func BenchmarkParse100kAllColumns(b *testing.B) {
	const n = 100_000
	data := allColumnsCSV(n)
	b.SetBytes(int64(len(data)))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		cat, err := ReadCSV(bytes.NewReader(data), Options{})
		if err != nil || len(cat.Errors) > 0 || cat.VariantCount() != n || len(cat.Unsynced) == 0 {
			b.Fatalf("err %v, %d errors (%v), %d variants", err, len(cat.Errors), cat.Errors[:min(3, len(cat.Errors))], cat.VariantCount())
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
	b.ReportMetric(float64(len(data))/(1<<20), "MB-input")
	b.ReportMetric(liveMB(data), "MB-live")
}
