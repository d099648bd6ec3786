package fakeshop

// Fulfillment services' legacy locations. A fulfillment service app (a 3PL) has a location of
// its own; the locations query leaves it out unless asked ("includeLegacy: Whether to include
// the legacy locations of fulfillment services", default false, QueryRoot.locations in the
// 2026-04 schema), while an inventory item's inventoryLevels still list the item's level there.
// Location.isFulfillmentService says which it is.

// AddFulfillmentServiceLocation adds an active fulfillment service location and returns it.
func (sh *Shop) AddFulfillmentServiceLocation(name string) Location {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	l := &location{id: sh.cat.newID(), name: name, active: true, fulfillmentService: true}
	sh.cat.locations = append(sh.cat.locations, l)
	return Location{ID: gid("Location", l.id), Name: name, IsActive: true, FulfillmentService: true}
}
