// Package source reads a product catalog from a spreadsheet: Shopify's
// product CSV in its legacy and current dialects, any supplier CSV or XLSX
// through a column Mapping, from a file or a URL (including Google Sheets
// links), and writes catalogs back as Shopify CSV.
//
// Every problem is reported as a catalog.RowError that points at a cell; a
// row with an error is left out and the rest of the sheet is still read.
// Problems with the file as a whole (empty, not a spreadsheet, no usable
// column, an unreachable URL) are returned as the error, with the catalog
// read so far (its Columns, when the header could be read) so a caller can
// offer a column mapping. Readers never panic on any input.
package source

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Options tune a read. The zero value detects the layout from the header.
type Options struct {
	// Mapping says which column holds which field; nil means Detect.
	Mapping *Mapping
	// Sheet names the XLSX worksheet to read; "" reads the first one.
	Sheet string
	// MaxBytes caps the size of a file or download; 0 means DefaultMaxBytes.
	MaxBytes int64
	// HTTPClient fetches URLs; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds a download when HTTPClient is nil; 0 means DefaultTimeout.
	Timeout time.Duration
	// BlankClears makes a blank cell clear its field ("blank means clear",
	// as Shopify's importer does), also when the Mapping doesn't say so. Off,
	// a blank cell leaves the field absent: it never deletes a value.
	BlankClears bool
}

// Defaults for Options.
const (
	DefaultMaxBytes = 100 << 20
	DefaultTimeout  = 2 * time.Minute
)

func (o *Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// ReadFile reads a local .csv, .txt, .tsv or .xlsx file (an XLSX is also
// recognised by its content, whatever its name).
func ReadFile(path string, opts Options) (*catalog.Catalog, error) {
	l, err := loadFile(path, opts)
	if err != nil {
		return nil, err
	}
	return l.Read(opts)
}

// Loaded is a sheet's bytes as read from a file or downloaded, not yet
// parsed: one read can serve more than one parse (the Sync tab looks at a
// sheet when it is chosen, then previews it).
type Loaded struct {
	data []byte
	ext  string // the file's or the address path's extension, lower case
	path string // the file read; "" for a download
	// info is the file as it was when read (nil when it could not be told),
	// to see whether it changed since.
	info os.FileInfo
}

// Read parses the loaded bytes with opts.
func (l *Loaded) Read(opts Options) (*catalog.Catalog, error) {
	return readBytes(l.data, l.ext, opts)
}

// Downloaded tells a download from a file.
func (l *Loaded) Downloaded() bool { return l.path == "" }

// Changed tells whether the file is no longer what was read: replaced
// (Excel saves by writing a new file), resized, modified or gone. A
// download can't tell without downloading again: false.
func (l *Loaded) Changed() bool {
	if l.Downloaded() {
		return false
	}
	now, err := os.Stat(l.path)
	return err != nil || l.info == nil || !os.SameFile(l.info, now) ||
		now.Size() != l.info.Size() || !now.ModTime().Equal(l.info.ModTime())
}

// loadFile reads a file's bytes, noting what the file was before reading
// it: a change made while it is read shows as a later modification.
func loadFile(path string, opts Options) (*Loaded, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError("can't open %s: %v", filepath.Base(path), err)
	}
	defer f.Close()
	var r io.Reader = f
	st, _ := f.Stat() // nil when it can't be told: Changed then says changed
	if st != nil && st.Mode().IsRegular() && st.Size() <= opts.maxBytes() {
		r = sizedReader{f, int(st.Size())} // read in one allocation
	}
	data, err := readAllCapped(r, opts.maxBytes())
	if err != nil {
		return nil, err
	}
	return &Loaded{data: data, ext: strings.ToLower(filepath.Ext(path)), path: path, info: st}, nil
}

// readBytes dispatches on content: a ZIP container is XLSX, anything else CSV.
func readBytes(data []byte, ext string, opts Options) (*catalog.Catalog, error) {
	if bytes.HasPrefix(data, zipMagic) || ext == ".xlsx" || ext == ".xlsm" {
		return ReadXLSX(bytes.NewReader(data), opts)
	}
	return readCSVBytes(data, opts)
}

// sizedReader tells readAllCapped how much to expect.
type sizedReader struct {
	io.Reader
	n int
}

func (s sizedReader) Len() int { return s.n }

// readAllCapped reads r fully, refusing more than limit bytes.
func readAllCapped(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if l, ok := r.(interface{ Len() int }); ok && int64(l.Len()) <= limit {
		buf.Grow(l.Len() + bytes.MinRead) // one allocation: ReadFrom wants MinRead spare bytes to see EOF
	}
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fileError("the file can't be read: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, fileError("the file is larger than %s", sizeText(limit))
	}
	return data, nil
}

// ReadCSV reads CSV text: UTF-8 with or without a BOM, UTF-16 with a BOM,
// or Windows-1252 when it isn't valid UTF-8; delimited by ",", ";" or tab
// (sniffed from the header line); CRLF or LF line ends; quoted cells may
// span lines.
func ReadCSV(r io.Reader, opts Options) (*catalog.Catalog, error) {
	data, err := readAllCapped(r, opts.maxBytes())
	if err != nil {
		return nil, err
	}
	return readCSVBytes(data, opts)
}

func readCSVBytes(data []byte, opts Options) (*catalog.Catalog, error) {
	dec, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	rows, header, err := newCSVRows(dec.text)
	if err != nil {
		return nil, err
	}
	cat, err := build(header, rows, opts, rows.r.Comma, dec.suspect, bytes.Count(dec.text, []byte{'\n'}))
	if cat != nil && dec.note != "" {
		cat.Notes = append([]string{dec.note}, cat.Notes...)
	}
	return cat, err
}

// build resolves the mapping against the header and reads every row.
// rowsHint estimates the number of rows, to size indexes up front.
func build(header []string, rows rowSource, opts Options, delim rune, suspect bool, rowsHint int) (*catalog.Catalog, error) {
	cat := &catalog.Catalog{Columns: header, Dialect: catalog.DialectMapped}
	nonEmpty := false
	for _, h := range header {
		nonEmpty = nonEmpty || h != ""
	}
	if !nonEmpty {
		return cat, catalog.Errorf(catalog.Cell{Row: 1}, "the header row is empty: the first row must name the columns")
	}
	var m Mapping
	if opts.Mapping != nil {
		m = *opts.Mapping
	} else {
		m = Detect(header)
	}
	if m.Dialect != "" {
		cat.Dialect = m.Dialect
	}
	l, err := resolve(&m, header, delim)
	if err != nil {
		return cat, err
	}
	cat.QuantityName = l.inv.name
	l.clearsSaved = l.clears // the mapping says so: saved with the sheet's columns
	l.clears = l.clears || opts.BlankClears
	cat.BlankClears = l.clears
	cat.Ignored, cat.Unsynced = l.ignored(), l.unsynced()
	b := newBuilder(l, cat, suspect, min(rowsHint, 1<<22))
	for {
		rec, ok := rows.next()
		if !ok {
			break
		}
		b.add(rec)
	}
	b.sealOpen()
	if n := b.blankNote(); n != "" {
		cat.Notes = append(cat.Notes, n)
	}
	if b.nonBlank == 0 {
		return cat, catalog.Errorf(catalog.Cell{Row: 2}, "the sheet has a header row but no data rows")
	}
	return cat, nil
}

// sizeText renders a byte limit for people: "100 MB", "512 bytes".
func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
