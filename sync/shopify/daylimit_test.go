package shopify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

func oneVariant(handle string) shopify.ProductSetInput {
	return shopify.ProductSetInput{Handle: handle, Title: ptr(handle),
		Options:  []shopify.OptionInput{{Name: "Title", Values: []string{"Default Title"}}},
		Variants: []shopify.VariantInput{{OptionValues: []shopify.SelectedOption{{Name: "Title", Value: "Default Title"}}, Price: ptr("1.00")}}}
}

// The daily variant limit is an error of its own, never retried (the same request is refused
// all day), whether Shopify answers with the GraphQL code, or with REST's text in a 429 —
// which a rate-limit 429 would otherwise retry.
func TestVariantLimitIsNotRetried(t *testing.T) {
	for name, answer := range map[string]func(w http.ResponseWriter){
		"graphql": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"errors":[{"message":"Daily variant creation limit reached. Please try again later.","extensions":{"code":"VARIANT_THROTTLE_EXCEEDED"}}],"data":{"productSet":null}}`)
		},
		"429": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"errors":{"product":["Daily variant creation limit reached. Please try again later."]}}`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				answer(w)
			}))
			defer srv.Close()
			c, err := shopify.New(shopify.Options{Shop: "test-shop.myshopify.com", BaseURL: srv.URL, Tokens: shopify.StaticToken("shpat_x")})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = c.ProductSet(ctx, oneVariant("cap"))
			if !errors.Is(err, shopify.ErrVariantLimit) || calls.Load() != 1 {
				t.Fatalf("err = %v after %d requests; want ErrVariantLimit after 1", err, calls.Load())
			}
			if !strings.Contains(err.Error(), "1,000 new variants a day") {
				t.Fatalf("the error does not say what the limit is: %v", err)
			}
		})
	}
}

// Against the simulated shop: a single create past the allowance is ErrVariantLimit, and in a
// bulk create only the refused lines carry the limit's code; the others are created.
func TestVariantLimitFromSimShop(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.PlanGrow, 1)
	sh.SetVariantLimit(3, 2)
	sh.SetBulkRate(0, -1)
	sh.SetBulkDelay(0)
	ctx := context.Background()
	n, err := c.VariantCount(ctx)
	if err != nil || n != 0 {
		t.Fatalf("VariantCount = %d, %v", n, err)
	}
	for _, h := range []string{"a", "b", "c"} {
		if _, err := c.ProductSet(ctx, oneVariant(h)); err != nil {
			t.Fatalf("%s: %v", h, err)
		}
	}
	// 3 variants, 3 created today: the 4th passes the threshold and the allowance of 2.
	if _, err := c.ProductSet(ctx, oneVariant("d")); !errors.Is(err, shopify.ErrVariantLimit) {
		t.Fatalf("err = %v", err)
	}
	sh.SetVariantLimit(3, 5) // two more today
	in := []shopify.ProductSetInput{oneVariant("e"), oneVariant("f"), oneVariant("g")}
	var refused []int
	err = c.ProductSetBulk(ctx, in, func(r shopify.ProductSetResult) {
		var ue *shopify.UserErrors
		if errors.As(r.Err, &ue) && ue.Errors[0].Code == shopify.CodeVariantThrottle {
			refused = append(refused, r.Index)
		} else if r.Err != nil {
			t.Errorf("line %d: %v", r.Index, r.Err)
		}
	})
	if err != nil || fmt.Sprint(refused) != "[2]" {
		t.Fatalf("refused lines %v, err %v", refused, err)
	}
	if n, err := c.VariantCount(ctx); err != nil || n != 5 {
		t.Fatalf("VariantCount = %d, %v", n, err)
	}
}
