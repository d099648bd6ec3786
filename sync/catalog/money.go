package catalog

import (
	"errors"
	"strconv"
	"strings"
)

// Money is an amount in hundredths of the store's currency (19.90 is 1990).
// Shopify prices carry at most two decimals, so a fixed-point integer keeps
// every amount exact and cheap to compare.
type Money int64

// MaxMoney is the largest amount a source may give: 1,000,000,000,000.00.
const MaxMoney Money = 1e12 * 100

// Errors returned by ParseMoney, wrapped with the offending text.
var (
	ErrMoneyEmpty     = errors.New("empty amount")
	ErrMoneySyntax    = errors.New("not an amount")
	ErrMoneyNegative  = errors.New("amount is negative")
	ErrMoneyTooLarge  = errors.New("amount is larger than 1,000,000,000,000")
	ErrMoneyPrecision = errors.New("amount has more than 2 decimals")
)

// MoneyError says why a text is not an amount.
type MoneyError struct {
	Text string
	Err  error
}

// Error implements error: `not an amount: "abc"`.
func (e *MoneyError) Error() string { return e.Err.Error() + ": " + strconv.Quote(e.Text) }

// Unwrap lets errors.Is find the sentinel.
func (e *MoneyError) Unwrap() error { return e.Err }

// ParseMoney reads an amount written with a decimal point: "19.9", "19.90",
// "1,234.50", "$ 5". A currency symbol or code around the number and
// thousands separators (",", space, "'") are allowed; a sign, more than two
// non-zero decimals, NaN, exponents and amounts above MaxMoney are refused.
func ParseMoney(s string) (Money, error) { return parseMoney(s, '.') }

// ParseMoneyDecimalComma reads an amount written with a decimal comma, as
// European spreadsheets do: "19,9", "1.234,50", "1 234,50".
func ParseMoneyDecimalComma(s string) (Money, error) { return parseMoney(s, ',') }

// MustMoney parses s with ParseMoney and panics on error; for tests and constants.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

func parseMoney(text string, decimal byte) (Money, error) {
	fail := func(err error) (Money, error) { return 0, &MoneyError{Text: text, Err: err} }
	s, err := unsigned(text)
	if err != nil {
		return fail(err)
	}
	intPart, frac := s, ""
	if i := strings.LastIndexByte(s, decimal); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	units, digits, ok := parseGroups(intPart, decimal)
	switch {
	case !ok && digits > 12:
		return fail(ErrMoneyTooLarge)
	case !ok, digits == 0 && frac == "":
		return fail(ErrMoneySyntax)
	}
	cents, err := parseCents(frac)
	if err != nil {
		return fail(err)
	}
	m := Money(units*100 + cents)
	if m > MaxMoney {
		return fail(ErrMoneyTooLarge)
	}
	return m, nil
}

// unsigned trims spaces, a currency symbol and a "+", and refuses negatives.
func unsigned(text string) (string, error) {
	s := strings.TrimSpace(text)
	if s != "" && (!isDigit(s[0]) || !isDigit(s[len(s)-1])) {
		s = trimCurrency(s) // only when a symbol may be there: the common case stays cheap
	}
	switch {
	case s == "":
		return "", ErrMoneyEmpty
	case s[0] == '-' || strings.HasSuffix(s, "-") || (s[0] == '(' && s[len(s)-1] == ')'):
		return "", ErrMoneyNegative
	}
	return strings.TrimPrefix(s, "+"), nil
}

// parseCents reads the decimal part: up to two digits, then only zeros.
func parseCents(frac string) (int64, error) {
	var cents int64
	for i := 0; i < len(frac); i++ {
		c := frac[i]
		switch {
		case !isDigit(c):
			return 0, ErrMoneySyntax
		case i < 2:
			cents = cents*10 + int64(c-'0')
		case c != '0':
			return 0, ErrMoneyPrecision
		}
	}
	if len(frac) == 1 {
		cents *= 10
	}
	return cents, nil
}

// parseGroups reads the integer part: digits, optionally in groups of three
// separated by one thousands separator ("1,234,567"). A separator followed by
// anything but three digits is refused, so "1,23" in a decimal-point file is
// an error rather than 123. It reports the digit count, which is above 12
// (with ok false) when the number is too large.
func parseGroups(s string, decimal byte) (units int64, digits int, ok bool) {
	group := -1 // digits since the last separator; -1 before any separator
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > 13 {
				return 0, digits, false
			}
			units = units*10 + int64(c-'0')
			if group >= 0 {
				group++
			}
		case isGroupSep(c, decimal):
			if digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3) {
				return 0, 0, false
			}
			group = 0
		default:
			return 0, 0, false
		}
	}
	if group >= 0 && group != 3 {
		return 0, 0, false
	}
	return units, digits, true
}

// isGroupSep reports whether c may separate thousands when decimal is the
// decimal separator.
func isGroupSep(c, decimal byte) bool {
	if decimal == ',' {
		return c == '.' || c == ' ' || c == '\''
	}
	return c == ',' || c == ' ' || c == '\''
}

// trimCurrency drops one currency symbol or three-letter code before or after
// the number ("$5", "5 €", "EUR 5", "5 USD").
func trimCurrency(s string) string {
	for _, sym := range []string{"$", "€", "£", "¥", "₹", "kr", "CHF"} {
		if strings.HasPrefix(s, sym) {
			return strings.TrimSpace(s[len(sym):])
		}
		if strings.HasSuffix(s, sym) {
			return strings.TrimSpace(s[:len(s)-len(sym)])
		}
	}
	if len(s) > 4 && isUpper3(s[:3]) && s[3] == ' ' {
		return strings.TrimSpace(s[4:])
	}
	if len(s) > 4 && isUpper3(s[len(s)-3:]) && s[len(s)-4] == ' ' {
		return strings.TrimSpace(s[:len(s)-4])
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isUpper3(s string) bool {
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// String renders the amount with two decimals and a point: "19.90".
func (m Money) String() string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-m)
	}
	var b [24]byte
	i := len(b)
	for n := 0; n < 3 || u > 0; n++ {
		if n == 2 {
			i--
			b[i] = '.'
		}
		i--
		b[i] = byte('0' + u%10)
		u /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Cents returns the amount in hundredths.
func (m Money) Cents() int64 { return int64(m) }
