package app

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// notInSheet is the choice for a field the sheet has no column for.
const notInSheet = "(not in this sheet)"

// singleQuantity labels the quantity column for the location picked in the Sync tab.
const singleQuantity = "Single quantity column"

// mappingField is one field the editor offers and where it lives in a Mapping.
type mappingField struct {
	label string
	col   func(m *source.Mapping) *string
}

// productFields and variantFields are the editor's two columns. Fields it
// does not show (description, options, images, policy) keep their mapping.
var (
	productFields = []mappingField{
		{"URL handle", func(m *source.Mapping) *string { return &m.Handle }},
		{"Title", func(m *source.Mapping) *string { return &m.Title }},
		{"Vendor", func(m *source.Mapping) *string { return &m.Vendor }},
		{"Product type", func(m *source.Mapping) *string { return &m.ProductType }},
		{"Tags", func(m *source.Mapping) *string { return &m.Tags }},
		{"Status", func(m *source.Mapping) *string { return &m.Status }},
	}
	variantFields = []mappingField{
		{"SKU", func(m *source.Mapping) *string { return &m.SKU }},
		{"Barcode", func(m *source.Mapping) *string { return &m.Barcode }},
		{"Price", func(m *source.Mapping) *string { return &m.Price }},
		{"Compare-at price", func(m *source.Mapping) *string { return &m.CompareAtPrice }},
	}
)

// quantityRow is the quantity column for one location key of Mapping.Quantity.
type quantityRow struct {
	key string // a location name, or catalog.DefaultLocation
	sel *widget.Select
}

// mappingView is the "Columns…" dialog: which sheet column holds which
// field. It edits a copy of the mapping and hands the result to onUse.
type mappingView struct {
	columns []string
	base    source.Mapping
	onUse   func(mapping []byte) // on the UI goroutine, once the mapping checks out

	fields   map[string]*widget.Select // by field label
	qty      []quantityRow
	decimal  *widget.Check
	note     *widget.Label
	errLabel *widget.Label
	useBtn   *widget.Button
	dlg      *dialog.CustomDialog
}

// newMappingView builds the editor, over w, for a sheet with these columns,
// filled from mapping (JSON of source.Mapping), with a quantity row per
// location name.
func newMappingView(w fyne.Window, columns []string, mapping []byte, locations []string, onUse func([]byte)) (*mappingView, error) {
	v := &mappingView{columns: columns, onUse: onUse, fields: map[string]*widget.Select{}}
	if err := json.Unmarshal(mapping, &v.base); err != nil {
		return nil, fmt.Errorf("the column mapping is unreadable: %w", err)
	}
	options := append([]string{notInSheet}, distinctColumns(columns)...)
	var missing []string
	pick := func(col string) *widget.Select {
		s := widget.NewSelect(options, func(string) { v.errLabel.Hide() })
		s.SetSelected(v.choice(col, &missing))
		return s
	}
	v.errLabel = widget.NewLabel("")
	v.errLabel.Importance = widget.DangerImportance
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errLabel.Hide()

	product := container.New(layout.NewFormLayout())
	for _, f := range productFields {
		v.fields[f.label] = pick(*f.col(&v.base))
		product.Add(widget.NewLabel(f.label))
		product.Add(v.fields[f.label])
	}
	variant := container.New(layout.NewFormLayout())
	for _, f := range variantFields {
		v.fields[f.label] = pick(*f.col(&v.base))
		variant.Add(widget.NewLabel(f.label))
		variant.Add(v.fields[f.label])
	}
	// Quantities: the column for the location picked in the Sync tab, then
	// one column per location for sheets that have them.
	quantity := container.New(layout.NewFormLayout())
	for _, key := range quantityKeys(v.base.Quantity, locations) {
		r := quantityRow{key: key, sel: pick(quantityColumn(v.base.Quantity, key))}
		v.qty = append(v.qty, r)
		label := singleQuantity
		if key != catalog.DefaultLocation {
			label = "At " + key
		}
		quantity.Add(widget.NewLabel(label))
		quantity.Add(r.sel)
	}

	v.decimal = widget.NewCheck("Prices use a decimal comma (12,50)", func(bool) { v.errLabel.Hide() })
	v.decimal.SetChecked(v.base.Decimal == ",")
	v.note = widget.NewLabel(introText(v.base.Dialect))
	v.note.Wrapping = fyne.TextWrapWord
	if len(missing) > 0 {
		v.errLabel.SetText("The saved mapping names columns this sheet lacks (" + strings.Join(missing, ", ") +
			"): they show as " + notInSheet + ".")
		v.errLabel.Importance = widget.WarningImportance
		v.errLabel.Show()
	}
	grid := container.NewGridWithColumns(2,
		container.NewVBox(heading("Product"), product),
		container.NewVBox(heading("Variant"), variant, heading("Quantity available"), quantity))
	bottom := container.NewVBox(widget.NewSeparator(), v.decimal, v.errLabel)
	content := container.NewBorder(v.note, bottom, nil, nil, container.NewVScroll(grid))

	v.useBtn = widget.NewButton("Use these columns", v.use)
	v.useBtn.Importance = widget.HighImportance
	v.dlg = dialog.NewCustomWithoutButtons("Which column is which", content, w)
	v.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", v.dlg.Hide), v.useBtn})
	return v, nil
}

