package source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGoogleSheetsCSVURL(t *testing.T) {
	const id = "1AbC-dEf_123"
	cases := map[string]string{
		"https://docs.google.com/spreadsheets/d/" + id + "/edit#gid=42":                "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv&gid=42",
		"https://docs.google.com/spreadsheets/d/" + id + "/edit?usp=sharing":           "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
		"https://docs.google.com/spreadsheets/d/" + id + "/edit?gid=7#gid=7":           "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv&gid=7",
		"https://docs.google.com/spreadsheets/d/" + id:                                 "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
		"https://docs.google.com/spreadsheets/d/" + id + "/":                           "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
		"https://docs.google.com/spreadsheets/u/1/d/" + id + "/htmlview":               "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
		"https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv&gid=3":    "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv&gid=3",
		"https://docs.google.com/spreadsheets/d/" + id + "/export?format=xlsx":         "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
		"https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pubhtml?gid=5&single=true": "https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pub?output=csv&gid=5&single=true",
		"https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pub?output=csv":            "https://docs.google.com/spreadsheets/d/e/2PACX-1vQ/pub?output=csv",
		" https://docs.google.com/spreadsheets/d/" + id + "/edit#gid=abc ":             "https://docs.google.com/spreadsheets/d/" + id + "/export?format=csv",
	}
	for in, want := range cases {
		got, ok := GoogleSheetsCSVURL(in)
		if !ok || got != want {
			t.Errorf("GoogleSheetsCSVURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"https://docs.google.com/document/d/x/edit", "https://example.com/spreadsheets/d/x", "https://docs.google.com/spreadsheets/", "::"} {
		if got, ok := GoogleSheetsCSVURL(in); ok {
			t.Errorf("GoogleSheetsCSVURL(%q) = %q, want not a sheet", in, got)
		}
	}
}

func TestReadURL(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.csv", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte("SKU,Qty\nA,1\nB,2\n"))
	})
	mux.HandleFunc("/denied", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", http.StatusForbidden) })
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain") // a lying content type
		w.Write([]byte("<!DOCTYPE html><html><head><title>Sign in</title></head></html>"))
	})
	mux.HandleFunc("/htmltype", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("SKU\nA\n"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("SKU,Qty\n" + strings.Repeat("A,1\n", 1000)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/redirect-out", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/x.csv", http.StatusFound)
	})
	mux.HandleFunc("/redirect-ok", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok.csv", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()
	opts := Options{HTTPClient: srv.Client()}

	cat, err := ReadURL(ctx, srv.URL+"/ok.csv?key=secret", opts)
	if err != nil || len(cat.Variants) != 2 {
		t.Fatalf("ok: %v %v", cat, err)
	}
	if cat, err := Read(ctx, srv.URL+"/redirect-ok", opts); err != nil || len(cat.Variants) != 2 {
		t.Errorf("redirect within loopback: %v", err)
	}
	bad := []struct {
		path, msg string
		o         Options
	}{
		{"/denied", "HTTP 403", opts},
		{"/missing", "HTTP 404", opts},
		{"/login", "web page", opts},
		{"/htmltype", "web page", opts},
		{"/big", "larger than", Options{HTTPClient: srv.Client(), MaxBytes: 100}},
		{"/slow", "in time", Options{HTTPClient: srv.Client(), Timeout: 50 * time.Millisecond}},
		{"/redirect-out", "https", opts},
	}
	for _, b := range bad {
		_, err := ReadURL(ctx, srv.URL+b.path+"?token=hunter2", b.o)
		if err == nil || !strings.Contains(err.Error(), b.msg) {
			t.Errorf("%s: error %v, want %q", b.path, err, b.msg)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error leaks the query string: %v", b.path, err)
		}
	}
	for _, u := range []string{"http://example.com/a.csv", "ftp://127.0.0.1/a.csv", "https://", "not a url"} {
		if _, err := ReadURL(ctx, u, opts); err == nil {
			t.Errorf("ReadURL(%q) accepted", u)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ReadURL(cancelled, srv.URL+"/ok.csv", opts); err == nil {
		t.Error("cancelled context accepted")
	}
}

func TestGoogleAccessErrors(t *testing.T) {
	// Route docs.google.com to a local server to see the advice Google's answers produce.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/export") || r.URL.Query().Get("format") != "csv" || r.URL.Query().Get("gid") != "9" {
			t.Errorf("unexpected request %s", r.URL)
		}
		http.Redirect(w, r, "https://accounts.google.com/ServiceLogin?continue=x", http.StatusFound)
	}))
	defer srv.Close()
	client := srv.Client()
	client.Transport = rewriteTo(srv.URL, client.Transport)
	_, err := ReadURL(context.Background(), "https://docs.google.com/spreadsheets/d/ID/edit#gid=9", Options{HTTPClient: client})
	if err == nil || !strings.Contains(err.Error(), "Anyone with the link") {
		t.Errorf("login redirect: %v", err)
	}
	denied := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "denied", http.StatusUnauthorized)
	}))
	defer denied.Close()
	client = denied.Client()
	client.Transport = rewriteTo(denied.URL, client.Transport)
	_, err = ReadURL(context.Background(), "https://docs.google.com/spreadsheets/d/ID/edit", Options{HTTPClient: client})
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "Anyone with the link") {
		t.Errorf("401: %v", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "stock.csv")
	if err := os.WriteFile(csvPath, []byte("SKU,Qty\nA,1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	xlsxPath := filepath.Join(dir, "stock.xlsx")
	if err := os.WriteFile(xlsxPath, workbook(t, "", true), 0o600); err != nil {
		t.Fatal(err)
	}
	if cat, err := Read(context.Background(), csvPath, Options{}); err != nil || len(cat.Variants) != 1 {
		t.Errorf("csv: %v", err)
	}
	if cat, err := Read(context.Background(), xlsxPath, Options{}); err != nil || len(cat.Variants) != 4 {
		t.Errorf("xlsx: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.csv"), Options{}); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ReadFile(csvPath, Options{MaxBytes: 4}); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("size cap: %v", err)
	}
}

// rewriteTo sends every request to base, keeping the path and query.
type rewriter struct {
	base string
	next http.RoundTripper
}

func rewriteTo(base string, next http.RoundTripper) http.RoundTripper { return rewriter{base, next} }

func (rw rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "docs.google.com" {
		return rw.next.RoundTrip(r)
	}
	u := *r.URL
	u.Scheme, u.Host = "http", strings.TrimPrefix(rw.base, "http://")
	r2 := r.Clone(r.Context())
	r2.URL = &u
	return rw.next.RoundTrip(r2)
}
