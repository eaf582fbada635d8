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
	// Two letters swapped are one slip, even in a short word.
	for in, want := range map[string]string{"paeg": "page", "lsit": "list", "jsno": "json", "pgae": "page", "gpea": ""} {
		if got := Nearest(in, []string{"page", "list", "json"}); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
}
