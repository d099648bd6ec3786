package app

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Preview filters.
const (
	filterAll       = "All"
	filterCreates   = "Creates"
	filterUpdates   = "Updates"
	filterDeletes   = "Deletes"
	filterErrors    = "Errors"
	filterUnchanged = "Unchanged"
)

var previewFilters = []string{filterAll, filterCreates, filterUpdates, filterDeletes, filterErrors, filterUnchanged}

// previewRow is one line of the preview: a product, a loose variant (a
// partial sheet matched by SKU) or a row the source could not read.
type previewRow struct {
	product *catalogsync.ProductPlan
	variant *catalogsync.VariantPlan
	srcErr  *catalog.RowError
}

func (r previewRow) action() catalogsync.Action {
	switch {
	case r.product != nil:
		if r.product.Action != catalogsync.ActError && productHasError(r.product) {
			return catalogsync.ActError
		}
		return r.product.Action
	case r.variant != nil:
		return r.variant.Action
	default:
		return catalogsync.ActError
	}
}

func productHasError(p *catalogsync.ProductPlan) bool {
	for i := range p.Variants {
		if a := p.Variants[i].Action; a == catalogsync.ActError || a == catalogsync.ActConflict {
			return true
		}
	}
	return false
}

func (r previewRow) matches(filter string) bool {
	switch a := r.action(); filter {
	case filterCreates:
		return a == catalogsync.ActCreate
	case filterUpdates:
		return a == catalogsync.ActUpdate || a == catalogsync.ActArchive
	case filterDeletes: // an undo deletes what its run created
		return a == catalogsync.ActDelete
	case filterErrors:
		return a == catalogsync.ActError || a == catalogsync.ActConflict
	case filterUnchanged:
		return a == catalogsync.ActUnchanged || a == catalogsync.ActSkipped
	default:
		return true
	}
}

// title is the row's main text.
func (r previewRow) title() string {
	switch {
	case r.product != nil:
		if r.product.Title != "" && r.product.Title != r.product.Handle {
			return r.product.Handle + " · " + r.product.Title
		}
		return r.product.Handle
	case r.variant != nil:
		return r.variant.Key
	default:
		return r.srcErr.Cell.String()
	}
}

// note is the row's second column: how much changes, or what went wrong.
func (r previewRow) note() string {
	switch {
	case r.product != nil:
		p := r.product
		if p.Message != "" {
			return p.Message
		}
		switch p.Action { // a delete or archive has no variants or changes to count
		case catalogsync.ActCreate:
			return "new · " + plural(len(p.Variants), "variant")
		case catalogsync.ActDelete:
			return "removed from the store, with its variants and stock"
		case catalogsync.ActArchive:
			return "archived: hidden from sales channels, kept in the admin"
		}
		for i := range p.Variants {
			if vp := &p.Variants[i]; vp.Action == catalogsync.ActError || vp.Action == catalogsync.ActConflict {
				return vp.Key + ": " + vp.Message
			}
		}
		n := len(p.Fields) + len(p.Images)
		for i := range p.Variants {
			n += len(p.Variants[i].Fields) + len(p.Variants[i].Quantities)
		}
		return plural(len(p.Variants), "variant") + " · " + plural(n, "change")
	case r.variant != nil:
		if r.variant.Message != "" {
			return r.variant.Message
		}
		if r.variant.Action == catalogsync.ActDelete {
			return "removed from the store"
		}
		return plural(len(r.variant.Fields)+len(r.variant.Quantities), "change")
	default:
		return r.srcErr.Message
	}
}

