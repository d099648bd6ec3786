package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxNoteLines is how many lines of notes sit above the list before they
// scroll: more would leave the list no room (a sheet can have many columns
// not synced).
const maxNoteLines = 4

// previewLayout stacks the preview: the counts (and guard box), the notes,
// the filters, then the list and detail taking the rest. It exists for the
// notes: a wrapped label knows its height only once it has its width, and
// a Border or VBox asks for the height first, so a wrapped line either
// overlapped the filters or was cut. Here the notes are given the width
// first, then as many lines as they need, up to maxNoteLines.
type previewLayout struct {
	notes    *widget.Label // the label inside objects[1], a vertical Scroll
	maxLines *widget.Label // maxNoteLines lines in the notes' style: their height
}

func newPreviewLayout(notes *widget.Label) *previewLayout {
	ref := widget.NewLabel("1\n2\n3\n4")
	ref.SizeName = notes.SizeName
	return &previewLayout{notes: notes, maxLines: ref}
}

// notesHeight is the notes' height at width: all of them, or maxNoteLines.
func (l *previewLayout) notesHeight(width float32) float32 {
	if width > 0 && l.notes.Size().Width != width {
		l.notes.Resize(fyne.NewSize(width, l.notes.Size().Height)) // wraps at width: MinSize follows
	}
	return min(l.notes.MinSize().Height, l.maxLines.MinSize().Height)
}

// Layout places objects (head, notes, filters, body) top to bottom.
func (l *previewLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	head, notes, filters, body := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	y := float32(0)
	place := func(o fyne.CanvasObject, h float32) {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
	place(head, head.MinSize().Height)
	if notes.Visible() {
		place(notes, l.notesHeight(size.Width))
	}
	place(filters, filters.MinSize().Height)
	body.Move(fyne.NewPos(0, y))
	body.Resize(fyne.NewSize(size.Width, max(size.Height-y, body.MinSize().Height)))
}

// MinSize is the objects' heights at the width the notes last had.
func (l *previewLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	head, notes, filters, body := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	w := max(head.MinSize().Width, filters.MinSize().Width, body.MinSize().Width)
	h := head.MinSize().Height + pad + filters.MinSize().Height + pad + body.MinSize().Height
	if notes.Visible() {
		h += l.notesHeight(0) + pad
	}
	return fyne.NewSize(w, h)
}
