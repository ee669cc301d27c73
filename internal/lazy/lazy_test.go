package lazy

import (
	"sync"
	"testing"
)

func TestGetBuildsOnceFromManyGoroutines(t *testing.T) {
	builds := 0
	v := Value[*int]{Build: func() *int { builds++; n := 42; return &n }}
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = v.Get() }()
	}
	wg.Wait()
	if builds != 1 {
		t.Fatalf("built %d times, want once", builds)
	}
	for _, p := range got {
		if p != got[0] || *p != 42 {
			t.Fatalf("Get returned %v, want the one value built", got)
		}
	}
}

var notBuilt = Value[int]{Build: func() int { panic("built before its first use") }}

func TestNothingBuiltBeforeUse(t *testing.T) {
	_ = &notBuilt // declared, never read: its Build must not have run
}
