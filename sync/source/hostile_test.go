package source

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/xuri/excelize/v2"
)

// paddedXLSX is the security review's XLSX memory bomb: a header, a row
// with a formula that has no cached value (so empty cells must be checked
// for formulas) and a cached error value, then rows that each hold one cell
// in the last column, XFD. excelize pads a row to its last cell, so loading
// the sheet whole costs about 4 MB per row. The sheet XML is written straight
// into the archive, so building a large one costs little memory.
func paddedXLSX(t testing.TB, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetCellValue("Sheet1", "A1", "Handle")
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "xl/worksheets/sheet1.xml" {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
				`<row r="1"><c r="A1" t="inlineStr"><is><t>Handle</t></is></c><c r="B1" t="inlineStr"><is><t>Title</t></is></c>`+
				`<c r="C1" t="inlineStr"><is><t>Variant Price</t></is></c></row>`+
				`<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2"><f>1+1</f></c><c r="C2" t="e"><v>#N/A</v></c></row>`+
				`<row r="3"><c r="A3" t="inlineStr"><is><t>#hashtag</t></is></c><c r="B3" t="inlineStr"><is><t>Tagged</t></is></c></row>`)
			for r := 4; r < 4+rows; r++ {
				fmt.Fprintf(w, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
			}
			io.WriteString(w, `</sheetData></worksheet>`)
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// peakHeap runs fn and returns the most heap its objects took while it ran,
// sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base, peak := read(), uint64(0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			if peak = max(peak, read()); peak < base {
				return 0
			}
			return peak - base
		case <-t.C:
			peak = max(peak, read())
		}
	}
}

// TestPaddedXLSXIsStreamed: the review's 7 KB workbook with 150 rows in
// column XFD took 666 MB (400 rows: 1.6 GB), because checking a cell for a formula or an error
// value loaded the whole sheet. Now the check streams: the formula without
// a cached value, the cached error and the stray cells are all still found,
// at a cost per row of the header's width, not of the sheet.
func TestPaddedXLSXIsStreamed(t *testing.T) {
	data := paddedXLSX(t, 150)
	var cat *catalog.Catalog
	var err error
	n := peakHeap(func() { cat, err = ReadXLSX(bytes.NewReader(data), Options{}) })
	t.Logf("%d-byte workbook: peak heap %d MB", len(data), n>>20)
	if err != nil {
		t.Fatal(err)
	}
	if n > 64<<20 {
		t.Fatalf("reading a %d-byte workbook took %d MB", len(data), n>>20)
	}
	if !findError(cat, nil, catalog.Cell{Row: 2, Column: "Title"}, "formula without a cached value (=1+1)") ||
		!findError(cat, nil, catalog.Cell{Row: 2, Column: "Variant Price"}, "error value #N/A") {
		t.Errorf("formula and error cells not reported: %v", cat.Errors[:min(3, len(cat.Errors))])
	}
	if findError(cat, nil, catalog.Cell{Row: 3, Column: "Handle"}, "error value") {
		t.Error("a text cell starting with # was taken for an error value")
	}
	if !findError(cat, nil, catalog.Cell{Row: 4}, "the header only 3") {
		t.Errorf("the stray cell in XFD4 was not reported: %v", cat.Errors[:min(3, len(cat.Errors))])
	}
}

// TestCSVColumnCap: a row wider than a spreadsheet can be is refused before
// the CSV reader builds its cells (one line of commas was 100 bytes of
// memory per byte of file); commas inside quotes are text, not columns.
func TestCSVColumnCap(t *testing.T) {
	wide := "Handle,Title" + strings.Repeat(",", MaxColumns-1) + "\n"
	for name, tc := range map[string]struct {
		text    string
		refused int // the row refused, 0 for none
	}{
		"header at the cap":       {"Handle,Title" + strings.Repeat(",", MaxColumns-2) + "\nx,y\n", 0},
		"header over the cap":     {wide + "x,y\n", 1},
		"data row over the cap":   {"Handle,Title\nx,y\n" + wide, 3},
		"commas inside quotes":    {"Handle,Title\nx,\"" + strings.Repeat(",", 2*MaxColumns) + "\"\n", 0},
		"semicolons over the cap": {"sep=;\nHandle;Title" + strings.Repeat(";", MaxColumns) + "\n", 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tc.text), Options{})
			refused := err != nil && strings.Contains(err.Error(), strconv.Itoa(MaxColumns))
			if refused != (tc.refused > 0) || refused && !strings.Contains(err.Error(), "row "+strconv.Itoa(tc.refused)) {
				t.Fatalf("err = %v, want the row %d refused", err, tc.refused)
			}
		})
	}
}

// hostileSize is the size of the hostile inputs of the benchmarks:
// SHELFSYNC_HOSTILE_MB, or the file cap.
func hostileSize(b *testing.B) int {
	if mb, err := strconv.Atoi(os.Getenv("SHELFSYNC_HOSTILE_MB")); err == nil && mb > 0 {
		return mb << 20
	}
	return DefaultMaxBytes
}

// reportPeak reports the most memory the Go runtime took from the system
// (Sys never shrinks much, so after the run it is close to the peak). Run one
// benchmark per process to read it: go test -run '^$' -bench Hostile.
func reportPeak(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "peak-MB")
}

// BenchmarkHostileCSV reads the review's wide-header CSV (Handle,Title and
// then only commas) as large as the file cap allows.
func BenchmarkHostileCSV(b *testing.B) {
	size := hostileSize(b)
	data := make([]byte, size)
	copy(data, "Handle,Title")
	for i := len("Handle,Title"); i < size-1; i++ {
		data[i] = ','
	}
	data[size-1] = '\n'
	b.ResetTimer()
	for range b.N {
		_, err := ReadCSV(bytes.NewReader(data), Options{})
		if err == nil {
			b.Fatal("accepted")
		}
	}
	reportPeak(b)
}

// BenchmarkHostileXLSX reads the padded workbook with as many XFD rows as a
// sheet may have (1,048,576; the archive stays far below the file cap), or
// SHELFSYNC_HOSTILE_ROWS.
func BenchmarkHostileXLSX(b *testing.B) {
	rows := excelize.TotalRows - 3
	if n, err := strconv.Atoi(os.Getenv("SHELFSYNC_HOSTILE_ROWS")); err == nil && n > 0 {
		rows = n
	}
	data := paddedXLSX(b, rows)
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	b.ResetTimer()
	for range b.N {
		// Refused (too many padded cells) or read: either way, in bounded memory.
		if _, err := ReadXLSX(bytes.NewReader(data), Options{}); err != nil && !strings.Contains(err.Error(), "cells far from the rest") {
			b.Fatal(err)
		}
	}
	reportPeak(b)
}
