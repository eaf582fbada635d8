package rates

import (
	"errors"
	"testing"
)

func TestFormatValue(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0.00007869, "0.00007869"},
		{0.0020879, "0.002088"},
		{0.01144, "0.01144"},
		{0.09156, "0.09156"},
		{3.5, "3.500"},
		{87.45, "87.45"},
		{478.95, "478.95"},
		{12707.57, "12,707.57"},
		{1234567.891, "1,234,567.89"},
		{0, "0.00"},
	}
	for _, c := range cases {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestFormatChange(t *testing.T) {
	cases := []struct {
		pct  float64
		has  bool
		want string
	}{
		{0.12, true, "▲0.12%"},
		{-0.11, true, "▼0.11%"},
		{0, true, "0.00%"},
		{-0.001, true, "0.00%"},
		{0.004, true, "0.00%"},
		{1, false, ""},
	}
	for _, c := range cases {
		if got := FormatChange(c.pct, c.has); got != c.want {
			t.Errorf("FormatChange(%v,%v) = %q, want %q", c.pct, c.has, got, c.want)
		}
	}
}

func TestFormatQuoteInverted(t *testing.T) {
	q := Quote{Code: "UZS", Base: "USD", PerBase: 12707.57, InBase: 1 / 12707.57, ChangePct: -0.5, HasChange: true}
	if got, want := FormatQuote(q, false), "UZS/USD = 0.00007869 ▼0.50%"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if got, want := FormatQuote(q, true), "USD/UZS = 12,707.57 ▲0.50%"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestReportErrorsText(t *testing.T) {
	r := Report{Errors: map[string]error{
		"erapi":       errors.New("erapi: HTTP 429 Too Many Requests"),
		"frankfurter": errors.New("host not found: api.frankfurter.dev"),
		"store":       errors.New("database is locked"),
		"nbk":         nil,
	}}
	want := "frankfurter: host not found: api.frankfurter.dev; erapi: HTTP 429 Too Many Requests; store: database is locked"
	if got := r.ErrorsText(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if (Report{}).ErrorsText() != "" {
		t.Error("no errors should give no text")
	}
}
