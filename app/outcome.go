package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// runOutcome is a run's result in the words and colour every view uses
// (the store card, the dashboard, History, the Sync tab): green when it went
// through, amber when it finished but some rows need a look or it waits for
// a person, red only when it stopped.
type runOutcome int

const (
	outcomeDone      runOutcome = iota // finished, every row written
	outcomeRowErrors                   // finished; some rows could not be written
	outcomeHeld                        // a safety guard held it; nothing written
	outcomeCancelled                   // the user cancelled it
	outcomeStopped                     // failed or interrupted before the end
	outcomeRunning
	outcomeOther // planned, undone
)

func outcomeOf(r workspace.RunSummary) runOutcome {
	switch r.State {
	case "failed", workspace.StateInterrupted:
		return outcomeStopped
	case "held":
		return outcomeHeld
	case "cancelled":
		return outcomeCancelled
	case "running":
		return outcomeRunning
	case "finished":
		if r.Errors+r.Conflicts > 0 {
			return outcomeRowErrors
		}
		return outcomeDone
	}
	return outcomeOther
}

// rowProblems is "2 row errors", counting conflicts (rows the store changed
// since the preview) with the rows that could not be written.
func rowProblems(r workspace.RunSummary) string {
	return plural(r.Errors+r.Conflicts, "row error")
}

// outcomeWords is the run's state in words: "Finished", "Finished with 2
// row errors", "Stopped (failed)", "Held for review", …
func outcomeWords(r workspace.RunSummary) string {
	switch outcomeOf(r) {
	case outcomeDone:
		return "Finished"
	case outcomeRowErrors:
		return "Finished with " + rowProblems(r)
	case outcomeHeld:
		return "Held for review"
	case outcomeCancelled:
		return "Cancelled"
	case outcomeStopped:
		if r.State == workspace.StateInterrupted {
			return "Stopped (interrupted)"
		}
		return "Stopped (failed)"
	case outcomeRunning:
		return "Running"
	}
	if r.State == "" {
		return "Unknown"
	}
	return capitalise(r.State)
}

// needsLook: amber or red.
func (o runOutcome) needsLook() bool {
	return o == outcomeRowErrors || o == outcomeHeld || o == outcomeStopped || o == outcomeCancelled
}

func (o runOutcome) importance() widget.Importance {
	switch o {
	case outcomeStopped:
		return widget.DangerImportance
	case outcomeRowErrors, outcomeHeld, outcomeCancelled:
		return widget.WarningImportance
	case outcomeDone:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

func (o runOutcome) color() color.Color {
	switch o {
	case outcomeStopped:
		return theme.Color(theme.ColorNameError)
	case outcomeRowErrors, outcomeHeld, outcomeCancelled:
		return theme.Color(theme.ColorNameWarning)
	case outcomeDone:
		return theme.Color(theme.ColorNameSuccess)
	case outcomeRunning:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNameDisabled)
}

// failureColor colours a run's row errors in the chart: red when the run
// stopped, amber otherwise.
func (o runOutcome) failureColor() color.Color {
	if o == outcomeStopped {
		return theme.Color(theme.ColorNameError)
	}
	return theme.Color(theme.ColorNameWarning)
}

// outcomeLine is "Finished with 1 row error: 1 created, 3 updated".
func outcomeLine(r workspace.RunSummary) string {
	return fmt.Sprintf("%s: %d created, %d updated", outcomeWords(r), r.Created, r.Updated)
}
