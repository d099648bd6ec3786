package source

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/xuri/excelize/v2"
)

// xlsxUnzipLimit bounds how much an XLSX may expand when unzipped, so a
// small hostile file can't exhaust memory.
const xlsxUnzipLimit = 1 << 30

// ReadXLSX reads the first worksheet of an Excel workbook, or the one named
// by opts.Sheet. A formula cell gives its cached value (the result Excel
// saved); a formula without one is a cell error, as is a cached error value
// such as #N/A.
func ReadXLSX(r io.Reader, opts Options) (cat *catalog.Catalog, err error) {
	data, err := readAllCapped(r, opts.maxBytes())
	if err != nil {
		return nil, err
	}
	defer recoverWorkbook(&err)
	f, err := openWorkbook(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheet, others, err := pickSheet(f.GetSheetList(), opts.Sheet)
	if err != nil {
		return nil, err
	}
	if err := checkPadding(data, sheet); err != nil {
		return nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError("sheet %q can't be read: %v", sheet, err)
	}
	defer rows.Close()
	x := &xlsxRows{data: data, rows: rows, sheet: sheet, formulas: hasFormulas(data)}
	defer x.close()
	if app, err := f.GetAppProps(); err == nil && app.Application != "" && app.Application != "Go Excelize" {
		x.computed = true
	}
	if !rows.Next() {
		return nil, fileError("sheet %q is empty", sheet)
	}
	hdr, _ := rows.Columns(excelize.Options{RawCellValue: true})
	if len(hdr) > MaxColumns {
		return nil, tooManyColumns(1, len(hdr))
	}
	x.row, x.header = 1, make([]string, len(hdr))
	for i, h := range hdr {
		x.header[i] = trimHeader(h)
	}
	cat, err = build(x.header, x, opts, ',', false, 1024)
	if cat != nil && len(others) > 0 {
		cat.Notes = append(cat.Notes, "read sheet "+strconv.Quote(sheet)+"; the workbook also has "+strings.Join(quoteAll(others), ", "))
	}
	return cat, err
}

// recoverWorkbook turns a panic inside excelize, a large parser of
// untrusted input, into an error: it must never take the app down.
func recoverWorkbook(err *error) {
	if p := recover(); p != nil {
		*err = fileError("the workbook can't be read (%v)", p)
	}
}

func openWorkbook(data []byte) (*excelize.File, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit})
	if err != nil {
		return nil, fileError("this is not an Excel workbook that can be read (%v): save it as .xlsx or CSV UTF-8", err)
	}
	return f, nil
}

// pickSheet chooses the sheet to read (want, or the first) and lists the others.
func pickSheet(sheets []string, want string) (sheet string, others []string, err error) {
	switch {
	case len(sheets) == 0:
		return "", nil, fileError("the workbook has no worksheet")
	case want == "":
		want = sheets[0]
	case !contains(sheets, want):
		return "", nil, fileError("the workbook has no sheet %q (it has %s)", want, strings.Join(quoteAll(sheets), ", "))
	}
	for _, s := range sheets {
		if s != want {
			others = append(others, s)
		}
	}
	return want, others, nil
}

