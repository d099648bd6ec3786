package source

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"
)

// shopifyCSV generates a current-dialect product CSV with n variants, four
// per product, two options, an image on each product's first row.
func shopifyCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode," +
		"Option1 name,Option1 value,Option2 name,Option2 value,Price,Compare-at price,Cost per item,Inventory tracker,Inventory quantity," +
		"Continue selling when out of stock,Weight value (grams),Product image URL,Image position,SEO title\n")
	sizes := []string{"S", "M", "L", "XL"}
	for i := 0; i < n; i++ {
		p, k := i/4, i%4
		h := "product-" + strconv.Itoa(p)
		if k == 0 {
			b.WriteString("Product " + strconv.Itoa(p) + "," + h + ",\"<p>Soft cotton, \"\"great\"\" fit.</p>\",Acme,Apparel,Shirts,\"summer, cotton\",TRUE,active,")
		} else {
			b.WriteString("," + h + ",,,,,,,,")
		}
		b.WriteString("SKU-" + strconv.Itoa(i) + ",40063813" + strconv.Itoa(10000+i%90000) + ",")
		if k == 0 {
			b.WriteString("Size,")
		} else {
			b.WriteString(",")
		}
		b.WriteString(sizes[k] + ",")
		if k == 0 {
			b.WriteString("Color,")
		} else {
			b.WriteString(",")
		}
		b.WriteString("Blue," + strconv.Itoa(10+i%90) + ".99,49.00,5.00,shopify," + strconv.Itoa(i%500) + ",FALSE,200,")
		if k == 0 {
			b.WriteString("https://cdn.example.com/p/" + h + ".jpg,1,")
		} else {
			b.WriteString(",,")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func BenchmarkParse100kVariants(b *testing.B) {
	const n = 100_000
	data := shopifyCSV(n)
	b.SetBytes(int64(len(data)))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cat, err := ReadCSV(bytes.NewReader(data), Options{})
		if err != nil || len(cat.Errors) > 0 || cat.VariantCount() != n {
			b.Fatalf("err %v, %d errors, %d variants", err, len(cat.Errors), cat.VariantCount())
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "variants/s")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
	b.ReportMetric(float64(len(data))/(1<<20), "MB-input")
	b.ReportMetric(liveMB(data), "MB-live")
}

// liveMB measures the heap a parsed catalog keeps alive.
func liveMB(data []byte) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cat, _ := ReadCSV(bytes.NewReader(data), Options{})
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(cat)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}
