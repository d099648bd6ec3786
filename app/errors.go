package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// showError logs and shows err under a title that says what failed. Call it
// on the UI goroutine. The engine's errors already say what to do and never
// carry a secret.
func showError(w fyne.Window, what string, err error) {
	fyne.LogError(what, err)
	dialog.ShowError(fmt.Errorf("%s: %w", what, err), w)
}

// settledFunc is told, on the UI goroutine, when a piece of background work
// has finished updating the widgets ("stores", "status", …). The window
// leaves it nil; tests use it to wait without sleeping or racing.
type settledFunc func(what string)

func (f settledFunc) tell(what string) {
	if f != nil {
		f(what)
	}
}

// inBackground runs fetch off the UI goroutine and hands the function it
// returns (nil: nothing to show) to the UI goroutine. Views read with it;
// start it last in a callback, as nothing may touch a widget after it.
func inBackground(fetch func() func()) {
	go func() {
		if show := fetch(); show != nil {
			fyne.Do(show)
		}
	}()
}