// previewView shows a plan: counts, guard trips, notes, a filtered list of
// products and the field changes of the selected one. The Sync tab and the
// Undo dialog both use it.
type previewView struct {
	plan     *catalogsync.Plan
	filter   string
	rows     []previewRow // filtered
	selected int          // index into rows, -1 for none

	// onConfirmChanged tells the owner the guard checkbox changed.
	onConfirmChanged func(bool)

	counts    *widget.Label
	summary   *widget.Label
	notes     *widget.Label // every note, wrapped, in notesBox
	notesBox  *container.Scroll
	guards    *widget.Label
	confirm   *widget.Check
	guardBox  *fyne.Container
	filterSel *widget.RadioGroup
	list      *widget.List
	detail    *widget.Label
	content   fyne.CanvasObject
}

func newPreviewView() *previewView {
	v := &previewView{filter: filterAll, selected: -1}
	v.counts = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary = widget.NewLabel("")
	v.summary.SizeName = theme.SizeNameCaptionText
	v.summary.Truncation = fyne.TextTruncateEllipsis
	// The notes wrap: cut to the width they lost the end of a sentence
	// ("…is ticked (--…"). previewLayout gives them the height they need
	// at the width they get, up to a few lines, then they scroll.
	v.notes = widget.NewLabel("")
	v.notes.SizeName = theme.SizeNameCaptionText
	v.notes.Wrapping = fyne.TextWrapWord
	v.notesBox = container.NewVScroll(v.notes)
	v.notesBox.Hide()
	v.guards = widget.NewLabel("")
	v.guards.Truncation = fyne.TextTruncateEllipsis
	v.guards.Importance = widget.DangerImportance
	v.confirm = widget.NewCheck("I understand, apply anyway", v.onConfirm)
	bg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNameError), 0x22))
	bg.StrokeColor = theme.Color(theme.ColorNameError)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	v.guardBox = container.NewStack(bg, container.NewBorder(nil, nil, nil, v.confirm, v.guards))
	v.guardBox.Hide()
	v.filterSel = widget.NewRadioGroup(previewFilters, v.onFilter)
	v.filterSel.Horizontal = true
	v.filterSel.Required = true
	v.filterSel.Selected = filterAll
	v.list = &widget.List{
		Length:     func() int { return len(v.rows) },
		CreateItem: v.createRow,
		UpdateItem: v.updateRow,
		OnSelected: v.onSelected,
	}
	v.detail = widget.NewLabel("Select a product to see what changes.")
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.Selectable = true
	split := container.NewHSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.55
	head := container.NewVBox(container.NewBorder(nil, nil, v.counts, nil, v.summary), v.guardBox)
	v.content = container.New(newPreviewLayout(v.notes), head, v.notesBox, v.filterSel, split)
	return v
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// setPlan shows p (nil clears the preview).
func (v *previewView) setPlan(p *catalogsync.Plan) {
	v.plan = p
	v.confirm.SetChecked(false)
	if p == nil {
		v.counts.SetText("")
		v.summary.SetText("")
		v.notes.SetText("")
		v.notesBox.Hide()
		v.guardBox.Hide()
		v.applyFilter()
		return
	}
	c := p.Counts
	// Variants matched by SKU or barcode alone (a price list) are rows of
	// their own, not of a product: counted beside the products.
	counts := fmt.Sprintf("Creates %d · Updates %d", c.Products.Create+countLoose(p, filterCreates),
		c.Products.Update+c.Products.Archive+countLoose(p, filterUpdates))
	if n := countRows(p, filterDeletes); n > 0 {
		counts += fmt.Sprintf(" · Deletes %d", n)
	}
	counts += fmt.Sprintf(" · Unchanged %d · Errors %d", c.Products.Unchanged+countLoose(p, filterUnchanged),
		c.Products.Error+c.Variants.Error+c.Products.Conflict+c.Variants.Conflict)
	if len(p.Guards) > 0 {
		counts += fmt.Sprintf(" · Stopped by %s", plural(len(p.Guards), "safety check"))
	}
	v.counts.SetText(counts)
	v.summary.SetText(planSummary(p))
	notes := planNotes(p)
	v.notes.SetText(strings.Join(notes, "\n"))
	if len(notes) == 0 {
		v.notesBox.Hide()
	} else {
		v.notesBox.Show()
	}
	v.notesBox.ScrollToTop()
	if len(p.Guards) > 0 {
		lines := []string{"Stopped by a safety guard:"}
		for _, g := range p.Guards {
			lines = append(lines, "• "+capitalize(g.Message))
		}
		v.guards.SetText(strings.Join(lines, "\n"))
		v.guardBox.Show()
	} else {
		v.guardBox.Hide()
	}
	v.applyFilter()
	v.content.Refresh() // the top grew or shrank: lay the preview out again
}

