package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func init() {
	register(&command{
		name:    "sync",
		summary: "Preview and apply a spreadsheet to a store (only what changed is written)",
		usage:   "sync --store STORE --source FILE|URL [--location NAME|ID] [--blank-clears] [--publish online-store|none] [--dry-run] [--yes] [--json]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			store := fs.String("store", "", "the store (name, domain or ID)")
			src := fs.String("source", "", "a Shopify product CSV, an XLSX file, an https CSV URL or a Google Sheets link")
			sheet := fs.String("sheet", "", "XLSX worksheet (default: the first)")
			location := fs.String("location", "", locationHelp)
			blankClears := fs.Bool("blank-clears", false, "blank means clear: an empty description, vendor, type, tags, barcode or compare-at price cell empties that field (default: a blank cell changes nothing)")
			missing := fs.String("missing", "", "products missing from the sheet: archive or delete (default: keep)")
			mapping := fs.String("mapping", "", "a JSON column mapping for a supplier sheet (saved for this store and source)")
			publish := fs.String("publish", "", "where new products go when the sheet has no Published column: online-store (default) or none (saved for this store)")
			dryRun := fs.Bool("dry-run", false, "print the preview and write nothing")
			yes := fs.Bool("yes", false, "apply without asking, also when a guard tripped")
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, env Env, _ []string) error {
				if *store == "" || *src == "" {
					return fmt.Errorf("%w: --store and --source are required", errUsage)
				}
				w, s, err := openStore(ctx, env, *store)
				if err != nil {
					return err
				}
				defer w.Close()
				if *publish != "" {
					m, err := catalogsync.ParsePublishMode(*publish)
					if err != nil {
						return fmt.Errorf("%w: --publish: %v", errUsage, err)
					}
					if err := w.SetPublishNew(ctx, s.ID, m); err != nil {
						return err
					}
				}
				var mappingJSON []byte
				if *mapping != "" {
					if mappingJSON, err = readMapping(*mapping); err != nil {
						return err
					}
				}
				locationID := ""
				if *location != "" {
					if locationID, err = sheetLocation(ctx, env, w, workspace.SyncRequest{StoreID: s.ID, Source: *src, Sheet: *sheet, Mapping: mappingJSON}, s.Name, *location); err != nil {
						return err
					}
				}
				plan, err := w.PlanSync(ctx, workspace.SyncRequest{StoreID: s.ID, Source: *src, Sheet: *sheet,
					Mapping: mappingJSON, LocationID: locationID, Missing: *missing, BlankClears: *blankClears, Trigger: "cli"})
				if err != nil {
					return withFix(noLocationHelp(ctx, w, s.ID, err))
				}
				if *asJSON && *dryRun {
					return writeJSON(env.Stdout, plan)
				}
				if !*asJSON {
					plan.WriteText(env.Stdout, catalogsync.TextOptions{Limit: 200})
				}
				if *dryRun {
					return planAttention(plan)
				}
				if plan.Counts.Changes == 0 {
					if s := plan.NothingToWriteToday(); s != "" {
						fmt.Fprintln(env.Stdout, s)
					} else {
						fmt.Fprintln(env.Stdout, "Nothing to write: the store already matches the sheet.")
					}
					return planAttention(plan)
				}
				if len(plan.Guards) > 0 && !*yes {
					return attentionError{"Stopped: a guard tripped (see above). Nothing was written. Re-run with --yes to apply anyway."}
				}
				if !*yes && !confirm(env, fmt.Sprintf("Apply %d changes to %s? [y/N] ", plan.Counts.Changes, s.Name)) {
					return attentionError{"Not applied."}
				}
				res, err := w.Apply(ctx, s.ID, plan, *yes, progressPrinter(env.Stderr))
				if *asJSON {
					if jerr := writeJSON(env.Stdout, res); jerr != nil {
						return jerr
					}
				} else if res.ID != "" {
					printRun(env.Stdout, res)
				}
				if err != nil {
					return err
				}
				if res.Failed() {
					return attentionError{fmt.Sprintf("The run finished with %s and %s; see the report.", countOf(res.Errors, "error"), countOf(res.Conflicts, "conflict"))}
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "history",
		summary: "List past runs (all stores, or one)",
		usage:   "history [STORE] [--json]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, env Env, args []string) error {
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				var runs []workspace.RunSummary
				stores, err := w.Stores(ctx)
				if err != nil {
					return err
				}
				for _, s := range stores {
					if len(args) > 0 {
						want, err := w.Find(ctx, args[0])
						if err != nil {
							return err
						}
						if want.ID != s.ID {
							continue
						}
					}
					r, err := w.History(ctx, s.ID)
					if err != nil {
						return err
					}
					if err := w.SeenHistory(ctx, s.ID); err != nil { // someone looked: the red mark goes
						return err
					}
					runs = append(runs, r...)
				}
				for i := range runs {
					runs[i].Source = source.MaskLocation(runs[i].Source) // a feed URL may be a key
				}
				if *asJSON {
					return writeJSON(env.Stdout, runs)
				}
				if len(runs) == 0 {
					fmt.Fprintln(env.Stdout, "No runs yet.")
					return nil
				}
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tSTORE\tWHEN\tKIND\tSTATE\tCREATED\tUPDATED\tERRORS\tSOURCE")
				for _, r := range runs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.ID[:8], r.StoreName, r.Started.Local().Format("2006-01-02 15:04"),
						r.Kind, r.State, r.Created, r.Updated, r.Errors+r.Conflicts, r.Source)
				}
				return tw.Flush()
			}
		},
	})
	register(&command{
		name:    "undo",
		summary: "Put back what a finished run changed (changes made in Shopify since are left alone)",
		usage:   "undo RUN [--dry-run] [--yes]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			dryRun := fs.Bool("dry-run", false, "print the undo preview and write nothing")
			yes := fs.Bool("yes", false, "apply without asking")
			return func(ctx context.Context, env Env, args []string) error {
				w, run, err := openRun(ctx, env, args, "undo")
				if err != nil {
					return err
				}
				defer w.Close()
				plan, err := w.PlanUndo(ctx, run.ID)
				if err != nil {
					return err
				}
				plan.WriteText(env.Stdout, catalogsync.TextOptions{Limit: 200})
				if *dryRun || plan.Counts.Changes == 0 {
					return nil
				}
				if !*yes && !confirm(env, fmt.Sprintf("Undo %d changes of run %s? [y/N] ", plan.Counts.Changes, run.ID[:8])) {
					return attentionError{"Not undone."}
				}
				res, err := w.Apply(ctx, run.StoreID, plan, true, progressPrinter(env.Stderr))
				if res.ID != "" {
					printRun(env.Stdout, res)
				}
				return err
			}
		},
	})
	register(&command{
		name:    "resume",
		summary: "Finish an interrupted, cancelled or failed run, or apply a held run after review",
		usage:   "resume RUN [--dry-run] [--yes] [--json]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			dryRun := fs.Bool("dry-run", false, "print the run's plan and write nothing")
			yes := fs.Bool("yes", false, "go ahead without asking, also when the run was held by a guard")
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, env Env, args []string) error {
				w, run, err := openRun(ctx, env, args, "resume")
				if err != nil {
					return err
				}
				defer w.Close()
				switch {
				case run.Superseded:
					return fmt.Errorf("run %s (%s) was superseded: a later run changed the store since, and resuming this one "+
						"could overwrite it. Preview the sheet again with 'shelfsync sync --dry-run'", run.ID[:8], run.State)
				case !run.Resumable():
					return fmt.Errorf("run %s is %s: there is nothing to resume", run.ID[:8], run.State)
				}
				plan, err := w.LoadPlan(ctx, run.ID)
				if err != nil {
					return err
				}
				if *asJSON && *dryRun {
					return writeJSON(env.Stdout, plan)
				}
				if !*asJSON {
					plan.WriteText(env.Stdout, catalogsync.TextOptions{Limit: 200})
				}
				if *dryRun {
					return nil
				}
				held := run.State == "held"
				prompt := fmt.Sprintf("Resume run %s on %s (changes already made are checked, not repeated)? [y/N] ", run.ID[:8], run.StoreName)
				if held {
					prompt = fmt.Sprintf("Run %s was held because a guard tripped (see above). Apply it to %s anyway? [y/N] ", run.ID[:8], run.StoreName)
				}
				if !*yes && !confirm(env, prompt) {
					return attentionError{"Not resumed; nothing was written."}
				}
				res, err := w.Resume(ctx, run.ID, true, progressPrinter(env.Stderr))
				if *asJSON {
					if jerr := writeJSON(env.Stdout, res); jerr != nil {
						return jerr
					}
				} else if res.ID != "" {
					printRun(env.Stdout, res)
				}
				if err != nil {
					return withFix(err)
				}
				if res.Failed() {
					return attentionError{fmt.Sprintf("The run finished with %s and %s; see the report.", countOf(res.Errors, "error"), countOf(res.Conflicts, "conflict"))}
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "export",
		summary: "Export a store's catalog as a Shopify product CSV",
		usage:   "export --store STORE --out FILE",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			store := fs.String("store", "", "the store (name, domain or ID)")
			out := fs.String("out", "", "the CSV file to write (- for standard output)")
			return func(ctx context.Context, env Env, _ []string) error {
				if *store == "" || *out == "" {
					return fmt.Errorf("%w: --store and --out are required", errUsage)
				}
				w, s, err := openStore(ctx, env, *store)
				if err != nil {
					return err
				}
				defer w.Close()
				if *out == "-" {
					return w.Export(ctx, s.ID, env.rawStdout) // raw: an export round-trips
				}
				// Write to a temporary file and rename, so a failed export never
				// leaves half a catalog where the user expects a whole one.
				tmp, err := os.CreateTemp(dirOf(*out), ".shelfsync-export-*.csv")
				if err != nil {
					return err
				}
				defer os.Remove(tmp.Name())
				if err := w.Export(ctx, s.ID, tmp); err != nil {
					tmp.Close()
					return err
				}
				if err := tmp.Close(); err != nil {
					return err
				}
				if err := os.Rename(tmp.Name(), *out); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "Exported %s to %s\n", s.Name, *out)
				return nil
			}
		},
	})
}

