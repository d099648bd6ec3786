package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// AlertsBackend is what the Alerts tab needs: a store's webhook (kept in the
// system keychain, shown only by its host) and whether successes are told too.
type AlertsBackend interface {
	Alerts(ctx context.Context, storeID string) (workspace.AlertsView, error)
	SetAlerts(ctx context.Context, storeID string, a workspace.Alerts) error
	ClearAlerts(ctx context.Context, storeID string) error
	TestAlert(ctx context.Context, storeID string) error
}

// alertsView is a store's Alerts tab: failed or held runs always show a
// desktop notification and turn the store red; a webhook can tell a chat too.
type alertsView struct {
	backend AlertsBackend
	win     fyne.Window
	storeID string
	settled settledFunc

	current   *widget.Label
	lastError *widget.Label
	result    *widget.Label // what the last Save or test did
	url       *widget.Entry
	onSuccess *widget.Check
	save      *widget.Button
	test      *widget.Button
	clear     *widget.Button
	content   fyne.CanvasObject
}

func newAlertsView(b AlertsBackend, w fyne.Window, storeID string) *alertsView {
	v := &alertsView{backend: b, win: w, storeID: storeID}
	v.current = widget.NewLabel("")
	v.lastError = widget.NewLabel("")
	v.lastError.Importance = widget.DangerImportance
	v.lastError.Wrapping = fyne.TextWrapWord
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.result.Importance = widget.SuccessImportance
	v.result.Hide()
	v.url = widget.NewPasswordEntry() // chat webhook URLs carry a secret in their path
	v.url.SetPlaceHolder("https://hooks.slack.com/services/… (kept in the system keychain)")
	v.onSuccess = widget.NewCheck("Also tell me when a run succeeds (notification and webhook)", nil)
	v.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.onSave)
	v.save.Importance = widget.HighImportance
	v.test = widget.NewButtonWithIcon("Send a test", theme.MailSendIcon(), v.onTest)
	v.clear = widget.NewButtonWithIcon("Remove webhook", theme.DeleteIcon(), v.onClear)
	intro := widget.NewLabel("A run that stopped, was held or left rows behind always shows a desktop notification " +
		"and marks the store on the dashboard. A webhook also posts each run's result as JSON (store, run, counts, " +
		"state, report link) to your chat or monitoring, with retries.")
	intro.Wrapping = fyne.TextWrapWord
	what := widget.NewLabel("What is a webhook? An address your chat app gives you (Slack, Microsoft Teams, Discord: " +
		"\"Incoming webhook\" in the channel's settings) so Shelfsync can post into that channel.")
	what.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Webhook", v.current),
		widget.NewFormItem("New URL", v.url),
		widget.NewFormItem("", v.onSuccess),
	)
	v.content = container.NewVScroll(container.NewVBox(intro, what, form, v.lastError, v.result,
		container.NewHBox(v.save, v.test, v.clear)))
	return v
}

// fetch reads the settings off the UI goroutine; the result shows them.
func (v *alertsView) fetch(ctx context.Context) func() {
	a, err := v.backend.Alerts(ctx, v.storeID)
	return func() {
		defer v.settled.tell("alerts")
		if err != nil {
			showError(v.win, "Could not read the alert settings", err)
			return
		}
		v.show(a)
	}
}

func (v *alertsView) show(a workspace.AlertsView) {
	if a.HasWebhook {
		v.current.SetText(a.WebhookHost)
		v.test.Enable()
		v.clear.Enable()
	} else {
		v.current.SetText("none")
		v.test.Disable()
		v.clear.Disable()
	}
	v.onSuccess.SetChecked(a.NotifyOnSuccess)
	v.lastError.SetText(a.LastError)
	v.lastError.Hidden = a.LastError == ""
}

// run does work off the UI goroutine, then reloads the settings; done,
// if set, runs on the UI goroutine when the work succeeded.
func (v *alertsView) run(what string, work func(ctx context.Context) error, done func()) {
	v.result.Hide()
	v.save.Disable()
	go func() {
		ctx := context.Background()
		err := work(ctx)
		show := v.fetch(ctx)
		fyne.Do(func() {
			v.save.Enable()
			show()
			defer v.settled.tell("alerts-done")
			if err != nil {
				showError(v.win, what, err) // the typed URL stays, to correct it
				return
			}
			if done != nil {
				done()
			}
		})
	}()
}

func (v *alertsView) onSave() {
	a := workspace.Alerts{WebhookURL: v.url.Text, NotifyOnSuccess: v.onSuccess.Checked}
	v.run("Could not save the alert settings", func(ctx context.Context) error {
		return v.backend.SetAlerts(ctx, v.storeID, a)
	}, func() {
		v.url.SetText("")
		v.say("Saved. Press \"Send a test\" to check the message arrives.")
	})
}

func (v *alertsView) onTest() {
	v.run("The test alert did not arrive", func(ctx context.Context) error {
		return v.backend.TestAlert(ctx, v.storeID)
	}, func() { v.say("Test sent: look for it in your channel.") })
}

func (v *alertsView) onClear() {
	dialog.ShowConfirm("Remove webhook", "Stop posting this store's runs to the webhook?", func(ok bool) {
		if ok {
			v.run("Could not remove the webhook", func(ctx context.Context) error {
				return v.backend.ClearAlerts(ctx, v.storeID)
			}, nil)
		}
	}, v.win)
}

func (v *alertsView) say(text string) {
	v.result.SetText(text)
	v.result.Show()
}
