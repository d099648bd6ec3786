package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func init() {
	register(&command{
		name:    "locations",
		summary: "List a store's locations (names and IDs, for --location)",
		usage:   "locations STORE [--json]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, env Env, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("%w: name the store (see 'shelfsync stores')", errUsage)
				}
				w, s, err := openStore(ctx, env, args[0])
				if err != nil {
					return err
				}
				defer w.Close()
				locs, err := w.Locations(ctx, s.ID)
				if err != nil {
					return withFix(err)
				}
				if *asJSON {
					return writeJSON(env.Stdout, locs)
				}
				return printLocations(env.Stdout, locs)
			}
		},
	})
}

func printLocations(w io.Writer, locs []catalogsync.Location) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tID\tACTIVE")
	for _, l := range locs {
		active := "yes"
		if !l.IsActive {
			active = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Name, l.ID, active)
	}
	return tw.Flush()
}

// locationHelp says what --location is for, and when it is needed.
const locationHelp = "location (name or ID, see 'shelfsync locations') for the sheet's single quantity column; needed only when that column names no location and the store has several (a Location column, as in Shopify's inventory CSV, or a column per location says where stock goes)"

// sheetLocation is --location for a sync or a schedule of req's sheet: the
// location's ID when the sheet has a single quantity column that names no
// location, as the Sync and Schedule tabs ask for one only then. A sheet
// that says where its quantities go (a Location column, or a column per
// location) does not use it: that is said on stderr, and no location is
// saved with the sheet.
func sheetLocation(ctx context.Context, env Env, w *workspace.Workspace, req workspace.SyncRequest, storeName, ref string) (string, error) {
	if info, err := w.InspectSheet(ctx, req); err == nil && !info.NeedsLocation() {
		fmt.Fprintf(env.Stderr, "note: --location is not used. %s\n", info.StockText)
		return "", nil
	}
	// A sheet that can't be read is reported by the preview.
	return resolveLocation(ctx, w, req.StoreID, storeName, ref)
}

// resolveLocation turns --location (a location's name, any case, or its ID,
// with or without the gid://shopify/Location/ prefix) into the store's
// location ID. An unknown one is an error that lists the store's locations.
func resolveLocation(ctx context.Context, w *workspace.Workspace, storeID, storeName, ref string) (string, error) {
	locs, err := w.Locations(ctx, storeID)
	if err != nil {
		return "", withFix(err)
	}
	if id, ok := matchLocation(locs, ref); ok {
		return id, nil
	}
	return "", fmt.Errorf("%w: %s has no location %q; its locations are:\n%s", errUsage, storeName, ref, locationList(locs))
}

func matchLocation(locs []catalogsync.Location, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	for _, l := range locs {
		if l.ID == ref || strings.TrimPrefix(l.ID, "gid://shopify/Location/") == ref {
			return l.ID, true
		}
	}
	for _, l := range locs {
		if strings.EqualFold(strings.TrimSpace(l.Name), ref) {
			return l.ID, true
		}
	}
	return "", false
}

// locationList is the store's locations, one per line, for an error.
func locationList(locs []catalogsync.Location) string {
	var b strings.Builder
	_ = printLocations(&b, locs)
	return strings.TrimRight(b.String(), "\n")
}

// noLocationHelp adds the store's locations to the engine's "choose the
// location" error, so the user can pick one without another command.
func noLocationHelp(ctx context.Context, w *workspace.Workspace, storeID string, err error) error {
	if !errors.Is(err, catalogsync.ErrNoLocation) {
		return err
	}
	locs, lerr := w.Locations(ctx, storeID)
	if lerr != nil {
		return err
	}
	return fmt.Errorf("%w: pass --location with a name or ID:\n%s", err, locationList(locs))
}