// openRun opens the workspace and finds the one run args names; the caller
// closes the workspace.
func openRun(ctx context.Context, env Env, args []string, verb string) (*workspace.Workspace, workspace.RunSummary, error) {
	if len(args) != 1 {
		return nil, workspace.RunSummary{}, fmt.Errorf("%w: name the run to %s (see 'shelfsync history')", errUsage, verb)
	}
	w, err := openWorkspace(env)
	if err != nil {
		return nil, workspace.RunSummary{}, err
	}
	run, err := w.FindRun(ctx, args[0])
	if err != nil {
		w.Close()
		return nil, workspace.RunSummary{}, err
	}
	return w, run, nil
}

// readMapping reads a column mapping file and checks it is one.
func readMapping(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m source.Mapping
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s is not a column mapping: %w (see 'shelfsync sync --help')", path, err)
	}
	return data, nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}

// planAttention makes a dry run exit 3 when the plan has errors or trips a guard.
func planAttention(p *catalogsync.Plan) error {
	if len(p.Guards) > 0 || p.Counts.Products.Error > 0 || p.Counts.Variants.Error > 0 || len(p.SourceErrors) > 0 {
		return attentionError{""}
	}
	return nil
}

func confirm(env Env, prompt string) bool {
	if env.Stdin == nil {
		return false
	}
	fmt.Fprint(env.Stderr, prompt)
	var answer string
	_, _ = fmt.Fscanln(env.Stdin, &answer)
	return answer == "y" || answer == "Y" || answer == "yes"
}