// planSummary is the line under the counts: what Apply will send.
func planSummary(p *catalogsync.Plan) string {
	c := p.Counts
	parts := []string{plural(c.Changes, "change") + " to send"}
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, plural(n, what))
		}
	}
	add(c.Variants.Create, "variant") // …to create
	if c.Variants.Create > 0 {
		parts[len(parts)-1] += " to create"
	}
	add(c.Variants.Update, "variant")
	if c.Variants.Update > 0 {
		parts[len(parts)-1] += " to update"
	}
	add(c.Products.Archive, "product")
	if c.Products.Archive > 0 {
		parts[len(parts)-1] += " to archive"
	}
	if n := c.Products.Delete + c.Variants.Delete; n > 0 {
		parts = append(parts, strconv.Itoa(n)+" to delete")
	}
	if n := c.Products.Skipped + c.Variants.Skipped; n > 0 {
		parts = append(parts, strconv.Itoa(n)+" skipped")
	}
	return strings.Join(parts, " · ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// needsConfirm tells whether Apply must wait for the guard checkbox.
func (v *previewView) needsConfirm() bool {
	return v.plan != nil && len(v.plan.Guards) > 0 && !v.confirm.Checked
}

func (v *previewView) onConfirm(bool) {
	if v.onConfirmChanged != nil {
		v.onConfirmChanged(v.confirm.Checked)
	}
}

func (v *previewView) onFilter(f string) {
	if f == "" {
		f = filterAll
	}
	v.filter = f
	v.applyFilter()
}

// planRows are a plan's rows: errors the source could not read first, then
// products, then loose variants.
func planRows(p *catalogsync.Plan) []previewRow {
	var all []previewRow
	for i := range p.SourceErrors {
		all = append(all, previewRow{srcErr: &p.SourceErrors[i]})
	}
	for i := range p.Products {
		all = append(all, previewRow{product: &p.Products[i]})
	}
	for i := range p.Loose {
		all = append(all, previewRow{variant: &p.Loose[i]})
	}
	return all
}

// countRows counts the rows a filter shows, so a count and its filter agree.
func countRows(p *catalogsync.Plan, filter string) int {
	n := 0
	for _, r := range planRows(p) {
		if r.matches(filter) {
			n++
		}
	}
	return n
}

// countLoose counts the rows of variants without their product (matched
// by SKU or barcode alone) a filter shows.
func countLoose(p *catalogsync.Plan, filter string) int {
	n := 0
	for i := range p.Loose {
		if (previewRow{variant: &p.Loose[i]}).matches(filter) {
			n++
		}
	}
	return n
}

// applyFilter rebuilds the visible rows.
func (v *previewView) applyFilter() {
	v.rows = v.rows[:0]
	v.selected = -1
	if p := v.plan; p != nil {
		for _, r := range planRows(p) {
			if r.matches(v.filter) {
				v.rows = append(v.rows, r)
			}
		}
	}
	v.list.UnselectAll()
	v.list.Refresh()
	v.list.ScrollToOffset(0) // ScrollToTop panics before the list is first drawn
	switch {
	case v.plan == nil:
		v.detail.SetText("")
	case len(v.rows) == 0:
		v.detail.SetText("Nothing here with this filter.")
	default:
		v.detail.SetText("Select a product to see what changes." + notesInFull(v.plan))
	}
}

// planNotes are the plan's notes and the columns it does not sync, one
// line each. Above the list they wrap (and scroll past a few lines); the
// detail pane also shows them in full until a product is picked (notesInFull).
func planNotes(p *catalogsync.Plan) []string {
	var notes []string
	for _, n := range p.Notes {
		if w, ok := strings.CutPrefix(n, "warning: "); ok {
			notes = append(notes, "Warning: "+w) // not "Note: warning: …"
			continue
		}
		notes = append(notes, "Note: "+n)
	}
	for _, l := range p.UnsyncedLines() {
		notes = append(notes, "Column not synced: "+l)
	}
	return notes
}

// notesInFull is the notes as paragraphs for the detail pane ("" for none).
func notesInFull(p *catalogsync.Plan) string {
	notes := planNotes(p)
	if len(notes) == 0 {
		return ""
	}
	return "\n\n" + strings.Join(notes, "\n\n")
}

// createRow is two lines beside the action badge: the product's title in
// full width (a long handle beside it used to cut it to one word), then its
// handle and what changes in small type.
func (v *previewView) createRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Product title", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	sub := widget.NewLabel("handle · 3 variants · 4 changes")
	sub.SizeName = theme.SizeNameCaptionText
	sub.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, newActionBadge(), nil, container.NewVBox(title, sub))
}

