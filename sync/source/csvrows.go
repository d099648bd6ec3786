package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// record is one data row of a sheet.
type record struct {
	row   int      // spreadsheet row number (the header is row 1)
	cells []string // may be shorter than the header: missing cells are empty
	errs  []catalog.RowError
	// cellErrs are problems in one cell (an XLSX formula without a value)
	// that only matter when the mapping uses that column.
	cellErrs []cellErr
}

// cellErr is a problem in column col of a record.
type cellErr struct {
	col int
	err catalog.RowError
}

// rowSource yields the data rows of a sheet after its header.
type rowSource interface {
	next() (record, bool)
}

// csvRows reads records from CSV text.
type csvRows struct {
	r      *csv.Reader
	header []string
	row    int
	done   bool
}

// MaxColumns is the most columns a sheet may have, Excel's own limit. It
// bounds the memory one row costs: without it one line of commas in a
// 100 MB file becomes a hundred million cells (about 10 GB).
const MaxColumns = 16384

// tooManyColumns refuses a sheet with a row wider than MaxColumns.
func tooManyColumns(row, n int) error {
	return catalog.Errorf(catalog.Cell{Row: row}, "the row has %d or more columns, more than the %d a spreadsheet can have: this is not a catalog sheet", n, MaxColumns)
}

// newCSVRows reads the header of text and returns the rows after it.
func newCSVRows(text []byte) (*csvRows, []string, error) {
	comma, skip := excelSepLine(text)
	if skip > 0 {
		text = text[skip:]
	} else {
		comma = sniffDelimiter(text)
	}
	if row := widerThanMax(text, comma); row > 0 {
		return nil, nil, tooManyColumns(row, MaxColumns+1)
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, catalog.Errorf(catalog.Cell{Row: 1}, "the header row can't be read: %s", quotingProblem(pe))
		}
		return nil, nil, fileError("the file is empty")
	}
	header := make([]string, len(hdr))
	for i, h := range hdr {
		header[i] = trimHeader(h)
	}
	return &csvRows{r: r, header: header, row: 1}, header, nil
}

func (c *csvRows) next() (record, bool) {
	if c.done {
		return record{}, false
	}
	cells, err := c.r.Read()
	if err == io.EOF {
		c.done = true
		return record{}, false
	}
	c.row++
	rec := record{row: c.row, cells: cells}
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			c.done = true
			rec.errs = append(rec.errs, catalog.Errorf(catalog.Cell{Row: c.row}, "the file can't be read: %v", err))
			return rec, true
		}
		col := ""
		if len(cells) < len(c.header) {
			col = c.header[len(cells)]
		}
		rec.errs = append(rec.errs, catalog.Errorf(catalog.Cell{Row: c.row, Column: col}, "%s", quotingProblem(pe)))
		rec.cells = nil
	}
	return rec, true
}

// widerThanMax returns the first record (1-based) of CSV text with more
// than MaxColumns cells, or 0. It runs before the CSV reader, which would
// build every cell of a record first, and counts delimiters outside quotes
// (a doubled quote toggles twice, so it needs no case of its own).
func widerThanMax(text []byte, comma rune) int {
	if comma >= 0x80 {
		return 0 // only ASCII delimiters are sniffed
	}
	c := byte(comma)
	quoted, cells, record := false, 1, 1
	for len(text) > 0 {
		line := text
		if end := bytes.IndexByte(text, '\n'); end >= 0 {
			line = text[:end+1]
		}
		text = text[len(line):]
		if !quoted && bytes.IndexByte(line, '"') < 0 {
			// Most lines have no quotes: their delimiters are counted at once.
			if cells += bytes.Count(line, []byte{c}); cells > MaxColumns {
				return record
			}
			if line[len(line)-1] == '\n' {
				cells = 1
				record++
			}
			continue
		}
		if scanCells(line, c, &quoted, &cells, &record) {
			return record
		}
	}
	return 0
}

// scanCells counts the cells of text byte by byte from the state given
// (inside quotes, cells so far in the record, record number) and reports
// whether the record passed MaxColumns.
func scanCells(text []byte, c byte, quoted *bool, cells, record *int) bool {
	for _, b := range text {
		switch {
		case b == '"':
			*quoted = !*quoted
		case *quoted:
		case b == c:
			if *cells++; *cells > MaxColumns {
				return true
			}
		case b == '\n':
			*cells = 1
			*record++
		}
	}
	return false
}

// quotingProblem explains a CSV syntax error in a user's words.
func quotingProblem(pe *csv.ParseError) string {
	where := " (line " + strconv.Itoa(pe.Line) + " of the file)"
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return `broken quoting: a " inside a cell that doesn't start with a quote; write the cell as "…""…" (double the quote)` + where
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine+1:
		return `broken quoting: a quoted cell that starts on line ` + strconv.Itoa(pe.StartLine) + ` is not closed properly` + where
	case errors.Is(pe.Err, csv.ErrQuote):
		return `broken quoting: a quoted cell has text after its closing quote, or is never closed` + where
	}
	return pe.Err.Error() + where
}

// trimHeader trims a header cell, including a stray BOM and non-breaking spaces.
func trimHeader(h string) string {
	return strings.Trim(h, " \t\r\n\ufeff\u00a0")
}

// excelSepLine recognises Excel's "sep=;" first line, which names the
// delimiter and which Excel doesn't show as a row. It returns the delimiter
// and the length of the line to skip (0 when absent).
func excelSepLine(text []byte) (rune, int) {
	if len(text) < 5 || !bytes.EqualFold(text[:4], []byte("sep=")) {
		return 0, 0
	}
	end := bytes.IndexByte(text, '\n')
	if end < 0 {
		return 0, 0
	}
	line := bytes.TrimRight(text[4:end], "\r")
	if len(line) != 1 || line[0] == '"' || line[0] == '\r' || line[0] == '\n' {
		return 0, 0
	}
	return rune(line[0]), end + 1
}
