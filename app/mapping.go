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
	key   string // a location name, or catalog.DefaultLocation
	label *widget.Label
	sel   *widget.Select
}

// mappingView is the "Columns…" dialog: which sheet column holds which
// field. It edits a copy of the mapping and hands the result to onUse.
type mappingView struct {
	columns []string
	base    source.Mapping
	// onUse gets the mapping, on the UI goroutine, once it checks out, and
	// whether blank cells clear their field under it.
	onUse func(mapping []byte, blankClears bool)

	options  []string                  // the pickers' choices: notInSheet, then the sheet's columns
	missing  []string                  // columns the loaded mapping names that the sheet lacks
	fields   map[string]*widget.Select // by field label
	qty      []quantityRow
	qtyHead  *widget.Label      // "Quantity available" or "Quantity on hand", as qtyName says
	qtyName  *widget.RadioGroup // which quantity the sheet's numbers set
	location *widget.Select     // the column naming each row's location (Shopify's inventory CSV)
	decimal  *widget.Check
	clears   *widget.Check // the mapping's blankClears
	note     *widget.Label
	errLabel *widget.Label
	useBtn   *widget.Button
	content  *fyne.Container // laid out again when the problem line comes or goes
	dlg      *dialog.CustomDialog
}

// newMappingView builds the editor, over w, for a sheet with these columns,
// filled from mapping (JSON of source.Mapping), with a quantity row per
// location name.
func newMappingView(w fyne.Window, columns []string, mapping []byte, locations []string, onUse func([]byte, bool)) (*mappingView, error) {
	v := &mappingView{columns: columns, onUse: onUse, fields: map[string]*widget.Select{}}
	if err := json.Unmarshal(mapping, &v.base); err != nil {
		return nil, fmt.Errorf("the column mapping is unreadable: %w", err)
	}
	v.options = append([]string{notInSheet}, distinctColumns(columns)...)
	v.errLabel = widget.NewLabel("")
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errLabel.Hide()
	v.qtyHead = heading("")
	grid := container.NewGridWithColumns(2,
		container.NewVBox(heading("Product"), v.form(productFields)),
		container.NewVBox(heading("Variant"), v.form(variantFields), v.qtyHead, v.quantityForm(locations)))
	v.decimal = widget.NewCheck("Prices use a decimal comma (12,50)", func(bool) { v.clearProblem() })
	v.decimal.SetChecked(v.base.Decimal == ",")
	v.clears = widget.NewCheck("Blank cells clear their field (saved with these columns)", func(bool) { v.clearProblem() })
	v.clears.SetChecked(v.base.BlankClears)
	v.note = widget.NewLabel(introText(v.base.Dialect))
	v.note.Wrapping = fyne.TextWrapWord
	if len(v.missing) > 0 {
		v.showProblem(widget.WarningImportance, "The saved mapping names columns this sheet lacks ("+
			strings.Join(v.missing, ", ")+"): they show as "+notInSheet+".")
	}
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(v.decimal, v.clears), v.errLabel)
	v.content = container.NewBorder(v.note, bottom, nil, nil, container.NewVScroll(grid))

	v.useBtn = widget.NewButton("Use these columns", v.use)
	v.useBtn.Importance = widget.HighImportance
	v.dlg = dialog.NewCustomWithoutButtons("Which column is which", v.content, w)
	v.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", v.dlg.Hide), v.useBtn})
	return v, nil
}

// form is a label and a column picker per field.
func (v *mappingView) form(fields []mappingField) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for _, f := range fields {
		v.fields[f.label] = v.pick(*f.col(&v.base))
		c.Add(widget.NewLabel(f.label))
		c.Add(v.fields[f.label])
	}
	return c
}

