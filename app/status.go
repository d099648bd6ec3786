package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// statusView is a store's Status tab: the token at a glance and what to do
// about it.
type statusView struct {
	backend      Backend
	win          fyne.Window
	storeID      string
	onChanged    func() // the store list should reload
	onDisconnect func()
	settled      settledFunc

	status    workspace.TokenStatus
	badge     *healthBadge
	title     *widget.Label
	fix       *widget.Label
	form      *widget.Form
	shop      *widget.Label
	kind      *widget.Label
	token     *widget.Label
	expires   binding.String
	refresh   *widget.Label
	scopes    *widget.Label
	missing   *widget.Label
	verified  *widget.Label
	checkNow  *widget.Button
	switchTok *widget.Button // shown for a non-expiring OAuth token
	remove    *widget.Button
	content   fyne.CanvasObject
	stopClock context.CancelFunc
}

func newStatusView(b Backend, w fyne.Window, storeID string, onChanged, onDisconnect func()) *statusView {
	v := &statusView{backend: b, win: w, storeID: storeID, onChanged: onChanged, onDisconnect: onDisconnect}
	v.badge = newHealthBadge(workspace.HealthUnknown)
	v.title = widget.NewLabelWithStyle("Checking…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.fix = widget.NewLabel("")
	v.fix.Wrapping = fyne.TextWrapWord
	v.shop = widget.NewLabel("")
	v.kind = widget.NewLabel("")
	v.token = widget.NewLabel("")
	v.expires = binding.NewString()
	v.refresh = widget.NewLabel("")
	v.scopes = widget.NewLabel("")
	v.scopes.Wrapping = fyne.TextWrapWord
	v.missing = widget.NewLabel("")
	v.missing.Wrapping = fyne.TextWrapWord
	v.verified = widget.NewLabel("")
	v.form = widget.NewForm(
		widget.NewFormItem("Shop", v.shop),
		widget.NewFormItem("Connection", v.kind),
		widget.NewFormItem("Token", v.token),
		widget.NewFormItem("Expires", widget.NewLabelWithData(v.expires)),
		widget.NewFormItem("Refresh token", v.refresh),
		widget.NewFormItem("Permissions", v.scopes),
		widget.NewFormItem("Missing", v.missing),
		widget.NewFormItem("Last verified", v.verified),
	)
	v.checkNow = widget.NewButtonWithIcon("Check now", theme.ViewRefreshIcon(), v.onCheckNow)
	v.switchTok = widget.NewButtonWithIcon("Switch to an expiring token…", theme.HistoryIcon(), v.onSwitchTapped)
	v.switchTok.Hide()
	v.remove = widget.NewButtonWithIcon("Disconnect", theme.DeleteIcon(), v.onDisconnectTapped)
	v.remove.Importance = widget.DangerImportance
	head := container.NewBorder(nil, nil, v.badge, nil, v.title)
	v.content = container.NewVScroll(container.NewVBox(
		head, v.fix, widget.NewSeparator(), v.form,
		container.NewHBox(v.checkNow, v.switchTok, v.remove),
	))
	return v
}

// load fetches the status; check asks Shopify now instead of using what is saved.
func (v *statusView) load(ctx context.Context, check bool) {
	v.setBusy()
	inBackground(func() func() { return v.fetch(ctx, check) }) // last: nothing touches the UI after it here
}

// setBusy shows that a check is going on.
func (v *statusView) setBusy() {
	v.checkNow.Disable()
	v.checkNow.SetText("Checking…")
}

// fetch asks the backend, off the UI goroutine, and returns the function
// that shows the answer (to run on the UI goroutine).
func (v *statusView) fetch(ctx context.Context, check bool) func() {
	st, err := v.backend.TokenStatus(ctx, v.storeID, check)
	return func() {
		defer v.settled.tell("status")
		v.checkNow.SetText("Check now")
		v.checkNow.Enable()
		if err != nil {
			showError(v.win, "Could not check the store", err)
			return
		}
		v.show(st)
		if check && v.onChanged != nil {
			v.onChanged()
		}
	}
}

func (v *statusView) show(st workspace.TokenStatus) {
	v.status = st
	v.badge.setHealth(st.Health)
	v.title.SetText(st.Title)
	v.fix.SetText(st.Fix)
	v.fix.Hidden = st.Fix == ""
	shop := st.Shop
	if st.ShopName != "" {
		shop = fmt.Sprintf("%s (%s)", st.ShopName, st.Shop)
	}
	if st.Plan != "" {
		shop += " · plan " + st.Plan
	}
	v.shop.SetText(shop)
	kind := st.KindLabel
	if st.Renews {
		kind += " · renewed by Shelfsync"
	}
	v.kind.SetText(kind)
	token := st.MaskedToken
	if st.NotSaved {
		token += "  (not saved: the system keychain is unavailable)"
	}
	v.token.SetText(token)
	v.refresh.SetText(expiryText(st.RefreshExpiresAt, time.Now(), "no refresh token"))
	v.scopes.SetText(strings.Join(st.Granted, ", "))
	if len(st.Missing) == 0 {
		v.missing.SetText("nothing: every permission the sync needs is granted")
	} else {
		v.missing.SetText(missingText(st.Missing))
	}
	if st.LastVerified.IsZero() {
		v.verified.SetText("never")
	} else {
		v.verified.SetText(st.LastVerified.Local().Format("2 Jan 2006 15:04:05"))
	}
	v.tick(time.Now())
	v.form.Refresh()
	if st.CanSwitch {
		v.switchTok.Show()
	} else {
		v.switchTok.Hide()
	}
}

// tick updates the live countdown; the binding is safe to set from the clock goroutine.
func (v *statusView) tick(now time.Time) {
	_ = v.expires.Set(expiryText(v.status.ExpiresAt, now, "never (lasts until the app is uninstalled)"))
}

// startClock runs the countdown, one tick every interval, until ctx ends.
func (v *statusView) startClock(ctx context.Context, interval time.Duration) {
	ctx, v.stopClock = context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				v.tick(now)
			}
		}
	}()
}

