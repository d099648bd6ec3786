package oauth_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/shelfsync/shelfsync/oauth"
)

// BenchmarkAccessTokenCached measures the hot path the client takes before
// every request: a cached, fresh token behind the per-store lock.
func BenchmarkAccessTokenCached(b *testing.B) {
	ctx := context.Background()
	secrets, meta := oauth.NewMemorySecrets(), oauth.NewMemoryMeta()
	src, err := oauth.NewSource(oauth.SourceConfig{StoreID: storeID, Shop: "a.myshopify.com", Secrets: secrets, Meta: meta, Registry: oauth.NewRegistry()})
	if err != nil {
		b.Fatal(err)
	}
	if err := src.Save(ctx, &oauth.Token{Kind: oauth.KindStatic, AccessToken: "shpat_0123456789abcdef0123456789abcdef"}, "", ""); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.AccessToken(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/token")
}

// BenchmarkVerifyQuery measures checking a callback's hmac.
func BenchmarkVerifyQuery(b *testing.B) {
	q := url.Values{"code": {"0907a61c0c8d55e99db179b68161bc00"}, "shop": {"some-shop.myshopify.com"},
		"state": {"0.6784241404160823"}, "timestamp": {"1337178173"}, "hmac": {"700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"}}
	for b.Loop() {
		if !oauth.VerifyQuery(q, "hush") {
			b.Fatal("refused")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/callback")
}

// BenchmarkNormalizeShop measures the validator run on every keystroke.
func BenchmarkNormalizeShop(b *testing.B) {
	for b.Loop() {
		if _, err := oauth.NormalizeShop("https://admin.shopify.com/store/my-store/products"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/input")
}
