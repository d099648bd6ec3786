package oauth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

func TestNormalizeShop(t *testing.T) {
	tests := []struct {
		in, want string // want "" means refused
	}{
		{"mystore", "mystore.myshopify.com"},
		{"  MyStore  ", "mystore.myshopify.com"},
		{"my-store-2", "my-store-2.myshopify.com"},
		{"mystore.myshopify.com", "mystore.myshopify.com"},
		{"MYSTORE.MYSHOPIFY.COM", "mystore.myshopify.com"},
		{"mystore.myshopify.com/", "mystore.myshopify.com"},
		{"https://mystore.myshopify.com", "mystore.myshopify.com"},
		{"https://mystore.myshopify.com/admin/products?selectedView=all", "mystore.myshopify.com"},
		{"http://mystore.myshopify.com/admin", "mystore.myshopify.com"},
		{"admin.shopify.com/store/mystore", "mystore.myshopify.com"},
		{"https://admin.shopify.com/store/mystore/products/123", "mystore.myshopify.com"},
		{"https://admin.shopify.com/store/mystore?x=1", "mystore.myshopify.com"},
		{"mystore/", "mystore.myshopify.com"},
		{"", ""},
		{"   ", ""},
		{"mystore.com", ""},
		{"mystore.myshopify.com.evil.com", ""},
		{"evil.com/mystore.myshopify.com", ""},
		{"https://mystore", ""},
		{"ftp://mystore.myshopify.com", ""},
		{"mystore.myshopify.com:443", ""},
		{"user@mystore.myshopify.com", ""},
		{"-mystore", ""},
		{"my_store", ""},
		{"my store", ""},
		{"a.b.myshopify.com", ""},
		{".myshopify.com", ""},
		{"admin.shopify.com/store/", ""},
		{"admin.shopify.com/stores/mystore", ""},
		{"admin.shopify.com", ""},
		{"shpat_0123456789abcdef0123456789abcdef", ""},
		{strings.Repeat("a", 64), ""},
		{strings.Repeat("a", 63), strings.Repeat("a", 63) + ".myshopify.com"},
		{"mystöre", ""},
	}
	for _, tt := range tests {
		got, err := oauth.NormalizeShop(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizeShop(%q) = %q, want an error", tt.in, got)
				continue
			}
			if !errors.Is(err, oauth.ErrInvalidShop) || !strings.Contains(err.Error(), "admin.shopify.com/store/mystore") {
				t.Errorf("NormalizeShop(%q) error %q should match ErrInvalidShop and list the accepted forms", tt.in, err)
			}
			// A token pasted into the shop field must not end up in the message.
			if strings.HasPrefix(tt.in, "shp") && strings.Contains(err.Error(), tt.in) {
				t.Errorf("NormalizeShop(%q) error echoes the input: %q", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeShop(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func FuzzNormalizeShop(f *testing.F) {
	for _, s := range []string{"mystore", "https://admin.shopify.com/store/x", "x.myshopify.com/admin", "a@b", "-", "HTTP://X.MYSHOPIFY.COM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := oauth.NormalizeShop(in)
		if err != nil {
			if got != "" {
				t.Fatalf("error with a result %q", got)
			}
			return
		}
		// Every accepted input yields a valid domain, and normalising is idempotent.
		if !oauth.ValidShopDomain(got) {
			t.Fatalf("NormalizeShop(%q) = %q, not a valid shop domain", in, got)
		}
		if again, err := oauth.NormalizeShop(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, got, again, err)
		}
	})
}

func TestResolveBaseURL(t *testing.T) {
	ok := map[string]string{
		"":                        "https://s.myshopify.com",
		"http://127.0.0.1:8080":   "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/":  "http://127.0.0.1:8080",
		"http://[::1]:9":          "http://[::1]:9",
		" http://127.0.0.2:5000 ": "http://127.0.0.2:5000",
	}
	for in, want := range ok {
		got, err := oauth.ResolveBaseURL("s.myshopify.com", in)
		if err != nil || got != want {
			t.Errorf("ResolveBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"http://10.0.0.1:80", "https://evil.com", "http://127.0.0.1.evil.com", "http://user@127.0.0.1:1",
		"http://127.0.0.1:1/path", "file:///etc/passwd", "127.0.0.1:80", "http://0.0.0.0:80",
		"http://localhost:1", "http://LOCALHOST:1", "http://127.1:1", "http://0x7f000001:1", "http://2130706433:1"} {
		if got, err := oauth.ResolveBaseURL("s.myshopify.com", in); !errors.Is(err, oauth.ErrNotLoopback) {
			t.Errorf("ResolveBaseURL(%q) = %q, %v; want ErrNotLoopback", in, got, err)
		}
	}
	if _, err := oauth.ResolveBaseURL("evil.com", ""); err == nil {
		t.Error("ResolveBaseURL accepted a non-Shopify shop")
	}
}

func TestScopes(t *testing.T) {
	granted := oauth.ParseScopes(" write_products,read_inventory, write_products ,,read_locations")
	if strings.Join(granted, ",") != "read_inventory,read_locations,write_products" {
		t.Fatalf("ParseScopes = %v", granted)
	}
	missing := oauth.MissingScopes(granted, oauth.NeededScopes())
	if strings.Join(missing, ",") != "write_inventory,read_publications,write_publications,read_markets,read_metaobject_definitions,read_metaobjects,write_files" {
		t.Fatalf("MissingScopes = %v, want [write_inventory read_publications write_publications read_markets read_metaobject_definitions read_metaobjects write_files] (write_products implies read_products)", missing)
	}
	// Only write_inventory stops a sync; without the publishing scopes new products stay
	// unpublished, without write_files existing images are not changed.
	if r := oauth.RequiredMissing(missing); strings.Join(r, ",") != "write_inventory" {
		t.Fatalf("RequiredMissing = %v", r)
	}
	if m := oauth.MissingScopes([]string{"read_products"}, []string{"write_products"}); len(m) != 1 {
		t.Fatalf("read must not imply write: %v", m)
	}
}

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{
		"shpat_0123456789abcdef0123456789abcdef": "shpat_****cdef",
		"shprt_0123456789abcdef0123456789abcdef": "shprt_****cdef",
		"0123456789abcdef0123":                   "****0123",
		"shpat_short":                            "shpat_****",
		"":                                       "****",
	} {
		if got := oauth.MaskToken(in); got != want {
			t.Errorf("MaskToken(%q) = %q, want %q", in, got, want)
		}
	}
}
