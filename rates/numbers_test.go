package rates

import "testing"

func TestChangePct(t *testing.T) {
	if p, ok := changePct(110, 100); !ok || !near(p, 10) {
		t.Errorf("changePct(110, 100) = %v, %v", p, ok)
	}
	for _, c := range [][2]float64{{0, 1}, {1, 0}, {-1, 1}, {1e308, 1e-308}} {
		if p, ok := changePct(c[0], c[1]); ok {
			t.Errorf("changePct(%g, %g) = %v, true", c[0], c[1], p)
		}
	}
}
