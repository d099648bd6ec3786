package catalog

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// UnitPrice is a variant's unit price measurement: the quantity the variant
// holds ("250 ml") and the reference quantity its unit price is shown per
// ("1 l"), as the Admin API keeps it (2026-04 schema: UnitPriceMeasurement
// {quantityValue: Float!, quantityUnit, referenceValue: Int!,
// referenceUnit}; UnitPriceMeasurementInput has the same four fields).
// Shopify's product CSV carries it in four columns: Unit price total
// measure, … total measure unit, … base measure, … base measure unit
// (https://help.shopify.com/en/manual/products/import-export/using-csv).
// It takes 16 bytes.
type UnitPrice struct {
	QuantityValue  float64
	ReferenceValue int32
	QuantityUnit   MeasureUnit
	ReferenceUnit  MeasureUnit
}

// MeasureUnit is one value of the API's enum UnitPriceMeasurementMeasuredUnit
// (0: none).
type MeasureUnit uint8

// measureUnits lists the enum's values (UNKNOWN aside: "Upgrade to the
// latest version of the API") with the measured type of each (enum
// UnitPriceMeasurementMeasuredType). The text form is the enum in lower
// case, as Liquid's unit_price_measurement gives it ("quantity_unit": "g",
// "reference_unit": "kg";
// https://shopify.dev/docs/api/liquid/objects/unit_price_measurement).
// Shopify documents no spelling for the CSV cells, so reading accepts any
// case (and "fl oz", "m²", "ft²") and writing uses the lower case.
var measureUnits = [...]struct{ enum, kind string }{
	{"", ""},
	{"ML", "VOLUME"}, {"CL", "VOLUME"}, {"L", "VOLUME"}, {"M3", "VOLUME"},
	{"FLOZ", "VOLUME"}, {"PT", "VOLUME"}, {"QT", "VOLUME"}, {"GAL", "VOLUME"},
	{"MG", "WEIGHT"}, {"G", "WEIGHT"}, {"KG", "WEIGHT"}, {"OZ", "WEIGHT"}, {"LB", "WEIGHT"},
	{"MM", "LENGTH"}, {"CM", "LENGTH"}, {"M", "LENGTH"}, {"IN", "LENGTH"}, {"FT", "LENGTH"}, {"YD", "LENGTH"},
	{"M2", "AREA"}, {"FT2", "AREA"},
	{"ITEM", "COUNT"},
}

// unitSpelling folds the spellings ParseMeasureUnit accepts beyond the enum.
var unitSpelling = strings.NewReplacer(" ", "", ".", "", "²", "2", "³", "3")

// ParseMeasureUnit reads a unit ("ml", "KG", "fl oz"); 0 when it is none.
func ParseMeasureUnit(s string) MeasureUnit {
	t := strings.TrimSpace(s)
	if strings.ContainsAny(t, " .²³") {
		t = unitSpelling.Replace(t)
	}
	for i := 1; i < len(measureUnits); i++ {
		if strings.EqualFold(measureUnits[i].enum, t) {
			return MeasureUnit(i)
		}
	}
	return 0
}

// Enum is the unit as the API's enum names it ("ML"), "" for none.
func (u MeasureUnit) Enum() string {
	if int(u) < len(measureUnits) {
		return measureUnits[u].enum
	}
	return ""
}

// Text is the unit as a sheet cell holds it ("ml").
func (u MeasureUnit) Text() string { return strings.ToLower(u.Enum()) }

// Kind is the unit's measured type (VOLUME, WEIGHT, LENGTH, AREA, COUNT).
func (u MeasureUnit) Kind() string {
	if int(u) < len(measureUnits) {
		return measureUnits[u].kind
	}
	return ""
}

// MaxUnitQuantity bounds a unit price's quantity (a typo guard, like the
// weight's 1,000 tonnes).
const MaxUnitQuantity = 1e9

// Check says what is wrong with a measurement, "" when Shopify can take it:
// both units known and of one measured type (Shopify computes the unit
// price by converting the quantity into the reference unit: "$9.99 /
// 100ml", UnitPriceMeasurement in the 2026-04 schema), a quantity above 0
// and a whole reference above 0 (referenceValue: Int!).
func (p UnitPrice) Check() string {
	switch {
	case p.QuantityUnit == 0 || p.ReferenceUnit == 0:
		return "a unit price needs both units"
	case p.QuantityUnit.Kind() != p.ReferenceUnit.Kind():
		return p.QuantityUnit.Text() + " (" + strings.ToLower(p.QuantityUnit.Kind()) + ") and " + p.ReferenceUnit.Text() +
			" (" + strings.ToLower(p.ReferenceUnit.Kind()) + ") are not the same kind of measure"
	case !(p.QuantityValue > 0) || p.QuantityValue > MaxUnitQuantity:
		return "the total measure must be a number above 0"
	case p.ReferenceValue <= 0:
		return "the base measure must be a whole number above 0"
	}
	return ""
}

// String is the measurement's short form, "250 ml per 1 l": what the plan
// and the journal hold, and what the preview shows.
func (p UnitPrice) String() string {
	return FormatMeasure(p.QuantityValue) + " " + p.QuantityUnit.Text() + " per " +
		strconv.Itoa(int(p.ReferenceValue)) + " " + p.ReferenceUnit.Text()
}

// FormatMeasure writes a quantity rounded to a millionth, without float
// noise ("0.75", "250").
func FormatMeasure(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

// ParseUnitPrice reads String's form back; ok is false when s is not one.
func ParseUnitPrice(s string) (p UnitPrice, ok bool) {
	q, r, found := strings.Cut(strings.TrimSpace(s), " per ")
	if !found {
		return p, false
	}
	qv, qu, ok1 := strings.Cut(strings.TrimSpace(q), " ")
	rv, ru, ok2 := strings.Cut(strings.TrimSpace(r), " ")
	if !ok1 || !ok2 {
		return p, false
	}
	f, err1 := strconv.ParseFloat(qv, 64)
	n, err2 := strconv.ParseInt(rv, 10, 32)
	p = UnitPrice{QuantityValue: f, ReferenceValue: int32(n), QuantityUnit: ParseMeasureUnit(qu), ReferenceUnit: ParseMeasureUnit(ru)}
	return p, err1 == nil && err2 == nil && p.QuantityUnit != 0 && p.ReferenceUnit != 0
}

// Same reports whether two measurements are the same: equal units, equal
// references, and quantities equal to a millionth (as String rounds them).
func (p UnitPrice) Same(q UnitPrice) bool {
	return p.QuantityUnit == q.QuantityUnit && p.ReferenceUnit == q.ReferenceUnit && p.ReferenceValue == q.ReferenceValue &&
		math.Abs(math.Round(p.QuantityValue*1e6)-math.Round(q.QuantityValue*1e6)) < 0.5
}

// MarshalText writes String's form, so a stored snapshot or plan reads as
// "250 ml per 1 l" and survives a change of MeasureUnit's numbering.
func (p UnitPrice) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads String's form.
func (p *UnitPrice) UnmarshalText(b []byte) error {
	q, ok := ParseUnitPrice(string(b))
	if !ok {
		return errors.New("not a unit price: " + strconv.Quote(string(b)))
	}
	*p = q
	return nil
}
