package source

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// money reads a price cell with the layout's decimal separator. In automatic
// mode a lone "." or "," followed by one or two digits is the decimal
// separator ("19.9", "19,90"); anything ambiguous ("1.234") follows the
// file's default: "," in ";"-delimited files, "." otherwise.
func (l *layout) money(s string) (catalog.Money, error) {
	dec := l.decimal
	if dec == 0 {
		dec = l.fileDecimal
		dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
		switch {
		case dot >= 0 && comma >= 0 && comma > dot:
			dec = ','
		case dot >= 0 && comma >= 0:
			dec = '.'
		case comma >= 0 && strings.Count(s, ",") == 1 && fracDigits(s[comma+1:]) <= 2:
			dec = ','
		case dot >= 0 && strings.Count(s, ".") == 1 && fracDigits(s[dot+1:]) <= 2:
			dec = '.'
		}
	}
	if dec == ',' {
		return catalog.ParseMoneyDecimalComma(s)
	}
	return catalog.ParseMoney(s)
}

// fracDigits counts the digits at the start of s (a decimal part, possibly
// followed by a currency symbol).
func fracDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

var errQtyHuge = errors.New("a quantity must be between -1,000,000,000 and 1,000,000,000")

// parseQuantity reads a whole number of items. "12", "+12", "-3", "12.0" and
// "1 200" are accepted; fractions and |q| > 1e9 are not. A negative number is
// oversold stock: Shopify's available quantity goes below zero when orders
// outrun stock, and inventorySetQuantities takes any quantity within
// ±1,000,000,000 (FACTS §9; InventorySetQuantitiesUserErrorCode docs).
func parseQuantity(s string) (int, error) {
	t := strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
	if i := strings.IndexAny(t, ".,"); i >= 0 && i+1 < len(t) && strings.Trim(t[i+1:], "0") == "" {
		t = t[:i] // "12.0" from a spreadsheet that stores numbers as floats
	}
	n, err := strconv.ParseInt(t, 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, errQtyHuge
	case err != nil:
		return 0, errors.New("not a whole number: " + strconv.Quote(s))
	case n > catalog.MaxQuantity || n < -catalog.MaxQuantity:
		return 0, errQtyHuge
	}
	return int(n), nil
}

// parsePolicy reads the legacy "Variant Inventory Policy" (deny/continue) and
// the current "Continue selling when out of stock" column. The allowed values
// of the latter are not documented (FACTS §10, UNCONFIRMED): both word sets
// are accepted, as feed tools do, e.g. Stockeo's "continue/yes/true/1" and
// "deny/no/false/0" (https://help.stockeo.solvenium.com/data-mapping/continue-selling-when-out-of-stock).
func parsePolicy(s string) (string, error) {
	switch {
	case lowerIsOneOf(s, "deny", "false", "no", "n", "0", "f"):
		return catalog.PolicyDeny, nil
	case lowerIsOneOf(s, "continue", "true", "yes", "y", "1", "t"):
		return catalog.PolicyContinue, nil
	}
	return "", errors.New("not an inventory policy: " + strconv.Quote(s) + " (use deny or continue, or FALSE or TRUE)")
}

// parseStatus reads a product status (enum ProductStatus), any case.
func parseStatus(s string) (string, error) {
	switch u := strings.ToUpper(s); u {
	case catalog.StatusActive, catalog.StatusDraft, catalog.StatusArchived, catalog.StatusUnlisted:
		return u, nil
	}
	return "", errors.New("not a product status: " + strconv.Quote(s) + " (use active, draft, archived or unlisted)")
}

// parseTags splits a comma-separated tag list, trimming and dropping empties.
func parseTags(s string) []string {
	var tags []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// checkURL accepts an absolute http(s) address.
func checkURL(s string) error {
	l := strings.ToLower(s)
	if (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && len(s) > len("https://") && !strings.ContainsAny(s, " \t\n") {
		return nil
	}
	return errors.New("not a web address (it must start with https://): " + strconv.Quote(s))
}

// checkHandle refuses handles Shopify would never store as given.
func checkHandle(h string) error {
	if len(h) > 255 {
		return errors.New("a handle can be at most 255 characters long")
	}
	if strings.ContainsAny(h, " \t\n/?#") {
		return errors.New("a handle can't contain spaces, / ? or #: did you mean " + strconv.Quote(catalog.HandleFromTitle(h)) + "?")
	}
	return nil
}

// lowerIsOneOf reports whether strings.ToLower(s) is one of words (lower
// case ASCII). Cells such as TRUE are read on every row: ASCII ones are
// compared in place rather than lowered into a new string.
func lowerIsOneOf(s string, words ...string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return slices.Contains(words, strings.ToLower(s))
		}
	}
	for _, w := range words {
		if len(w) == len(s) && strings.EqualFold(s, w) { // ASCII: folding is lowering
			return true
		}
	}
	return false
}
