package workspace

import (
	"time"

	"github.com/shelfsync/shelfsync/oauth"
)

// Health is a store's state as the store list shows it, worst first.
type Health string

// The health badges of a store.
const (
	HealthAttention Health = "attention"  // reconnect, renewal failed, a failed run nobody opened
	HealthOffline   Health = "offline"    // couldn't verify: the network, not the token
	HealthExpiring  Health = "expiring"   // token runs out soon and can't be renewed by itself
	HealthRowErrors Health = "row-errors" // the last run finished, but some rows were not written
	HealthSyncing   Health = "syncing"    // a run is going on now
	HealthHealthy   Health = "healthy"
	HealthUnknown   Health = "unknown" // never checked
)

// StoreSummary is one row of the store list and the dashboard.
type StoreSummary struct {
	ID         string
	Name       string
	Shop       string // name.myshopify.com
	Group      string // agency client; "" for none
	Demo       bool   // the built-in simulated store
	KindLabel  string // "Custom-app token", "OAuth (expiring, refreshed)", …
	Health     Health
	HealthText string // one line: "Token valid", "Reconnect needed", …
	// ConnectionText is the connection alone ("Connected · token renews
	// itself", "Reconnect needed"), for the dashboard's Connection column;
	// HealthText may speak of the last run instead.
	ConnectionText string
	ExpiresAt      time.Time
	LastRun        *RunSummary // nil when the store never ran
	NextRun        time.Time   // zero when no schedule
	Recent         []RunSummary
}

// TokenStatus is everything the Status tab shows about a store's access.
type TokenStatus struct {
	StoreID          string
	Shop             string
	ShopName         string
	Plan             string
	KindLabel        string
	MaskedToken      string // "shpat_****abcd"; never the token
	ExpiresAt        time.Time
	RefreshExpiresAt time.Time
	LastVerified     time.Time
	Granted          []string
	Needed           []string
	Missing          []string
	Health           Health
	Title            string // "Valid", "Expiring soon (renewing)", "Revoked or uninstalled", …
	Fix              string // what to do about it; "" when nothing
	NotSaved         bool   // the keychain is unavailable: session only
	Renews           bool   // Shelfsync renews this token by itself
	// CanSwitch: a non-expiring OAuth token that SwitchToExpiring can turn
	// into one Shelfsync renews by itself (public apps must by 2027-01-01).
	CanSwitch bool
}

// RunSummary is one run in history.
type RunSummary struct {
	ID         string
	StoreID    string
	StoreName  string
	Kind       string // sync, undo, export
	Trigger    string // manual, scheduled, cli
	Source     string
	State      string // planned, running, interrupted, held, cancelled, failed, finished, undone
	Started    time.Time
	Finished   time.Time
	Created    int
	Updated    int
	Unchanged  int
	Errors     int
	Conflicts  int
	Message    string
	ReportPath string
	UndoOf     string
	// Superseded: a later sync or undo of the store came after this stopped
	// run. Its unsent changes were planned against a store that has changed
	// since, so it is not resumed (that could overwrite the later run).
	Superseded bool
}

// StateInterrupted is the state shown for a run left "running" by a
// Shelfsync that was killed or crashed; Resume finishes it.
const StateInterrupted = "interrupted"

// Failed tells whether the run needs a person to look at it.
func (r RunSummary) Failed() bool {
	return r.State == "failed" || r.State == "held" || r.State == StateInterrupted || r.Errors > 0 || r.Conflicts > 0
}

// Resumable tells whether Resume can take the run further: a held run
// (applied after review), or one that stopped before all its changes were
// sent (interrupted, cancelled, or stopped by an error), as long as no later
// run of the store superseded it.
func (r RunSummary) Resumable() bool {
	if r.Superseded {
		return false
	}
	switch r.State {
	case "held", "cancelled", "failed", StateInterrupted:
		return r.Kind == "sync" || r.Kind == "undo"
	}
	return false
}

// TokenRequest connects a store with a pasted Admin API access token (an
// admin-created custom app's shpat_… token).
type TokenRequest struct {
	Shop    string // any form oauth.NormalizeShop accepts
	Token   string
	Name    string // display name; the shop's name when empty
	Group   string // agency client
	BaseURL string // loopback override for a simulated shop
}

// OAuthRequest connects a store through the authorization-code grant in the
// system browser.
type OAuthRequest struct {
	Shop         string
	ClientID     string
	ClientSecret string
	Port         int  // loopback port registered as the redirect URL; 0: default
	NonExpiring  bool // ask for a non-expiring offline token (default: expiring + refresh)
	Name         string
	Group        string
	BaseURL      string
	OpenBrowser  func(url string) error
	Ready        func(authURL string) // the URL to show for copying
	RedirectHost string               // "127.0.0.1" (default) or "localhost", as registered
	Paste        *oauth.CallbackPaste // takes the address the browser ended on; optional
}

// ClientCredentialsRequest connects a store of the merchant's own
// organisation with the client-credentials grant (24-hour tokens, renewed by
// Shelfsync).
type ClientCredentialsRequest struct {
	Shop         string
	ClientID     string
	ClientSecret string
	Name         string
	Group        string
	BaseURL      string
}

// SyncRequest asks for a preview of syncing one source into one store.
type SyncRequest struct {
	StoreID string
	Source  string // a file path, an https URL or a Google Sheets link
	Sheet   string // XLSX worksheet; "" for the first
	// Mapping is a column mapping for a supplier sheet (JSON of
	// source.Mapping); nil uses the one saved for this store and source, or
	// detects the layout.
	Mapping []byte
	// LocationID is the location the sheet's single quantity column is for;
	// required when the store has several locations and the sheet has one.
	LocationID string
	// Missing is what to do with products the sheet leaves out: "" keeps
	// them, "archive" or "delete" (only when the user switched it on).
	Missing string
	// BlankClears makes a blank cell empty its field in the store ("blank
	// means clear"); off, a blank cell leaves the field as it is. A saved
	// mapping's blankClears turns it on for that source too.
	BlankClears bool
	// Trigger is "manual", "scheduled" or "cli". Manual is the window:
	// the sheet its InspectSheet or SourceColumns read is kept for the
	// manual PlanSync that follows, once (sheetkeep.go).
	Trigger string
}

// ApplyProgress is how far an Apply or Undo has got. Safe to read from any
// goroutine: it is a copy.
type ApplyProgress struct {
	Phase string // "products", "variants", "inventory", …
	Done  int
	Total int
	ETA   time.Duration // 0 when unknown
}

// ScheduleView is one schedule as the Schedule tab and 'schedule list' show it.
type ScheduleView struct {
	ID       string
	StoreID  string
	Source   string
	Spec     string // as the user typed it: "every 15m", "daily 06:30", "0 */2 * * *"
	Text     string // how it reads: "Every 15 minutes"
	TimeZone string
	Enabled  bool
	Paused   bool
	CatchUp  string // "once" or "skip"
	// LocationID is the location the source's quantity column is for ("": none chosen).
	LocationID string
	LastRun    time.Time
	NextRun    time.Time
}

// ScheduleRequest creates or changes a schedule.
type ScheduleRequest struct {
	ID       string // "" creates
	StoreID  string
	Source   string
	Spec     string
	TimeZone string // IANA name; "" for local time
	Enabled  bool
	// LocationID is the location the sheet's single quantity column is for,
	// kept with the source like a manual sync's choice; "" leaves it as saved.
	LocationID string
	// CatchUp says what happens to runs missed while Shelfsync was not
	// running: "once" (default) runs the schedule once at start, however
	// many slots were missed; "skip" waits for the next slot.
	CatchUp string
}
