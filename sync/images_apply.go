package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// imageEntries are the journal entries of a product's image changes, one
// per ImageChange, in order. An added image's entry gets the new media's ID
// (ShopifyIDs [product, media]) once the store has it; an order or a
// variant's image names an image this run adds by srcToken until then.
func imageEntries(pp *ProductPlan) []state.JournalEntry {
	out := make([]state.JournalEntry, 0, len(pp.Images))
	for _, c := range pp.Images {
		row := c.Cell.Row
		if row == 0 {
			row = pp.Row
		}
		en := state.JournalEntry{ItemKey: pp.Handle, Field: c.Change, ShopifyIDs: []string{pp.ProductID}, SourceRow: row}
		switch c.Change {
		case ImageAdd:
			en.New = c.Src
		case ImageAlt:
			en.Old, en.New = c.Old, c.New
			en.ShopifyIDs = append(en.ShopifyIDs, c.MediaID)
		case ImageRemove:
			en.Old = c.Old
			en.ShopifyIDs = append(en.ShopifyIDs, c.MediaID)
		case ImageRestore:
			en.New = c.New
			en.ShopifyIDs = append(en.ShopifyIDs, c.MediaID)
		case ImageDelete:
			en.Old = c.Old
			en.ShopifyIDs = append(en.ShopifyIDs, c.MediaID)
		case ImageOrder:
			en.Old, en.New = strings.Join(c.OldOrder, "\n"), strings.Join(c.Order, "\n")
		case VariantImage:
			en.ItemKey, en.Old, en.New = c.Variant, c.OldMedia, c.MediaID
			if en.New == "" {
				en.New = srcToken(c.Src)
			}
			en.ShopifyIDs = append(en.ShopifyIDs, c.VariantID)
		}
		out = append(out, en)
	}
	return out
}

// mediaWait bounds how long a run waits for the images it added to be
// processed before it sets a variant's image or the order with them.
func (e *Engine) mediaWait() time.Duration {
	if e.MediaWait > 0 {
		return e.MediaWait
	}
	return 2 * time.Minute
}

// errNoMediaStore refuses image changes on a store that can't make them.
var errNoMediaStore = errors.New("this store connection can't change product images")

