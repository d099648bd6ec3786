package workspace

import (
	"context"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// publishKey is the setting that holds a store's publish mode.
func publishKey(storeID string) string { return "store." + storeID + ".publish_new" }

// PublishNew returns where a store's new products are published when the
// sheet has no Published column: the Online Store unless set otherwise.
func (w *Workspace) PublishNew(ctx context.Context, storeID string) (catalogsync.PublishMode, error) {
	v, err := w.db.SettingOr(ctx, publishKey(storeID), "")
	if err != nil {
		return "", err
	}
	return catalogsync.ParsePublishMode(v)
}

// SetPublishNew saves where a store's new products are published when the
// sheet has no Published column.
func (w *Workspace) SetPublishNew(ctx context.Context, storeID string, m catalogsync.PublishMode) error {
	return w.db.SetSetting(ctx, publishKey(storeID), m.String())
}
