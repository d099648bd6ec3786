package source

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellMark is what ReadXLSX needs to know of a cell beyond its value: its
// type attribute and whether it holds a formula. excelize's random-access
// getters (GetCellFormula, GetCellType) would tell, but their first call
// loads the whole sheet and pads every row to its last used column: a few
// kilobytes of XML with cells in column XFD cost gigabytes. So these come
// from a streaming pass of their own over the sheet's XML, alongside
// excelize's Rows() iterator, keeping only the header's columns of the
// current row.
type cellMark struct {
	t       string // the t attribute: "e" a cached error, "str" a formula's text result, …
	formula bool   // has an <f> child
	text    string // the formula, shortened; "" for a shared formula's dependents
}

// maxFormulaText bounds the formula text kept for a message.
const maxFormulaText = 200

// sheetScanner reads one worksheet's XML forward, one row at a time.
type sheetScanner struct {
	dec   *xml.Decoder
	rc    io.ReadCloser
	width int              // columns kept: the header's
	row   int              // the row last read
	marks map[int]cellMark // that row's marked cells, by 0-based column
	last  int              // that row's last column (0-based), -1 for none
	cells int              // that row's cells in the XML
	ahead *xml.StartElement
	done  bool
}

// newSheetScanner opens the XML of the named sheet in the XLSX in data.
func newSheetScanner(data []byte, sheet string, width int) (*sheetScanner, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	name, err := sheetXMLPath(zr, sheet)
	if err != nil {
		return nil, err
	}
	rc, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	return &sheetScanner{dec: xml.NewDecoder(io.LimitReader(rc, xlsxUnzipLimit)), rc: rc, width: width}, nil
}

func (s *sheetScanner) Close() error { return s.rc.Close() }

// at returns the marked cells of row (1-based), which must not be before
// the row asked for last.
func (s *sheetScanner) at(row int) (map[int]cellMark, error) {
	for s.row < row && !s.done {
		if err := s.readRow(); err != nil {
			return nil, err
		}
	}
	if s.row != row {
		return nil, nil
	}
	return s.marks, nil
}

// readRow reads the next <row> element, or sets done at the end.
func (s *sheetScanner) readRow() error {
	start := s.ahead
	s.ahead = nil
	for start == nil {
		tok, err := s.dec.RawToken()
		if err == io.EOF {
			s.done = true
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "row" {
			start = &se
		}
	}
	s.row++
	if r, ok := attr(start, "r"); ok {
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 || n > excelize.TotalRows {
			return errors.New("bad row number " + strconv.Quote(r))
		}
		s.row = n
	}
	s.marks = map[int]cellMark{}
	s.last, s.cells = -1, 0
	col := -1
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "row" {
				return nil
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "row": // a row not closed: malformed, but carry on as excelize does
				s.ahead = &t
				return nil
			case "c":
				col++
				if r, ok := attr(&t, "r"); ok {
					c, _, err := excelize.CellNameToCoordinates(r)
					if err != nil {
						return err
					}
					col = c - 1
				}
				m, err := s.readCell(&t)
				if err != nil {
					return err
				}
				s.cells++
				s.last = max(s.last, col)
				if col < s.width && (m.formula || m.t == "e") {
					s.marks[col] = m
				}
			}
		}
	}
}

// readCell reads one <c> element up to its end.
func (s *sheetScanner) readCell(start *xml.StartElement) (cellMark, error) {
	m := cellMark{}
	m.t, _ = attr(start, "t")
	inF := false
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return m, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "f" {
				m.formula, inF = true, true
			}
		case xml.CharData:
			if inF && len(m.text) < maxFormulaText {
				m.text += string(t[:min(len(t), maxFormulaText-len(m.text))])
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "f":
				inF = false
			case "c":
				return m, nil
			}
		}
	}
}

// paddingBudget bounds the empty cells excelize's Rows() makes up for a
// whole sheet: it fills each row's slice up to the row's last cell. A
// stray cell in column XFD costs 16,383 of them, so this is about 1,000
// such rows: a few seconds, and memory for one row at a time.
// Sparse sheets that spreadsheet apps save (empty cells left out) stay far
// below it.
const paddingBudget = 16 << 20

// checkPadding refuses a sheet whose rows reach so far past their cells
// that reading it would churn through gigabytes, before excelize starts.
// It streams the sheet's XML, as fast as a tokenizer goes; a sheet it can't
// read is left for excelize to judge.
func checkPadding(data []byte, sheet string) error {
	s, err := newSheetScanner(data, sheet, 0)
	if err != nil {
		return nil
	}
	defer s.Close()
	padded := 0
	for {
		if err := s.readRow(); err != nil || s.done {
			return nil
		}
		if padded += s.last + 1 - s.cells; padded > paddingBudget {
			cell, _ := excelize.CoordinatesToCellName(s.last+1, s.row)
			return fileError("the sheet has cells far from the rest in many rows (the last one read is %s): reading it would take gigabytes; delete the stray cells, or copy the catalog to a new sheet", cell)
		}
	}
}

func attr(se *xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// sheetXMLPath finds the part holding the named worksheet, the way excelize
// does: the package's office document (the workbook), its sheet's r:id, and
// the workbook's relationship with that ID.
func sheetXMLPath(zr *zip.Reader, sheet string) (string, error) {
	workbook := "xl/workbook.xml"
	if rels, err := readRels(zr, "_rels/.rels"); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := readXMLPart(zr, workbook, &wb); err != nil {
		return "", err
	}
	id := ""
	for _, s := range wb.Sheets {
		if strings.EqualFold(s.Name, sheet) {
			for _, a := range s.Attrs {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
		}
	}
	dir := path.Dir(workbook)
	rels, err := readRels(zr, path.Join(dir, "_rels", path.Base(workbook)+".rels"))
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if r.ID == id && id != "" {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Clean(path.Join(dir, r.Target)), nil
		}
	}
	return "", errors.New("the workbook does not say where sheet " + strconv.Quote(sheet) + " is")
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

func readRels(zr *zip.Reader, name string) ([]relationship, error) {
	var rels struct {
		Items []relationship `xml:"Relationship"`
	}
	err := readXMLPart(zr, name, &rels)
	return rels.Items, err
}

// maxPartBytes bounds the workbook and relationship parts read whole: they
// list sheets, not cells.
const maxPartBytes = 16 << 20

func readXMLPart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return xml.NewDecoder(io.LimitReader(f, maxPartBytes)).Decode(v)
}
