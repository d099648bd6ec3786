package source

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decoded is a source file as UTF-8 text.
type decoded struct {
	text []byte
	note string // how the encoding was handled, when worth telling
	// suspect is set when the text went through a fallback, so cells are
	// checked for characters that could not be decoded.
	suspect bool
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	zipMagic   = []byte("PK\x03\x04")
)

// fileError is an error about the whole file, pointing at no cell.
func fileError(format string, args ...any) error {
	return catalog.Errorf(catalog.Cell{}, format, args...)
}

// decodeText turns raw bytes into UTF-8 text without a byte order mark:
// UTF-8 as is, UTF-16 when it starts with a BOM (Excel's "Unicode text"),
// and anything else that isn't valid UTF-8 as Windows-1252, the encoding
// Excel on Windows uses for "CSV (comma delimited)".
func decodeText(b []byte) (decoded, error) {
	switch {
	case bytes.HasPrefix(b, zipMagic):
		return decoded{}, fileError("this is an Excel workbook (XLSX), not a CSV file: open it as .xlsx")
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(b)
		if err != nil {
			return decoded{}, fileError("the file starts like UTF-16 text but can't be decoded: save it as CSV UTF-8")
		}
		return decoded{text: out, note: "read as UTF-16 text", suspect: true}, nil
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return decoded{}, fileError("the file is empty")
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return decoded{}, fileError("this is not a text file (it contains NUL bytes): save it as CSV UTF-8")
	}
	if utf8.Valid(b) {
		return decoded{text: b}, nil
	}
	line := 1 + bytes.Count(b[:firstInvalidUTF8(b)], []byte{'\n'})
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return decoded{}, errors.Join(fileError("the file is neither UTF-8 nor Windows-1252 text"), err)
	}
	return decoded{
		text:    out,
		note:    "the file is not valid UTF-8 (first at line " + strconv.Itoa(line) + "); it was read as Windows-1252 (Western European). Save it as CSV UTF-8 to be sure accents come out right",
		suspect: true,
	}, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// sniffDelimiter picks the delimiter of the header line: the most frequent
// of ',', ';' and tab outside quotes (ties go to ','). European Excel writes
// ';' because ',' is its decimal separator.
func sniffDelimiter(text []byte) rune {
	var counts [256]int // not a map: the first line of a hostile file may be 100 MB
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' || c == '\r' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}
