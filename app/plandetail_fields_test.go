package app

import (
	"strings"
	"testing"
	"unicode/utf8"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// Every field the engine can change is named in the merchant's words (the
// product CSV's column names), never by its API key.
func TestFieldLinesUseMerchantWords(t *testing.T) {
	cases := map[string]string{
		catalogsync.FieldUnitPrice:                           "unit price: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldRequiresShipping:                    "requires shipping: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldHSCode:                              "HS code: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldCountryOfOrigin:                     "country of origin: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldSEOTitle:                            "SEO title: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldCost:                                "cost per item: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.FieldTaxable:                             "charge tax: 1 l per 1 l → 750 ml per 1 l",
		catalogsync.MetafieldFieldPrefix + "custom.material": "metafield custom.material: 1 l per 1 l → 750 ml per 1 l",
	}
	for key, want := range cases {
		if got := fieldLine(catalogsync.FieldChange{Field: key, Old: "1 l per 1 l", New: "750 ml per 1 l"}); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
}

// A long value is shortened by whole characters: an emoji or an accented
// letter is never cut into invalid UTF-8.
func TestFieldLineShortensByCharacters(t *testing.T) {
	long := strings.Repeat("é", 76) + "🧵🧵🧵🧵🧵"
	got := fieldLine(catalogsync.FieldChange{Field: catalogsync.FieldTitle, Old: "", New: long})
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "🧵…") {
		t.Errorf("%q", got)
	}
}
