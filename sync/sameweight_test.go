package sync

import (
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// TestSameWeightAgreesWithText: the numeric weight check used for unchanged
// variants never calls two weights the same that sameValue, comparing
// their texts, calls different (it may send a case to the texts instead).
func TestSameWeightAgreesWithText(t *testing.T) {
	units := []string{"", "GRAMS", "KILOGRAMS", "POUNDS", "OUNCES", "STONES"}
	grams := []float64{0, 0.004, 0.006, 1, 145, 145.004, 145.02, 453.59237, 28.349523125, 1e9, 0.1 + 0.2}
	n := 0
	for _, su := range units {
		for _, cu := range units {
			for _, g := range grams {
				for _, stored := range []float64{0, 0.145, 145, 1, 0.3, 5.1e-7, g / gramsPer(cu), g/gramsPer(cu) + 1e-9} {
					sv := &catalog.Variant{WeightGrams: g, WeightUnit: su}
					cv := &SnapVariant{Weight: stored, WeightUnit: cu}
					want := sameValue(FieldWeight, variantValue(cv, FieldWeight), sheetWeight(sv, cv.WeightUnit))
					if got := sameWeight(sv, cv); got && !want {
						t.Errorf("sheet %v g %q, store %v %q: sameWeight true, texts differ", g, su, stored, cu)
					} else if got {
						n++
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("sameWeight never found two weights the same")
	}
}
