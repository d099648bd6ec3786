package source

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// BenchmarkReadXLSX20k reads a 20,000-row supplier workbook with empty cells
// (each of which is checked for a formula without a cached value).
func BenchmarkReadXLSX20k(b *testing.B) {
	const n = 20_000
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"SKU", "EAN", "Price", "Compare at price", "Qty", "Stock - Berlin"})
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"S-" + strconv.Itoa(i), nil, float64(i%100) + 0.99, nil, i % 50, nil})
	}
	sw.Flush()
	var buf bytes.Buffer
	f.Write(&buf)
	data := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cat, err := ReadXLSX(bytes.NewReader(data), Options{})
		if err != nil || len(cat.Variants) != n {
			b.Fatalf("%v %d %v", err, len(cat.Variants), cat.Errors[:1])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
