package suggest

import "testing"

func TestNearest(t *testing.T) {
	known := []string{"page_size", "keep_days", "headlines", "rates.currencies"}
	for in, want := range map[string]string{
		"page_sise":  "page_size",
		"Headline":   "headlines",
		"keep":       "",
		"zzzzzzzzzz": "",
		"":           "",
	} {
		if got := Nearest(in, known); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