// heading is the row's first line: the title a merchant knows it by.
func (r previewRow) heading() string {
	if r.product != nil && r.product.Title != "" {
		return r.product.Title
	}
	return r.title()
}

// subline is the second line: the handle (when the title is shown above)
// and what changes or went wrong.
func (r previewRow) subline() string {
	if r.product != nil && r.product.Title != "" && r.product.Title != r.product.Handle {
		return r.product.Handle + " · " + r.note()
	}
	return r.note()
}

func (v *previewView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	r := v.rows[i]
	c := o.(*fyne.Container)
	lines := c.Objects[0].(*fyne.Container)
	lines.Objects[0].(*widget.Label).SetText(r.heading())
	lines.Objects[1].(*widget.Label).SetText(r.subline())
	setActionBadge(c.Objects[1].(*fyne.Container), r.action())
}

func (v *previewView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	v.selected = i
	v.detail.SetText(rowDetail(v.rows[i], locationNames(v.plan)))
}

// newActionBadge is a small coloured pill with the action's name.
func newActionBadge() *fyne.Container {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = 6
	text := canvas.NewText("unchanged", color.Black)
	text.Alignment = fyne.TextAlignCenter
	text.TextSize = theme.CaptionTextSize()
	text.TextStyle.Bold = true
	return container.NewGridWrap(fyne.NewSize(84, 22), container.NewStack(bg, container.NewCenter(text)))
}

func setActionBadge(box *fyne.Container, a catalogsync.Action) {
	stack := box.Objects[0].(*fyne.Container)
	bg := stack.Objects[0].(*canvas.Rectangle)
	text := stack.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
	fill, fg := actionColors(a)
	bg.FillColor, text.Color, text.Text = fill, fg, string(a)
	bg.Refresh()
	text.Refresh()
}

// actionColors picks the badge's colours from the theme: a tint of the
// action's colour under the theme's text colour, which reads in light and
// dark mode alike (white on the bright success green does not).
func actionColors(a catalogsync.Action) (fill, text color.Color) {
	name := theme.ColorNameDisabled
	switch a {
	case catalogsync.ActCreate:
		name = theme.ColorNameSuccess
	case catalogsync.ActUpdate:
		name = theme.ColorNamePrimary
	case catalogsync.ActArchive, catalogsync.ActDelete:
		name = theme.ColorNameWarning
	case catalogsync.ActError, catalogsync.ActConflict:
		name = theme.ColorNameError
	}
	return withAlpha(theme.Color(name), 0x66), theme.Color(theme.ColorNameForeground)
}

// shorten cuts s to at most n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
