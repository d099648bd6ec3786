package state

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestSettings(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	if _, err := d.GetSetting(ctx, SettingOAuthPort); !errors.Is(err, ErrNotFound) {
		t.Errorf("unset GetSetting = %v, want ErrNotFound", err)
	}
	if v, err := d.SettingOr(ctx, SettingConcurrency, "4"); v != "4" || err != nil {
		t.Errorf("SettingOr default = %q, %v", v, err)
	}
	if err := d.SetSetting(ctx, SettingOAuthPort, "8765"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetSetting(ctx, SettingOAuthPort, "9000"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetSetting(ctx, SettingSchedulesPaused, "true"); err != nil {
		t.Fatal(err)
	}
	if v, err := d.GetSetting(ctx, SettingOAuthPort); v != "9000" || err != nil {
		t.Errorf("GetSetting = %q, %v", v, err)
	}
	if v, _ := d.SettingOr(ctx, SettingOAuthPort, "1"); v != "9000" {
		t.Errorf("SettingOr set = %q", v)
	}
	all, err := d.Settings(ctx)
	if want := map[string]string{SettingOAuthPort: "9000", SettingSchedulesPaused: "true"}; err != nil || !reflect.DeepEqual(all, want) {
		t.Errorf("Settings = %v, %v", all, err)
	}
	if err := d.DeleteSetting(ctx, SettingOAuthPort); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteSetting(ctx, "never-set"); err != nil {
		t.Errorf("DeleteSetting(unset) = %v", err)
	}
	if _, err := d.GetSetting(ctx, SettingOAuthPort); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := d.SetSetting(ctx, "", "x"); err == nil {
		t.Error("empty key accepted")
	}
}

func TestSetSettingRefusesSecretKeys(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	for _, k := range []string{"store.abc.access_token", "client_secret", "notify.slack_webhook_url",
		"Webhook", "proxy.password", "shopify.api_key"} {
		if err := d.SetSetting(ctx, k, "x"); !errors.Is(err, ErrSecretSetting) {
			t.Errorf("SetSetting(%q) = %v, want ErrSecretSetting", k, err)
		}
	}
	for _, k := range []string{SettingNotifySuccess, SettingLastStoreID, SettingConcurrency} {
		if err := d.SetSetting(ctx, k, "x"); err != nil {
			t.Errorf("SetSetting(%q) = %v", k, err)
		}
	}
}