func (v *statusView) stop() {
	if v.stopClock != nil {
		v.stopClock()
	}
}

func (v *statusView) onCheckNow() { v.load(context.Background(), true) }

func (v *statusView) onDisconnectTapped() {
	msg := fmt.Sprintf("Disconnect %s?\nShelfsync deletes its tokens and secrets for this store from the keychain.\n"+
		"Run history stays. The app stays installed in Shopify.", v.status.Shop)
	dialog.ShowConfirm("Disconnect store", msg, func(ok bool) {
		if !ok {
			return
		}
		go func() {
			err := v.backend.Disconnect(context.Background(), v.storeID)
			fyne.Do(func() {
				defer v.settled.tell("disconnect")
				if err != nil {
					showError(v.win, "Could not disconnect", err)
					return
				}
				if v.onDisconnect != nil {
					v.onDisconnect()
				}
			})
		}()
	}, v.win)
}

// onSwitchTapped explains what switching to an expiring token means, then
// does it off the UI goroutine.
func (v *statusView) onSwitchTapped() {
	msg := fmt.Sprintf("Switch %s to an expiring token?\n\n"+
		"Shopify replaces the non-expiring token with one that lasts an hour, plus a refresh token that\n"+
		"Shelfsync uses to renew it by itself. Public apps must switch by 1 January 2027.\n\n"+
		"This is done once and can't be undone. The old token stops working at once: another computer\n"+
		"or tool that uses it must reconnect.", v.status.Shop)
	dialog.ShowConfirm("Switch to an expiring token", msg, func(ok bool) {
		if !ok {
			return
		}
		v.switchTok.Disable()
		v.setBusy()
		go func() {
			st, err := v.backend.SwitchToExpiring(context.Background(), v.storeID)
			fyne.Do(func() {
				defer v.settled.tell("switch")
				v.switchTok.Enable()
				v.checkNow.SetText("Check now")
				v.checkNow.Enable()
				if err != nil {
					showError(v.win, "Could not switch to an expiring token", err)
					return
				}
				v.show(st)
				if v.onChanged != nil {
					v.onChanged()
				}
			})
		}()
	}, v.win)
}

// expiryText says when something runs out: "in 23 h 59 min 12 s (25 Nov 14:03)".
func expiryText(at, now time.Time, never string) string {
	if at.IsZero() {
		return never
	}
	d := at.Sub(now)
	when := at.Local().Format("2 Jan 15:04")
	if d <= 0 {
		return "expired " + humanDuration(-d) + " ago (" + when + ")"
	}
	return "in " + humanDuration(d) + " (" + when + ")"
}

// humanDuration prints the two or three largest units of d.
func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	s := int(d % time.Minute / time.Second)
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, h)
	case h > 0:
		return fmt.Sprintf("%d h %d min %d s", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	default:
		return fmt.Sprintf("%d s", s)
	}
}

// missingText lists missing permissions and what each costs: without the
// publishing ones a sync still runs, but new products stay unpublished.
func missingText(missing []string) string {
	t := strings.Join(missing, ", ") + " (reconnect and approve them)"
	if slices.ContainsFunc(oauth.PublishScopes(), func(s string) bool { return slices.Contains(missing, s) }) {
		t += "; without read_publications and write_publications, new products stay unpublished on your sales channels"
	}
	if slices.ContainsFunc(oauth.MarketScopes(), func(s string) bool { return slices.Contains(missing, s) }) {
		t += "; without read_markets, the sheet's market price columns (Price / <Market>) are not synced"
	}
	if slices.ContainsFunc(oauth.LinkScopes(), func(s string) bool { return slices.Contains(missing, s) }) {
		t += "; without read_metaobject_definitions and read_metaobjects, products whose options the sheet links to metafields (Option Linked To) are not created"
	}
	if slices.ContainsFunc(oauth.FileScopes(), func(s string) bool { return slices.Contains(missing, s) }) {
		t += "; without write_files, images of existing products are not changed or removed (new images are still added)"
	}
	return t
}
