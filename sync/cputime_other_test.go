//go:build !unix

package sync

import "time"

// processCPU is unknown here; benchmarks then report no CPU share.
func processCPU() time.Duration { return 0 }