// sendImages makes a product's image changes idx in the order that keeps
// them valid: images off and back on, new images, then (once Shopify has
// processed the new ones) alt texts, the order and variants' images. An
// answer whose outcome is unknown stops there; the entries not yet known
// stay pending and the executor re-reads the store (verify).
func (x *executor) sendImages(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	ms, ok := x.st.(MediaStore)
	if !ok {
		return x.failAll(idx, errNoMediaStore), nil, nil
	}
	pp, pid := o.product, o.product.ProductID
	todo := map[string][]int{}
	for _, i := range idx {
		todo[pp.Images[i].Change] = append(todo[pp.Images[i].Change], i)
	}
	var res []result
	step := func(list []int, err error) error {
		if err == nil {
			res = append(res, allResults(list, state.JournalDone, "", nil)...)
			return nil
		}
		res = append(res, x.failAll(list, err)...)
		if c := classify(err); c == errUnknown || c == errFatal {
			return err
		}
		return nil
	}
	// Images Shopify could not process, deleted: one fileDelete.
	if dels := todo[ImageDelete]; len(dels) > 0 {
		ids := make([]string, len(dels))
		for k, i := range dels {
			ids[k] = pp.Images[i].MediaID
		}
		if err := step(dels, ms.DeleteMedia(ctx, ids)); err != nil {
			return res, nil, err
		}
	}
	// Off and back on: one fileUpdate.
	var moves []MediaChange
	var moved []int
	for _, i := range append(slices.Clone(todo[ImageRemove]), todo[ImageRestore]...) {
		c := pp.Images[i]
		if c.Change == ImageRemove {
			moves = append(moves, MediaChange{ID: c.MediaID, RemoveFrom: pid})
		} else {
			moves = append(moves, MediaChange{ID: c.MediaID, AddTo: pid})
		}
		moved = append(moved, i)
	}
	if len(moves) > 0 {
		if err := step(moved, ms.UpdateMedia(ctx, moves)); err != nil {
			return res, nil, err
		}
	}
	if adds := todo[ImageAdd]; len(adds) > 0 {
		r, err := x.addImages(ctx, ms, o, adds)
		res = append(res, r...)
		if err != nil {
			return res, nil, err
		}
	}
	ids := x.addedIDs(o, res)
	waitFor := map[string]bool{}
	for _, id := range ids {
		waitFor[id] = true
	}
	ready, failedMsg, err := x.waitForMedia(ctx, ms, pid, waitFor)
	if err != nil {
		return res, nil, err
	}
	for k, r := range res { // an added image Shopify could not process: a row error with its reason
		if o.entries[r.i].Field == ImageAdd && len(r.ids) > 1 && failedMsg[r.ids[1]] != "" {
			next := "; the next sync fetches it once more"
			if pp.Images[r.i].Retry {
				next = " (the second try); it is not fetched again: fix the address or the file"
			}
			res[k].state, res[k].msg = state.JournalFailed, "Shopify could not use "+pp.Images[r.i].Src+": "+strings.TrimSuffix(failedMsg[r.ids[1]], ".")+next
		}
	}
	if alts := todo[ImageAlt]; len(alts) > 0 {
		var in []MediaChange
		for _, i := range alts {
			alt := pp.Images[i].New
			in = append(in, MediaChange{ID: pp.Images[i].MediaID, Alt: &alt})
		}
		if err := step(alts, ms.UpdateMedia(ctx, in)); err != nil {
			return res, nil, err
		}
	}
	resolve := func(t string) (string, string) { // media ID, or why it can't be used
		src, isNew := strings.CutPrefix(t, "src:")
		if !isNew {
			return t, ""
		}
		id := ids[src]
		switch {
		case id == "":
			return "", "the image " + src + " was not added"
		case failedMsg[id] != "":
			return "", "Shopify could not use the image " + src
		case !ready[id]:
			return "", "Shopify is still processing the image " + src + "; run the sync again to finish"
		}
		return id, ""
	}
	for _, i := range todo[ImageOrder] {
		var order []string
		for _, t := range pp.Images[i].Order {
			if id, why := resolve(t); why == "" {
				order = append(order, id)
			} else if !strings.Contains(why, "not added") && !strings.Contains(why, "could not") {
				res = append(res, result{i: i, state: state.JournalFailed, msg: "image order: " + why})
				order = nil
				break
			}
		}
		if order == nil {
			continue
		}
		if err := step([]int{i}, ms.ReorderMedia(ctx, pid, order)); err != nil {
			return res, nil, err
		}
	}
	for _, i := range todo[VariantImage] {
		c := pp.Images[i]
		t := c.MediaID
		if t == "" && c.Src != "" {
			t = srcToken(c.Src)
		}
		id, why := resolve(t) // "" (no Src, no MediaID): the variant's image is cleared
		if why != "" {
			res = append(res, result{i: i, state: state.JournalFailed, msg: "image of variant " + c.Variant + ": " + why})
			continue
		}
		if err := step([]int{i}, ms.SetVariantMedia(ctx, pid, c.VariantID, id, c.OldMedia)); err != nil {
			return res, nil, err
		}
	}
	return res, nil, nil
}

// addImages adds the images of entries adds and returns their outcomes,
// each done one with the new media's ID. The store's images before the call
// tell the new ones (appended, in input order) apart.
func (x *executor) addImages(ctx context.Context, ms MediaStore, o *op, adds []int) ([]result, error) {
	pid := o.product.ProductID
	before, err := ms.ProductMedia(ctx, []string{pid}, nil)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	if set := before[pid]; set != nil {
		for _, m := range set.Media {
			known[m.ID] = true
		}
	}
	in := make([]FileInput, len(adds))
	for k, i := range adds {
		in[k] = FileInput{Source: o.product.Images[i].Src, Alt: o.product.Images[i].Alt}
	}
	after, err := ms.AddMedia(ctx, pid, in)
	ie, refused := itemErrors(err)
	if err != nil && !refused {
		return x.failAll(adds, err), err
	}
	var fresh []string
	for _, m := range after {
		if !known[m.ID] {
			fresh = append(fresh, m.ID)
		}
	}
	var res []result
	n := 0
	for k, i := range adds {
		if refused {
			if it, bad := ie.errFor(k); bad {
				res = append(res, result{i: i, state: state.JournalFailed, msg: it.Message})
				continue
			}
		}
		if n >= len(fresh) { // fewer new images than inputs: look again (verify)
			return res, errUnknownMedia
		}
		res = append(res, result{i: i, state: state.JournalDone, ids: []string{pid, fresh[n]}})
		n++
	}
	return res, nil
}