// quantityForm has which quantity the numbers set, the column naming each
// row's location (if any), the column for the location picked in the Sync
// tab, then one per location, for sheets with a quantity column per location.
func (v *mappingView) quantityForm(locations []string) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	v.qtyName = widget.NewRadioGroup([]string{qtyAvailable, qtyOnHand}, v.onQuantityName)
	v.qtyName.Horizontal = true
	v.qtyName.Required = true
	v.location = v.pick(v.base.Location)
	v.location.OnChanged = v.onLocationColumn
	c.Add(widget.NewLabel("Quantities are"))
	c.Add(v.qtyName)
	c.Add(widget.NewLabel("Location column"))
	c.Add(v.location)
	for _, key := range quantityKeys(v.base.Quantity, locations) {
		r := quantityRow{key: key, label: widget.NewLabel(singleQuantity), sel: v.pick(quantityColumn(v.base.Quantity, key))}
		if key != catalog.DefaultLocation {
			r.label.SetText("At " + key)
		}
		v.qty = append(v.qty, r)
		c.Add(r.label)
		c.Add(r.sel)
	}
	v.qtyName.SetSelected(qtyChoice(v.base.QuantityName)) // also sets the heading
	v.onLocationColumn(v.location.Selected)
	return c
}

// pick is a column picker showing col; any change clears the shown problem.
func (v *mappingView) pick(col string) *widget.Select {
	s := widget.NewSelect(v.options, func(string) { v.clearProblem() })
	s.SetSelected(v.choice(col))
	return s
}

// showProblem shows text under the pickers (an error, or a warning).
func (v *mappingView) showProblem(imp widget.Importance, text string) {
	v.errLabel.Importance = imp
	v.errLabel.SetText(text)
	v.errLabel.Show()
	v.relayout()
}

func (v *mappingView) clearProblem() {
	if !v.errLabel.Hidden {
		v.errLabel.Hide()
		v.relayout()
	}
}

// relayout places the problem line: Show and Hide alone leave the layout as
// it was. Twice, because a wrapped label knows its height only once it has
// its width.
func (v *mappingView) relayout() {
	if v.content != nil {
		v.content.Refresh()
		v.content.Refresh()
	}
}

// show opens the dialog, as large as its window allows.
func (v *mappingView) show(w fyne.Window) {
	size := w.Canvas().Size()
	v.dlg.Resize(fyne.NewSize(min(880, size.Width-40), min(600, size.Height-40)))
	v.dlg.Show()
}

// choice is the option to show for a column the mapping names; one the
// sheet lacks shows as notInSheet and is listed in v.missing.
func (v *mappingView) choice(col string) string {
	if strings.TrimSpace(col) == "" {
		return notInSheet
	}
	for _, c := range v.columns {
		if sameColumn(c, col) {
			return strings.TrimSpace(c)
		}
	}
	v.missing = append(v.missing, fmt.Sprintf("%q", col))
	return notInSheet
}

// mapping is the edited mapping: the loaded one with the shown fields replaced.
func (v *mappingView) mapping() source.Mapping {
	m := v.base
	for _, f := range append(append([]mappingField(nil), productFields...), variantFields...) {
		*f.col(&m) = selectedColumn(v.fields[f.label])
	}
	m.Quantity = nil
	m.Location = selectedColumn(v.location)
	for _, r := range v.qty {
		if r.sel.Disabled() {
			continue // a Location column says where each row's quantity goes
		}
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
	switch {
	case v.qtyName.Selected == qtyOnHand:
		m.QuantityName = catalog.QuantityOnHand
	case v.base.QuantityName != "":
		m.QuantityName = catalog.QuantityAvailable
	}
	m.BlankClears = v.clears.Checked
	return m
}

// use checks the mapping against the sheet: an error stays in the dialog;
// a mapping that fits goes to onUse.
func (v *mappingView) use() {
	m := v.mapping()
	if err := m.Check(v.columns); err != nil {
		v.showProblem(widget.DangerImportance, err.Error())
		return
	}
	raw, err := json.Marshal(m)
	if err != nil {
		v.showProblem(widget.DangerImportance, err.Error())
		return
	}
	v.dlg.Hide()
	if v.onUse != nil {
		v.onUse(raw, m.BlankClears)
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
