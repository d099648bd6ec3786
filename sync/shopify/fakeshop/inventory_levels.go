package fakeshop

// Inventory quantities at a level: on hand = available + committed + unavailable, where
// unavailable is damaged + quality_control + reserved + safety_stock
// (https://shopify.dev/docs/apps/fulfillment/inventory-management-apps/quantities-states).
// inventorySetQuantities accepts the names available and on_hand ("The only accepted values
// are: available or on_hand", InventorySetQuantitiesInput.name, 2026-04 schema); setting either
// moves the other by the same amount, because committed and unavailable stay as they are.

// setAvailable sets available; on hand moves with it.
func (l *level) setAvailable(n int) {
	l.available = n
	l.onHand = n + l.committed + l.unavailable
}

// setOnHand sets on hand; available moves with it.
func (l *level) setOnHand(n int) {
	l.onHand = n
	l.available = n - l.committed - l.unavailable
}

// seedQuantities takes a seeded level's quantities. An OnHand above Available + Committed +
// Unavailable counts the difference as unavailable, so the sum always holds.
func (l *level) seedQuantities(in InventoryLevel) {
	l.committed, l.unavailable = in.Committed, in.Unavailable
	l.setAvailable(in.Available)
	if in.OnHand > l.onHand {
		l.unavailable += in.OnHand - l.onHand
		l.onHand = in.OnHand
	}
}