// errUnknownMedia: the store shows fewer new images than were sent.
var errUnknownMedia = fmt.Errorf("the product shows fewer new images than were added, checking again: %w", shopify.ErrOutcomeUnknown)

// addedIDs maps each address this op has added (now, or in an earlier
// attempt of the run) to its media ID.
func (x *executor) addedIDs(o *op, res []result) map[string]string {
	ids := map[string]string{}
	for i, en := range o.entries {
		if en.Field == ImageAdd && len(en.ShopifyIDs) > 1 {
			ids[o.product.Images[i].Src] = en.ShopifyIDs[1]
		}
	}
	for _, r := range res {
		if o.entries[r.i].Field == ImageAdd && len(r.ids) > 1 {
			ids[o.product.Images[r.i].Src] = r.ids[1]
		}
	}
	return ids
}

// waitForMedia polls the product's images until those of ids are processed
// (READY or FAILED) or e.mediaWait passes. It returns which are ready and
// the reason of each that failed.
func (x *executor) waitForMedia(ctx context.Context, ms MediaStore, pid string, ids map[string]bool) (map[string]bool, map[string]string, error) {
	ready, failed := map[string]bool{}, map[string]string{}
	if len(ids) == 0 {
		return ready, failed, nil
	}
	deadline := x.e.now().Add(x.e.mediaWait())
	for attempt := 0; ; attempt++ {
		sets, err := ms.ProductMedia(ctx, []string{pid}, nil)
		if err != nil {
			return ready, failed, err
		}
		waiting := 0
		if set := sets[pid]; set != nil {
			for _, m := range set.Media {
				switch {
				case !ids[m.ID]:
				case m.Status == mediaReady:
					ready[m.ID] = true
				case m.Status == mediaFailed:
					failed[m.ID] = m.Error
					if m.Error == "" {
						failed[m.ID] = "processing failed"
					}
				default:
					waiting++
				}
			}
		}
		if waiting == 0 || !x.e.now().Before(deadline) {
			return ready, failed, nil
		}
		x.backoff(ctx, min(attempt, 4))
		if ctx.Err() != nil {
			return ready, failed, ctx.Err()
		}
	}
}

// recordImages keeps the addresses of the images an op added, done or
// failed (a failed one is fetched once more by the next run, and a retry is
// recorded as one: not tried a third time), and forgets the images it deleted.
func (x *executor) recordImages(ctx context.Context, o *op) error {
	if o.kind != opImages || x.storeID == "" {
		return nil
	}
	var list []state.MediaSource
	var gone []string
	for i, en := range o.entries {
		switch {
		case en.Field == ImageAdd && len(en.ShopifyIDs) > 1:
			c := o.product.Images[i]
			list = append(list, state.MediaSource{ProductID: en.ShopifyIDs[0], Source: c.Src, MediaID: en.ShopifyIDs[1], Retried: c.Retry})
		case en.Field == ImageDelete && en.State == state.JournalDone && len(en.ShopifyIDs) > 1:
			gone = append(gone, en.ShopifyIDs[1])
		}
	}
	if err := x.db.ForgetMediaSources(context.WithoutCancel(ctx), x.storeID, gone); err != nil {
		return err
	}
	return x.db.RecordMediaSources(context.WithoutCancel(ctx), x.storeID, list)
}

