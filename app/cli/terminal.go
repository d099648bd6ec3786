package cli

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// terminalSafe passes text to a terminal with its control characters made
// visible: a sheet cell (a SKU, a handle, a store or source name) may hold
// escape sequences that move the cursor, erase the preview lines shown
// before "Apply N changes? [y/N]" or retitle the window. C0 controls other
// than newline and tab, DEL, the C1 controls (U+0080–U+009F) and bytes that
// are not UTF-8 are written as \x1b, \u009b. JSON output has none of them
// (encoding/json escapes them); 'export --out -' writes through the raw
// writer, so an export still round-trips.
type terminalSafe struct {
	w     io.Writer
	carry []byte // an incomplete UTF-8 sequence at the end of the last Write
}

func (t *terminalSafe) Write(p []byte) (int, error) {
	buf := append(t.carry, p...)
	t.carry = nil
	out := make([]byte, 0, len(buf)+8)
	for i := 0; i < len(buf); {
		if !utf8.FullRune(buf[i:]) {
			t.carry = append([]byte(nil), buf[i:]...)
			break
		}
		r, size := utf8.DecodeRune(buf[i:])
		switch {
		case r == '\n' || r == '\t':
			out = append(out, byte(r))
		case r < 0x20 || r == 0x7f || r == utf8.RuneError && size == 1:
			out = fmt.Appendf(out, `\x%02x`, buf[i])
		case r >= 0x80 && r <= 0x9f:
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, buf[i:i+size]...)
		}
		i += size
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
