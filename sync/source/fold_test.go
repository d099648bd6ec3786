package source

import (
	"strings"
	"testing"
)

// TestLowerIsOneOf: lowerIsOneOf answers as comparing strings.ToLower(s)
// would, including for non-ASCII cells that simple case folding would take
// for ASCII words ("yeſ" with a long s is not "yes" once lowered).
func TestLowerIsOneOf(t *testing.T) {
	words := []string{"true", "yes", "y", "1", "t"}
	for _, s := range []string{"TRUE", "True", "true", "YES", "y", "T", "1", "yeſ", "\u212a", "TRUEE", "", "ｔｒｕｅ", "tRuE"} {
		want := false
		for _, w := range words {
			want = want || strings.ToLower(s) == w
		}
		if got := lowerIsOneOf(s, words...); got != want {
			t.Errorf("lowerIsOneOf(%q) = %v, want %v", s, got, want)
		}
	}
	if pol, err := parsePolicy("CONTINUE"); err != nil || pol != "CONTINUE" {
		t.Errorf("parsePolicy(CONTINUE) = %q, %v", pol, err)
	}
}

// TestWiderThanMaxLineByLine: widerThanMax counts the lines without quotes
// at once; it must find the same record as counting byte by byte, with
// quoted newlines and delimiters, and rows just under and over the cap.
func TestWiderThanMaxLineByLine(t *testing.T) {
	byteByByte := func(text []byte, c byte) int { // the whole text through the slow path
		quoted, cells, record := false, 1, 1
		if scanCells(text, c, &quoted, &cells, &record) {
			return record
		}
		return 0
	}
	under, over := strings.Repeat(",", MaxColumns-1), strings.Repeat(",", MaxColumns)
	half := strings.Repeat(",", MaxColumns/2)
	for _, in := range []string{
		"a,b\nc,d\n", "a,b\n" + under + "\n" + over + "\n", "a\n\"" + over + "\"\nb\n", "a\n\"x\n" + half + "\",y\n" + half + half + "\n",
		half + "\"\n\"" + half + ",,\n", "x," + over, "\"unclosed\n" + over, under + "\r\n" + over + "\r\n", "", "\n\n" + over,
	} {
		if got, want := widerThanMax([]byte(in), ','), byteByByte([]byte(in), ','); got != want {
			t.Errorf("widerThanMax(%.40q…) = %d, want %d", in, got, want)
		}
	}
}