// imageApplied reports whether the store (cur, its images read) already
// shows image change i of o, with the media ID an add made.
func imageApplied(cur *snapshot, o *op, i int, known map[string]bool) (bool, []string) {
	p := cur.byID[o.product.ProductID]
	if p == nil {
		return false, nil
	}
	c := o.product.Images[i]
	en := &o.entries[i]
	at := func(id string) int { return slices.IndexFunc(p.Media, func(m SnapMedia) bool { return m.ID == id }) }
	switch c.Change {
	case ImageAdd: // a new image (not one the plan saw) of the address's file name, or any new one while not processed
		if len(en.ShopifyIDs) > 1 && at(en.ShopifyIDs[1]) >= 0 {
			return true, en.ShopifyIDs
		}
		for _, m := range p.Media {
			if !known[m.ID] && !slices.Contains(c.OldOrder, m.ID) && (m.URL == "" || baseName(fileName(m.URL)) == baseName(fileName(c.Src))) {
				known[m.ID] = true // claimed: another add of this op can't have made it
				return true, []string{p.ID, m.ID}
			}
		}
		return false, nil
	case ImageAlt:
		k := at(c.MediaID)
		return k >= 0 && p.Media[k].Alt == c.New, nil
	case ImageRemove:
		return at(c.MediaID) < 0, nil
	case ImageRestore:
		return at(c.MediaID) >= 0, nil
	case ImageDelete:
		return at(c.MediaID) < 0, nil
	case ImageOrder:
		var now []string
		for _, m := range p.Media {
			if slices.Contains(c.Order, m.ID) {
				now = append(now, m.ID)
			}
		}
		var want []string
		for _, t := range c.Order {
			if !strings.HasPrefix(t, "src:") {
				want = append(want, t)
			}
		}
		return slices.Equal(now, want) && !slices.ContainsFunc(c.Order, func(t string) bool { return strings.HasPrefix(t, "src:") }), nil
	case VariantImage:
		v := findVariant(p, c.VariantID)
		return v != nil && c.MediaID != "" && v.MediaID == c.MediaID, nil
	}
	return false, nil
}

