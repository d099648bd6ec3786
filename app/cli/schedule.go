package cli

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func init() {
	register(&command{
		name:    "schedule",
		summary: "List, set or remove scheduled syncs",
		usage:   "schedule list [STORE] | schedule set --store STORE --source FILE|URL --every SPEC [--location NAME|ID] [--tz ZONE] [--id ID] [--disabled] | schedule remove ID",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			store := fs.String("store", "", "the store (name, domain or ID)")
			src := fs.String("source", "", "the file or URL to sync from")
			spec := fs.String("every", "", `when: "every 15m", "daily 06:30" or a cron expression "0 */2 * * *"`)
			tz := fs.String("tz", "", "IANA time zone, e.g. Europe/Berlin (default: this computer's)")
			location := fs.String("location", "", locationHelp+"; default: the one the last sync of this source used")
			id := fs.String("id", "", "change this schedule instead of adding one")
			disabled := fs.Bool("disabled", false, "save the schedule switched off")
			catchUp := fs.String("catch-up", "once", "runs missed while Shelfsync was not running: once (run once at start) or skip")
			asJSON := fs.Bool("json", false, "print JSON (list)")
			return func(ctx context.Context, env Env, args []string) error {
				if len(args) == 0 {
					return fmt.Errorf("%w: say list, set or remove", errUsage)
				}
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				switch args[0] {
				case "list":
					storeID := ""
					if len(args) > 1 {
						s, err := w.Find(ctx, args[1])
						if err != nil {
							return err
						}
						storeID = s.ID
					}
					list, err := w.Schedules(ctx, storeID)
					if err != nil {
						return err
					}
					for i := range list {
						list[i].Source = source.MaskLocation(list[i].Source) // a feed URL may be a key
					}
					if *asJSON {
						return writeJSON(env.Stdout, list)
					}
					if len(list) == 0 {
						fmt.Fprintln(env.Stdout, "No schedules. Add one with 'shelfsync schedule set --store S --source FILE --every hourly'.")
						return nil
					}
					tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tWHEN\tNEXT RUN\tLAST RUN\tENABLED\tSOURCE")
					for _, s := range list {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", s.ID[:8], s.Text, when(s.NextRun, "-"), when(s.LastRun, "never"), s.Enabled && !s.Paused, s.Source)
					}
					if w.SchedulesPaused(ctx) {
						fmt.Fprintln(tw, "(all schedules are paused)")
					}
					return tw.Flush()
				case "set":
					if *store == "" || *src == "" || *spec == "" {
						return fmt.Errorf("%w: set needs --store, --source and --every", errUsage)
					}
					s, err := w.Find(ctx, *store)
					if err != nil {
						return err
					}
					locationID := ""
					if *location != "" {
						if locationID, err = sheetLocation(ctx, env, w, workspace.SyncRequest{StoreID: s.ID, Source: *src}, s.Name, *location); err != nil {
							return err
						}
					}
					v, err := w.SetSchedule(ctx, workspace.ScheduleRequest{ID: *id, StoreID: s.ID, Source: *src, Spec: *spec, TimeZone: *tz,
						Enabled: !*disabled, CatchUp: *catchUp, LocationID: locationID})
					if err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "Schedule %s: %s, next run %s.\n", v.ID[:8], v.Text, when(v.NextRun, "-"))
					fmt.Fprintln(env.Stdout, "It runs while the Shelfsync window is open, or from cron with 'shelfsync run-due'.")
					return nil
				case "remove":
					if len(args) != 2 {
						return fmt.Errorf("%w: remove needs the schedule ID", errUsage)
					}
					list, err := w.Schedules(ctx, "")
					if err != nil {
						return err
					}
					for _, s := range list {
						if s.ID == args[1] || (len(args[1]) >= 6 && len(s.ID) >= len(args[1]) && s.ID[:len(args[1])] == args[1]) {
							if err := w.RemoveSchedule(ctx, s.ID); err != nil {
								return err
							}
							fmt.Fprintf(env.Stdout, "Removed schedule %s.\n", s.ID[:8])
							return nil
						}
					}
					return fmt.Errorf("no schedule %q: see 'shelfsync schedule list'", args[1])
				}
				return fmt.Errorf("%w: unknown action %q", errUsage, args[0])
			}
		},
	})
	register(&command{
		name:    "run-due",
		summary: "Run every schedule that is due, then exit (for cron or a systemd timer)",
		usage:   "run-due",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			return func(ctx context.Context, env Env, _ []string) error {
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				events := w.RunDue(ctx)
				if len(events) == 0 {
					fmt.Fprintln(env.Stdout, "Nothing due.")
				}
				return printEvents(env, events)
			}
		},
	})
	register(&command{
		name:    "run-now",
		summary: "Run every enabled schedule now, or one agency client's, in parallel per store",
		usage:   "run-now [--group CLIENT]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			group := fs.String("group", "", "only the stores of this agency client")
			return func(ctx context.Context, env Env, _ []string) error {
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				events := w.RunAllNow(ctx, *group)
				if len(events) == 0 {
					if *group != "" {
						fmt.Fprintf(env.Stdout, "No enabled schedules for %q.\n", *group)
					} else {
						fmt.Fprintln(env.Stdout, "No enabled schedules.")
					}
				}
				return printEvents(env, events)
			}
		},
	})
}

// printEvents prints what each scheduled run did; exit 3 when any needs attention.
func printEvents(env Env, events []workspace.RunEvent) error {
	failed := 0
	for _, ev := range events {
		switch {
		case ev.Err != nil:
			failed++
			fmt.Fprintf(env.Stderr, "%s: %v\n", dash(ev.StoreName), ev.Err)
		case ev.Held:
			failed++
			fmt.Fprintf(env.Stdout, "%s: held for review (a guard tripped); nothing written. %s\n"+
				"Review it with: shelfsync resume %s\n", ev.StoreName, ev.Run.Message, shortID(ev.Run.ID))
		default:
			fmt.Fprintf(env.Stdout, "%s: ", ev.StoreName)
			printRun(env.Stdout, ev.Run)
		}
	}
	if failed > 0 {
		return attentionError{fmt.Sprintf("%d of %d runs need attention", failed, len(events))}
	}
	return nil
}
