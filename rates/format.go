package rates

import (
	"math"
	"strconv"
	"strings"
)

// maxDigits is the most digits FormatValue writes out in full: a float64
// means about 16 significant digits, and four more are the most shown
// beyond them. A value that needs more is written compactly instead.
const maxDigits = 20

// FormatValue prints a rate with at least four significant digits and
// thousands grouping: 0.00007869, 0.002088, 3.500, 478.95, 12,707.57. A
// value that would need more than maxDigits digits in full (below about
// 1e-16 or from 1e18) is written with four significant digits and an
// exponent: 1.000e-308, 1.000e+308.
func FormatValue(v float64) string {
	if !finite(v) {
		return "?"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	intDigits, decimals := 1, 2
	if v != 0 && v < 1 {
		decimals = 3 - int(math.Floor(math.Log10(v)))
	} else if v >= 1 {
		intDigits = int(math.Floor(math.Log10(v))) + 1
		decimals = max(2, 4-intDigits)
	}
	if intDigits+decimals > maxDigits {
		if neg {
			v = -v
		}
		return strconv.FormatFloat(v, 'e', 3, 64)
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Pair is the label of a quote: "KZT/USD", or "USD/KZT" when inverted.
func Pair(q Quote, invert bool) string {
	if invert {
		return q.Base + "/" + q.Code
	}
	return q.Code + "/" + q.Base
}

// Value is the number shown for the pair: InBase, or PerBase when inverted.
func Value(q Quote, invert bool) float64 {
	if invert {
		return q.PerBase
	}
	return q.InBase
}

// Change is the percent change of the shown pair. Inverting a pair turns a
// change of c% into 100/(1+c/100) - 100.
func Change(q Quote, invert bool) float64 {
	if !invert || !q.HasChange {
		return q.ChangePct
	}
	f := 1 + q.ChangePct/100
	if f <= 0 {
		return 0
	}
	return (1/f - 1) * 100
}

// Direction is +1, -1 or 0 for a percent change, after rounding to the two
// decimals that are shown, so a change shown as 0.00% is never coloured.
func Direction(pct float64) int {
	r := math.Round(pct*100) / 100
	switch {
	case r > 0:
		return 1
	case r < 0:
		return -1
	}
	return 0
}

// FormatChange prints a change as "▲0.12%", "▼0.11%" or "0.00%" (never
// "-0%"). It returns "" when there is no change to show.
func FormatChange(pct float64, has bool) string {
	if !has || math.IsNaN(pct) || math.IsInf(pct, 0) {
		return ""
	}
	switch Direction(pct) {
	case 1:
		return "▲" + strconv.FormatFloat(math.Abs(pct), 'f', 2, 64) + "%"
	case -1:
		return "▼" + strconv.FormatFloat(math.Abs(pct), 'f', 2, 64) + "%"
	}
	return "0.00%"
}

// FormatQuote is the ticker text of a quote: "KZT/USD = 0.002088 ▼0.11%".
func FormatQuote(q Quote, invert bool) string {
	s := Pair(q, invert) + " = " + FormatValue(Value(q, invert))
	if c := FormatChange(Change(q, invert), q.HasChange); c != "" {
		s += " " + c
	}
	return s
}