// undoImage plans putting back one image change of a run: an image it added
// is taken off (if it is still there), an alt text or an order it wrote goes
// back if the store still shows it, an image it took off is put back, and a
// variant gets its image back. A value changed in Shopify since is left
// alone as a conflict. added maps product ID + address to the media the run
// added from it.
func (u *undoer) undoImage(pp *ProductPlan, cur *SnapProduct, en state.JournalEntry, added map[string]string) {
	if cur == nil || !cur.MediaRead {
		conflict(&pp.Action, &pp.Message)
		return
	}
	at := func(id string) int { return slices.IndexFunc(cur.Media, func(m SnapMedia) bool { return m.ID == id }) }
	mid := ""
	if len(en.ShopifyIDs) > 1 {
		mid = en.ShopifyIDs[1]
	}
	var c *ImageChange
	switch en.Field {
	case ImageAdd: // taken off; deleted when Shopify could not process it (fileUpdate can't touch it)
		k := at(mid)
		switch {
		case k < 0:
		case cur.Media[k].Status == mediaFailed:
			c = &ImageChange{Change: ImageDelete, Image: k + 1, MediaID: mid, Old: en.New}
		case cur.Media[k].Status != mediaReady:
			pp.Action, pp.Message = ActConflict, "Shopify is still processing the image "+en.New+" the run added; undo again once it is done"
			return
		default:
			c = &ImageChange{Change: ImageRemove, Image: k + 1, MediaID: mid, Old: cur.Media[k].URL}
		}
	case ImageDelete: // gone for good: nothing to put back
		return
	case ImageRemove:
		if at(mid) < 0 {
			c = &ImageChange{Change: ImageRestore, MediaID: mid, New: en.Old}
		}
	case ImageRestore:
		if k := at(mid); k >= 0 {
			c = &ImageChange{Change: ImageRemove, Image: k + 1, MediaID: mid, Old: cur.Media[k].URL}
		}
	case ImageAlt:
		k := at(mid)
		if k < 0 || cur.Media[k].Alt != en.New {
			conflict(&pp.Action, &pp.Message)
			return
		}
		c = &ImageChange{Change: ImageAlt, Image: k + 1, MediaID: mid, Old: cur.Media[k].Alt, New: en.Old}
	case ImageOrder:
		var wrote, now, back []string
		for _, t := range strings.Split(en.New, "\n") {
			if src, ok := strings.CutPrefix(t, "src:"); ok {
				t = added[cur.ID+"\x00"+src]
			}
			if t != "" && at(t) >= 0 {
				wrote = append(wrote, t)
			}
		}
		for _, m := range cur.Media {
			if slices.Contains(wrote, m.ID) {
				now = append(now, m.ID)
			}
		}
		if !slices.Equal(now, wrote) {
			conflict(&pp.Action, &pp.Message)
			return
		}
		for _, id := range strings.Split(en.Old, "\n") {
			if id != "" && at(id) >= 0 {
				back = append(back, id)
			}
		}
		names := func(ids []string) string {
			out := make([]string, len(ids))
			for i, id := range ids {
				out[i] = fileName(cur.Media[at(id)].URL)
			}
			return strings.Join(out, ", ")
		}
		c = &ImageChange{Change: ImageOrder, Order: back, OldOrder: mediaIDs(cur.Media), Old: names(mediaIDs(cur.Media)), New: names(back)}
	case VariantImage:
		wrote := en.New
		if src, ok := strings.CutPrefix(wrote, "src:"); ok {
			wrote = added[cur.ID+"\x00"+src]
		}
		vid := ""
		if len(en.ShopifyIDs) > 1 {
			vid = en.ShopifyIDs[1]
		}
		v := findVariant(cur, vid)
		if v == nil || wrote == "" || v.MediaID != wrote {
			conflict(&pp.Action, &pp.Message)
			return
		}
		name := func(id string) string {
			if k := at(id); k >= 0 {
				return fileName(cur.Media[k].URL)
			}
			return ""
		}
		c = &ImageChange{Change: VariantImage, Variant: en.ItemKey, VariantID: vid, MediaID: en.Old, OldMedia: v.MediaID,
			Old: name(v.MediaID), New: name(en.Old)}
	}
	if c == nil {
		return // already as it was
	}
	if u.noFiles && needsFiles(c.Change) { // said and left, so the undo never stops half-done on "access denied"
		what := "not undone (" + c.Line() + ")"
		if en.Field == ImageAdd {
			what = "the image " + en.New + " the run added stays"
		}
		pp.Message = joinMessages(pp.Message, "images: "+what+": "+msgNoWriteFiles)
		return
	}
	pp.Images = append(pp.Images, *c)
	if pp.Action != ActDelete {
		pp.Action = ActUpdate
	}
}

// addedMedia maps product ID + "\x00" + address to the media a run added.
func addedMedia(done []state.JournalEntry) map[string]string {
	out := map[string]string{}
	for _, en := range done {
		if en.Field == ImageAdd && en.State == state.JournalDone && len(en.ShopifyIDs) > 1 {
			out[en.ShopifyIDs[0]+"\x00"+en.New] = en.ShopifyIDs[1]
		}
	}
	return out
}

// readMediaFor reads the images of the products whose image changes are
// being undone.
func readMediaFor(ctx context.Context, st Store, snap *snapshot, done []state.JournalEntry) error {
	var ids, withVariants []string
	for _, en := range done {
		if isImageField(en.Field) && len(en.ShopifyIDs) > 0 {
			ids = append(ids, en.ShopifyIDs[0])
			if en.Field == VariantImage {
				withVariants = append(withVariants, en.ShopifyIDs[0])
			}
		}
	}
	ms, ok := st.(MediaStore)
	if len(ids) == 0 || !ok {
		return nil
	}
	return fillMedia(ctx, ms, snap, dedupe(ids), dedupe(withVariants), 0)
}

