package catalog

import (
	"strconv"
	"strings"
)

// Field is one syncable field of a product or a variant.
type Field uint8

// Product fields, then variant fields.
const (
	FieldTitle Field = iota
	FieldDescriptionHTML
	FieldVendor
	FieldProductType
	FieldTags
	FieldStatus
	FieldOptions // option names (product) and option values (variant)
	FieldImages  // product images (and variants' images): created with a new product, synced to an existing one
	FieldSEOTitle
	FieldSEODescription
	FieldGiftCard // set only when a product is created
	FieldCategory // Shopify taxonomy category, by full name or ID

	FieldSKU
	FieldBarcode
	FieldPrice
	FieldCompareAtPrice
	FieldInventoryPolicy
	FieldQuantity // available quantity, per location
	FieldWeight   // weight in grams, shown in WeightUnit
	FieldCost     // cost per item
	FieldRequiresShipping
	FieldTaxable
	FieldHSCode          // harmonized system code
	FieldCountryOfOrigin // ISO 3166-1 alpha-2
	FieldUnitPrice       // unit price measurement (Variant.UnitPrice)

	fieldCount
)

var fieldNames = [fieldCount]string{
	"title", "description", "vendor", "product type", "tags", "status", "options", "images",
	"SEO title", "SEO description", "gift card", "product category",
	"SKU", "barcode", "price", "compare-at price", "inventory policy", "quantity",
	"weight", "cost per item", "requires shipping", "charge tax", "HS code", "country of origin", "unit price",
}

// String names the field for people ("compare-at price").
func (f Field) String() string {
	if f < fieldCount {
		return fieldNames[f]
	}
	return "field(" + strconv.Itoa(int(f)) + ")"
}

// IsVariantField reports whether f belongs to a variant rather than a product.
// FieldOptions belongs to both: names on the product, values on the variant.
func (f Field) IsVariantField() bool { return f >= FieldSKU && f < fieldCount }

// AllFields lists every field in declaration order.
func AllFields() []Field {
	out := make([]Field, fieldCount)
	for i := range out {
		out[i] = Field(i)
	}
	return out
}

// FieldSet is a set of fields; the zero value is empty.
type FieldSet uint32

// Has reports whether f is in the set.
func (s FieldSet) Has(f Field) bool { return f < fieldCount && s&(1<<f) != 0 }

// Add puts f in the set.
func (s *FieldSet) Add(f Field) {
	if f < fieldCount {
		*s |= 1 << f
	}
}

// Remove takes f out of the set.
func (s *FieldSet) Remove(f Field) { *s &^= 1 << f }

// Union returns the fields in s or t.
func (s FieldSet) Union(t FieldSet) FieldSet { return s | t }

// Empty reports whether the set has no field.
func (s FieldSet) Empty() bool { return s == 0 }

// Fields lists the fields in the set in declaration order.
func (s FieldSet) Fields() []Field {
	var out []Field
	for f := Field(0); f < fieldCount; f++ {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}

// String lists the fields: "SKU, price, quantity".
func (s FieldSet) String() string {
	names := make([]string, 0, 4)
	for _, f := range s.Fields() {
		names = append(names, f.String())
	}
	return strings.Join(names, ", ")
}

// NewFieldSet builds a set from fields.
func NewFieldSet(fields ...Field) FieldSet {
	var s FieldSet
	for _, f := range fields {
		s.Add(f)
	}
	return s
}
