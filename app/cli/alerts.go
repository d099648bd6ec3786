package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/shelfsync/shelfsync/sync/state"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// webhookEnv is where 'alerts set' reads the webhook URL when --webhook is
// not given, so the secret in it stays out of shell history.
const webhookEnv = "SHELFSYNC_WEBHOOK_URL"

func init() {
	register(&command{
		name:    "alerts",
		summary: "Post each store's failed and held runs to a chat webhook",
		usage: "alerts set --store STORE [--webhook URL] [--on-success] | alerts show [STORE] [--json] | " +
			"alerts test --store STORE | alerts clear --store STORE",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			store := fs.String("store", "", "the store (name, domain or ID)")
			webhook := fs.String("webhook", "", "the webhook URL (https); - reads it from standard input (or set "+webhookEnv+"); either keeps it out of shell history and the process list")
			onSuccess := fs.Bool("on-success", false, "post successful runs too (failed and held runs are always posted)")
			asJSON := fs.Bool("json", false, "print JSON (show)")
			return func(ctx context.Context, env Env, args []string) error {
				args, err := parseInterspersed(fs, args)
				if errors.Is(err, flag.ErrHelp) {
					return nil
				}
				if err != nil {
					return fmt.Errorf("%w: %v", errUsage, err)
				}
				if len(args) == 0 {
					return fmt.Errorf("%w: say set, show, test or clear", errUsage)
				}
				action := args[0]
				if *store == "" && len(args) > 1 {
					*store = args[1]
				}
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				if action == "show" {
					return showAlerts(ctx, env.Stdout, w, *store, *asJSON)
				}
				if action != "set" && action != "test" && action != "clear" {
					return fmt.Errorf("%w: unknown action %q", errUsage, action)
				}
				if *store == "" {
					return fmt.Errorf("%w: %s needs --store", errUsage, action)
				}
				s, err := w.Find(ctx, *store)
				if err != nil {
					return err
				}
				switch action {
				case "set":
					return setAlerts(ctx, env, w, s, secretFlag(env, *webhook, webhookEnv), *onSuccess)
				case "test":
					if err := w.TestAlert(ctx, s.ID); err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "Sent a test alert for %s.\n", s.Name)
					return nil
				}
				if err := w.ClearAlerts(ctx, s.ID); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "Removed the alerts of %s.\n", s.Name)
				return nil
			}
		},
	})
}

func setAlerts(ctx context.Context, env Env, w *workspace.Workspace, s state.Store, url string, onSuccess bool) error {
	cur, err := w.Alerts(ctx, s.ID)
	if err != nil {
		return err
	}
	if url == "" && !cur.HasWebhook {
		return fmt.Errorf("%w: give the webhook URL with --webhook or in %s", errUsage, webhookEnv)
	}
	if err := w.SetAlerts(ctx, s.ID, workspace.Alerts{WebhookURL: url, NotifyOnSuccess: onSuccess}); err != nil {
		return err
	}
	v, err := w.Alerts(ctx, s.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Alerts for %s go to %s: %s.\n", s.Name, v.WebhookHost, alertWhat(v))
	fmt.Fprintln(env.Stdout, "The URL is kept in the system keychain. Try it with 'shelfsync alerts test --store "+s.Name+"'.")
	return nil
}

func alertWhat(v workspace.AlertsView) string {
	if v.NotifyOnSuccess {
		return "every run"
	}
	return "failed and held runs"
}

// alertRow is one store's alert settings in 'alerts show --json'.
type alertRow struct {
	StoreID string
	Store   string
	workspace.AlertsView
}

func showAlerts(ctx context.Context, out io.Writer, w *workspace.Workspace, ref string, asJSON bool) error {
	var stores []state.Store
	if ref != "" {
		s, err := w.Find(ctx, ref)
		if err != nil {
			return err
		}
		stores = append(stores, s)
	} else {
		list, err := w.DB().ListStores(ctx)
		if err != nil {
			return err
		}
		stores = list
	}
	rows := make([]alertRow, 0, len(stores))
	for _, s := range stores {
		v, err := w.Alerts(ctx, s.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		rows = append(rows, alertRow{StoreID: s.ID, Store: s.Name, AlertsView: v})
	}
	if asJSON {
		return writeJSON(out, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(out, "No stores yet. Connect one with 'shelfsync connect'.")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STORE\tWEBHOOK\tPOSTS\tLAST DELIVERY")
	for _, r := range rows {
		hook, what, last := "-", "-", "-"
		if r.HasWebhook {
			hook, what = r.WebhookHost, alertWhat(r.AlertsView)
		}
		if r.LastError != "" {
			last = "failed: " + r.LastError
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Store, hook, what, last)
	}
	return tw.Flush()
}
