package app

import (
	"strings"
	"testing"
)

// The Status tab lists missing publishing scopes and says what they cost:
// new products stay unpublished.
func TestMissingTextNamesPublishing(t *testing.T) {
	if got := missingText([]string{"read_publications", "write_publications"}); !strings.Contains(got, "write_publications") ||
		!strings.Contains(got, "new products stay unpublished") {
		t.Errorf("%q", got)
	}
	if got := missingText([]string{"write_inventory"}); strings.Contains(got, "unpublished") {
		t.Errorf("%q", got)
	}
	if got := missingText([]string{"read_markets"}); !strings.Contains(got, "market price columns") || strings.Contains(got, "unpublished") {
		t.Errorf("%q", got)
	}
	if got := missingText([]string{"read_metaobjects"}); !strings.Contains(got, "Option Linked To") || strings.Contains(got, "market") {
		t.Errorf("%q", got)
	}
	if got := missingText([]string{"write_files"}); !strings.Contains(got, "images of existing products are not changed") || strings.Contains(got, "market") {
		t.Errorf("%q", got)
	}
}
