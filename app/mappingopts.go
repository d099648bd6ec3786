package app

import (
	"encoding/json"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
)

// The choices of the column editor's quantity name.
const (
	qtyAvailable = "Available"
	qtyOnHand    = "On hand"
)

// qtyChoice is the choice shown for a mapping's quantityName.
func qtyChoice(name string) string {
	if name == catalog.QuantityOnHand {
		return qtyOnHand
	}
	return qtyAvailable
}

// onQuantityName names the quantity in the heading: "Quantity on hand".
func (v *mappingView) onQuantityName(choice string) {
	name := ""
	if choice == qtyOnHand {
		name = catalog.QuantityOnHand
	}
	v.qtyHead.SetText("Quantity " + catalogsync.QuantityLabel(name))
	v.clearProblem()
}

// onLocationColumn follows the Location column: with one, each row says
// where its quantity goes (Shopify's inventory CSV), so the single column
// is the quantity column and the per-location columns are not used.
func (v *mappingView) onLocationColumn(choice string) {
	byRow := choice != "" && choice != notInSheet
	for _, r := range v.qty {
		switch {
		case r.key == catalog.DefaultLocation && byRow:
			r.label.SetText("Quantity column")
		case r.key == catalog.DefaultLocation:
			r.label.SetText(singleQuantity)
		case byRow:
			r.sel.Disable()
		default:
			r.sel.Enable()
		}
	}
	v.clearProblem()
}

// withoutBlankClears is mapping (JSON) with its blankClears off: unticking
// "Blank cells clear their field" in the Sync tab must not leave a chosen
// mapping clearing them still. An unreadable mapping is returned as it is
// (the preview reports it).
func withoutBlankClears(mapping []byte) []byte {
	var m source.Mapping
	if mapping == nil || json.Unmarshal(mapping, &m) != nil || !m.BlankClears {
		return mapping
	}
	m.BlankClears = false
	if raw, err := json.Marshal(m); err == nil {
		return raw
	}
	return mapping
}