// show opens the dialog, as large as its window allows.
func (v *mappingView) show(w fyne.Window) {
	size := w.Canvas().Size()
	v.dlg.Resize(fyne.NewSize(min(880, size.Width-40), min(600, size.Height-40)))
	v.dlg.Show()
}

// choice is the option to show for a column the mapping names; one the
// sheet lacks shows as notInSheet and is listed in missing.
func (v *mappingView) choice(col string, missing *[]string) string {
	if strings.TrimSpace(col) == "" {
		return notInSheet
	}
	for _, c := range v.columns {
		if sameColumn(c, col) {
			return strings.TrimSpace(c)
		}
	}
	*missing = append(*missing, fmt.Sprintf("%q", col))
	return notInSheet
}

// mapping is the edited mapping: the loaded one with the shown fields replaced.
func (v *mappingView) mapping() source.Mapping {
	m := v.base
	for _, f := range append(append([]mappingField(nil), productFields...), variantFields...) {
		*f.col(&m) = selectedColumn(v.fields[f.label])
	}
	m.Quantity = nil
	for _, r := range v.qty {
		if col := selectedColumn(r.sel); col != "" {
			if m.Quantity == nil {
				m.Quantity = map[string]string{}
			}
			m.Quantity[r.key] = col
		}
	}
	switch {
	case v.decimal.Checked:
		m.Decimal = ","
	case v.base.Decimal == ",":
		m.Decimal = "." // unticked on purpose
	}
	return m
}

// use checks the mapping against the sheet: an error stays in the dialog;
// a mapping that fits goes to onUse.
func (v *mappingView) use() {
	m := v.mapping()
	if err := m.Check(v.columns); err != nil {
		v.errLabel.Importance = widget.DangerImportance
		v.errLabel.SetText(err.Error())
		v.errLabel.Show()
		return
	}
	raw, err := json.Marshal(m)
	if err != nil {
		v.errLabel.SetText(err.Error())
		v.errLabel.Show()
		return
	}
	v.dlg.Hide()
	if v.onUse != nil {
		v.onUse(raw)
	}
}

func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func selectedColumn(s *widget.Select) string {
	if s.Selected == notInSheet {
		return ""
	}
	return s.Selected
}

// introText says what the dialog is for; a Shopify export rarely needs it.
func introText(dialect string) string {
	if strings.HasPrefix(dialect, "shopify-") {
		return "Shopify's own columns were recognised; change only if needed."
	}
	return "Choose the sheet column that holds each field. Rows are matched to the store by URL handle, SKU or barcode: the sheet needs at least one of them (or a title)."
}

// quantityKeys are the quantity rows: the single column, each store
// location, then any location the mapping names that the store lacks (so it
// can be cleared).
func quantityKeys(q map[string]string, locations []string) []string {
	keys := append([]string{catalog.DefaultLocation}, locations...)
	var extra []string
	for k := range q {
		known := k == catalog.DefaultLocation
		for _, l := range locations {
			known = known || strings.EqualFold(l, k)
		}
		if !known {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	return append(keys, extra...)
}

// quantityColumn is the column q names for a location, its name's case aside.
func quantityColumn(q map[string]string, key string) string {
	if col, ok := q[key]; ok {
		return col
	}
	for k, col := range q {
		if k != catalog.DefaultLocation && strings.EqualFold(k, key) {
			return col
		}
	}
	return ""
}

// distinctColumns lists the sheet's named columns once each, in order.
func distinctColumns(columns []string) []string {
	var out []string
	for _, c := range columns {
		c = strings.TrimSpace(c)
		dup := c == ""
		for _, o := range out {
			dup = dup || sameColumn(o, c)
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// sameColumn matches headers as the source reader does: case-insensitive,
// spaces collapsed.
func sameColumn(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}
