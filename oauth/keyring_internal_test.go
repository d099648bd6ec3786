package oauth

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestKeyringRunTimeout shows a keychain call stuck behind an unlock prompt
// cannot hold the caller past the timeout or its context.
func TestKeyringRunTimeout(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	stuck := func() error { <-block; return nil }

	k := &Keyring{Timeout: 50 * time.Millisecond}
	if err := k.run(context.Background(), stuck); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	k.Timeout = time.Hour
	if err := k.run(ctx, stuck); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
