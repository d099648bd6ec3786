package app

import (
	"context"
	"time"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// Backend is what the window needs of the engine. *workspace.Workspace
// implements it; tests pass a fake. Every method may block on the network or
// the keychain, so views call it from a goroutine, never from a callback.
type Backend interface {
	SyncBackend
	AlertsBackend
	Stores(ctx context.Context) ([]workspace.StoreSummary, error)
	TokenStatus(ctx context.Context, storeID string, check bool) (workspace.TokenStatus, error)
	ConnectToken(ctx context.Context, req workspace.TokenRequest) (workspace.StoreSummary, error)
	ConnectOAuth(ctx context.Context, req workspace.OAuthRequest) (workspace.StoreSummary, error)
	ConnectClientCredentials(ctx context.Context, req workspace.ClientCredentialsRequest) (workspace.StoreSummary, error)
	ConnectDemo(ctx context.Context, progress func(step string)) (workspace.StoreSummary, error)
	Disconnect(ctx context.Context, storeID string) error
	// SwitchToExpiring replaces a non-expiring OAuth token with an expiring
	// one that Shelfsync renews (once per store; the old token is revoked).
	SwitchToExpiring(ctx context.Context, storeID string) (workspace.TokenStatus, error)
	RedirectURL(port int) string
	// RunAllNow runs every enabled schedule now (of one agency client when
	// group is not ""), in parallel per store.
	RunAllNow(ctx context.Context, group string) []workspace.RunEvent
	// CheckAll verifies (and renews where due) every store's token.
	CheckAll(ctx context.Context) ([]workspace.CheckResult, error)
	// RunScheduler runs due schedules until ctx ends, reporting each run.
	RunScheduler(ctx context.Context, interval time.Duration, onEvent func(workspace.RunEvent))
	SchedulesPaused(ctx context.Context) bool
	PauseSchedules(ctx context.Context, paused bool) error
}