// SheetNames lists the worksheets of an XLSX workbook in order, so a user
// can pick one for Options.Sheet.
func SheetNames(r io.Reader) (names []string, err error) {
	data, err := readAllCapped(r, DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	defer recoverWorkbook(&err)
	f, err := openWorkbook(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetSheetList(), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}

// xlsxRows yields the rows of one worksheet.
type xlsxRows struct {
	data   []byte // the workbook, for the streaming pass over cell types
	rows   *excelize.Rows
	sheet  string
	header []string
	row    int
	// computed is set when the workbook was saved by a spreadsheet app
	// that calculates formulas (Excel, LibreOffice, Google Sheets), so an
	// empty text result (t="str") is a real empty string. Libraries such
	// as excelize and openpyxl write formulas without results.
	computed bool
	// formulas is false when no worksheet has a formula, which spares the
	// pass over cell types for empty cells.
	formulas bool
	scan     *sheetScanner // opened on first need
	scanErr  error
}

func (x *xlsxRows) next() (record, bool) {
	if !x.rows.Next() {
		return record{}, false
	}
	x.row++
	rec := record{row: x.row}
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		rec.errs = append(rec.errs, catalog.Errorf(catalog.Cell{Row: x.row}, "the row can't be read: %v", err))
		return rec, true
	}
	for i := range x.header {
		if i < len(cells) && cells[i] != "" {
			cells[i] = x.value(i, cells[i], &rec)
			continue
		}
		if !x.formulas {
			continue
		}
		if m := x.mark(i, &rec); m.formula && (m.t != "str" || !x.computed) {
			formula := "(=" + m.text + ")"
			if m.text == "" {
				formula = "(a shared formula)"
			}
			rec.cellErrs = append(rec.cellErrs, cellErr{i, catalog.Errorf(catalog.Cell{Row: x.row, Column: x.header[i]},
				"formula without a cached value %s: save the file in Excel first", formula)})
		}
	}
	rec.cells = cells
	return rec, true
}

// mark returns what the streaming pass saw of column i in the current row.
// If the pass fails, the row gets an error once and the cell counts as plain.
func (x *xlsxRows) mark(i int, rec *record) cellMark {
	if x.scan == nil && x.scanErr == nil {
		x.scan, x.scanErr = newSheetScanner(x.data, x.sheet, len(x.header))
	}
	var marks map[int]cellMark
	if x.scanErr == nil {
		marks, x.scanErr = x.scan.at(x.row)
		if x.scanErr != nil {
			rec.errs = append(rec.errs, catalog.Errorf(catalog.Cell{Row: x.row}, "the sheet's cell types can't be read: %v", x.scanErr))
		}
	}
	return marks[i]
}

func (x *xlsxRows) close() {
	if x.scan != nil {
		x.scan.Close()
	}
}

// value cleans one non-empty raw cell value: cached formula errors become
// cell errors, and binary floating-point noise ("19.899999999999999") is
// rounded to the 15 significant digits Excel itself shows.
func (x *xlsxRows) value(i int, v string, rec *record) string {
	if strings.HasPrefix(v, "#") {
		if x.mark(i, rec).t == "e" {
			rec.cellErrs = append(rec.cellErrs, cellErr{i, catalog.Errorf(catalog.Cell{Row: x.row, Column: x.header[i]}, "the cell holds an error value %s: fix the formula", v)})
		}
		return v
	}
	if isFloatNoise(v) {
		f, _ := strconv.ParseFloat(v, 64)
		g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
		return strconv.FormatFloat(g, 'f', -1, 64)
	}
	return v
}

// isFloatNoise reports a plain decimal number ("19.899999999999999") with
// more significant digits than a double holds, as Excel stores computed
// values. Anything else (SKUs like "12E45", text) is left alone.
func isFloatNoise(v string) bool {
	dot, digits := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '.':
			dot++
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				digits++
			}
		case c == '-' && i == 0:
		default:
			return false
		}
	}
	return dot == 1 && digits > 15
}

// hasFormulas reports whether any worksheet of the XLSX in data contains a
// formula element (<f>), reading the archive as a stream. When unsure (the
// archive can't be read) it says yes.
func hasFormulas(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return true
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return true
		}
		found := containsFormula(io.LimitReader(rc, xlsxUnzipLimit))
		rc.Close()
		if found {
			return true
		}
	}
	return false
}

// formulaTags start a formula element, with or without a namespace prefix.
var formulaTags = [][]byte{[]byte("<f>"), []byte("<f "), []byte(":f>"), []byte(":f ")}

// containsFormula scans XML for a formula element in chunks, keeping a short
// overlap so a tag split across chunks is still seen.
func containsFormula(r io.Reader) bool {
	buf := make([]byte, 64<<10)
	carry := 0
	for {
		n, err := r.Read(buf[carry:])
		chunk := buf[:carry+n]
		for _, tag := range formulaTags {
			if bytes.Contains(chunk, tag) {
				return true
			}
		}
		if err != nil {
			return false
		}
		carry = copy(buf, chunk[max(0, len(chunk)-2):])
	}
}
