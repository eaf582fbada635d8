package rates

import (
	"math"
	"strconv"
	"strings"
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

func TestFormatValueNeverPrintsMeaninglessDigits(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{1e-308, "1.000e-308"},
		{1e308, "1.000e+308"},
		{-1e308, "-1.000e+308"},
		{math.SmallestNonzeroFloat64, "4.941e-324"},
		{math.MaxFloat64, "1.798e+308"},
		{1.23456789e-17, "1.235e-17"},
		{1e-16, "0.0000000000000001000"}, // 20 digits: still in full
		{1e17, "100,000,000,000,000,000.00"},
		{1e18, "1.000e+18"},
		{0.0000010123, "0.000001012"}, // IRR/USD-like: in full
		{math.NaN(), "?"},
		{math.Inf(1), "?"},
	} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%g) = %q, want %q", c.v, got, c.want)
		}
	}
	// Over every magnitude a float64 has: at least 4 significant digits
	// (the printed value within 0.05% of v), never more than maxDigits (20)
	// digits, never a long string.
	for e := -324; e <= 308; e++ {
		for _, m := range []float64{1, 1.2345, 9.9996} {
			v := m * math.Pow(10, float64(e))
			if v == 0 || math.IsInf(v, 0) {
				continue
			}
			s := FormatValue(v)
			digits := 0
			for _, r := range s {
				if r >= '0' && r <= '9' {
					digits++
				}
			}
			if digits > maxDigits || len(s) > 26 {
				t.Errorf("FormatValue(%g) = %q (%d chars, %d digits)", v, s, len(s), digits)
			}
			back, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
			if err != nil || math.Abs(back/v-1) > 0.0005 {
				t.Errorf("FormatValue(%g) = %q reads back as %g (%v)", v, s, back, err)
			}
		}
	}
}