// recordCreatedImages keeps the addresses of a new product's images
// (productSet creates its files in input order), so a resync knows them by
// Shelfsync's record rather than by file name. Best effort: without the
// record the file name still tells them.
func (x *executor) recordCreatedImages(ctx context.Context, in *ProductInput, productID string) {
	ms, ok := x.st.(MediaStore)
	if !ok || len(in.Files) == 0 || x.storeID == "" {
		return
	}
	sets, err := ms.ProductMedia(ctx, []string{productID}, nil)
	if err != nil || sets[productID] == nil {
		return
	}
	_ = x.db.RecordMediaSources(context.WithoutCancel(ctx), x.storeID, createdSources(in, &SnapProduct{ID: productID, Media: sets[productID].Media}))
}

// createdSources pairs a new product's files with its images (sp.Media, in
// the order productSet created them); none when the counts differ.
func createdSources(in *ProductInput, sp *SnapProduct) []state.MediaSource {
	if len(in.Files) == 0 || len(sp.Media) != len(in.Files) {
		return nil
	}
	list := make([]state.MediaSource, len(in.Files))
	for i, f := range in.Files {
		list[i] = state.MediaSource{ProductID: sp.ID, Source: f.Source, MediaID: sp.Media[i].ID}
	}
	return list
}

// imageEntryText is an image change's journal entry as the run's report says it.
func imageEntryText(en state.JournalEntry) string {
	switch en.Field {
	case ImageAdd:
		return "image added: " + en.New
	case ImageAlt:
		return "alt text: " + quote(en.Old) + " → " + quote(en.New)
	case ImageRemove:
		return "image removed: " + en.Old
	case ImageRestore:
		return "image put back: " + en.New
	case ImageDelete:
		return "image deleted (Shopify could not process it): " + en.Old
	case ImageOrder:
		return "image order changed"
	case VariantImage:
		return "variant image changed"
	}
	return en.Field
}

// newVariantImages gives each new variant in ins whose image is one this
// run added to the product (Image set) that image's media ID, once Shopify
// has processed it: its product's images op ran first (o.images, in the
// product's line), so the image was added and waited for there, and one read
// here confirms it is READY (a variant's image must be: Shopify documents
// NON_READY_MEDIA for productVariantAppendMedia,
// https://shopify.dev/docs/api/admin-graphql/latest/mutations/productVariantAppendMedia).
// The image then goes with the variant's create (productVariantsBulkCreate
// mediaId), so undoing the create takes it off too. A variant whose image
// can't be set yet is created without it, with a note (notes[k]) that the
// next sync sets it. Only an error that stops the run is returned.
func (x *executor) newVariantImages(ctx context.Context, o *op, ins []VariantInput) ([]string, error) {
	notes := make([]string, len(ins))
	want := map[string]bool{}
	for k := range ins {
		if ins[k].MediaID == "" && ins[k].Image != "" {
			want[ins[k].Image] = true
		}
	}
	if len(want) == 0 {
		return notes, nil
	}
	ids := map[string]string{} // address → media ID this run added from it
	if o.images != nil {
		ids = x.addedIDs(o.images, nil)
	}
	waitFor := map[string]bool{}
	for src := range want {
		if id := ids[src]; id != "" {
			waitFor[id] = true
		}
	}
	ready, failed := map[string]bool{}, map[string]string{}
	if ms, ok := x.st.(MediaStore); ok && len(waitFor) > 0 {
		var err error
		ready, failed, err = x.waitForMedia(ctx, ms, o.productID, waitFor)
		if classify(err) == errFatal || ctx.Err() != nil {
			return nil, err
		}
	}
	for k := range ins {
		src := ins[k].Image
		ins[k].Image = "" // not sent: the media ID stands for it
		if src == "" || ins[k].MediaID != "" {
			continue
		}
		id := ids[src]
		switch {
		case id != "" && ready[id]:
			ins[k].MediaID = id
		case id != "" && failed[id] != "":
			notes[k] = "its image " + src + " was not set: Shopify could not use it"
		case id != "":
			notes[k] = "its image " + src + " is set by the next sync: Shopify is still processing it"
		default:
			notes[k] = "its image " + src + " is set by the next sync: it was not added to the product"
		}
	}
	return notes, nil
}