// progressPrinter prints at most one progress line a second.
func progressPrinter(w io.Writer) func(workspace.ApplyProgress) {
	var last time.Time
	return func(p workspace.ApplyProgress) {
		if time.Since(last) < time.Second && p.Done != p.Total {
			return
		}
		last = time.Now()
		eta := ""
		if p.ETA > 0 {
			eta = ", about " + p.ETA.Round(time.Second).String() + " left"
		}
		fmt.Fprintf(w, "  %s: %d/%d%s\n", p.Phase, p.Done, p.Total, eta)
	}
}

func printRun(w io.Writer, r workspace.RunSummary) {
	fmt.Fprintf(w, "Run %s %s: %d created, %d updated, %d unchanged, %s, %s.\n",
		r.ID[:8], r.State, r.Created, r.Updated, r.Unchanged, countOf(r.Errors, "error"), countOf(r.Conflicts, "conflict"))
	if r.Message != "" {
		fmt.Fprintln(w, r.Message)
	}
	if r.ReportPath != "" {
		fmt.Fprintf(w, "Report: %s\n", r.ReportPath)
	}
	if r.Resumable() {
		fmt.Fprintf(w, "To finish it: shelfsync resume %s\n", r.ID[:8])
	}
}

// shortID is the first 8 characters of a run ID, as history prints it.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// countOf writes "1 error", "2 errors".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
