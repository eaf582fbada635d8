// Package rates gets exchange rates from public sources (central banks and
// open APIs), chains them per currency, keeps their history in SQLite and
// formats them. It knows nothing about terminals or UIs.
package rates

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Quote is one currency against the base on one publication date.
type Quote struct {
	Code      string    // e.g. "KZT"
	Base      string    // e.g. "USD"
	PerBase   float64   // units of Code per 1 Base (478.95)
	InBase    float64   // Base per 1 unit of Code (0.0020879); 1/PerBase
	ChangePct float64   // change of InBase since the previous publication date, percent
	HasChange bool      // false when no previous publication is known
	AsOf      time.Time // publication date, UTC midnight
	Source    string    // provider name, e.g. "frankfurter"
}

// Provider is one rate source.
type Provider interface {
	// Name is the provider's config name ("frankfurter", "erapi", "cbu", ...).
	Name() string
	// Fetch returns quotes of codes against base. A zero date asks for the
	// latest publication; otherwise the publication of (or before) that day.
	// Codes the source does not carry are simply absent from the result.
	Fetch(ctx context.Context, base string, codes []string, date time.Time) ([]Quote, error)
}

// Rejection is a quote the chain refused, and why.
type Rejection struct {
	Quote  Quote
	Reason string // e.g. "TMT from cbu: 4.04% off the 3.50 peg"
}

// Report is the outcome of one refresh of the chain.
type Report struct {
	Quotes    []Quote          // the winning quote per code, in the order asked
	Missing   []string         // codes no provider could give
	Rejected  []Rejection      // sane-check failures, said so
	Errors    map[string]error // per provider name, the fetch error
	Providers []string         // providers that contributed a winning quote, in order
}

// ErrorsText lists Errors as "name: message; …", providers in their default
// order (then any other key, such as "store"), without repeating a name that
// the message already starts with.
func (r Report) ErrorsText() string {
	var names []string
	for _, n := range DefaultProviders {
		if r.Errors[n] != nil {
			names = append(names, n)
		}
	}
	var others []string
	for n, err := range r.Errors {
		if err != nil && !slices.Contains(DefaultProviders, n) {
			others = append(others, n)
		}
	}
	slices.Sort(others)
	var parts []string
	for _, n := range append(names, others...) {
		msg := r.Errors[n].Error()
		if !strings.HasPrefix(msg, n+": ") {
			msg = n + ": " + msg
		}
		parts = append(parts, msg)
	}
	return strings.Join(parts, "; ")
}
