package rates

import (
	"slices"
	"strings"
)

// Rejection is a quote the chain refused, and why.
type Rejection struct {
	Quote  Quote
	Reason string // e.g. "TMT from cbu: 4.04% off the 3.50 peg"
}

// Held is a quote the chain kept but holds as unconfirmed, and why.
type Held struct {
	Quote  Quote
	Reason string // e.g. "KGS from erapi: 1.000 per USD is 98.86% off 87.45 on 2026-11-26 (from erapi); …"
}

// Report is the outcome of one refresh of the chain.
type Report struct {
	Quotes      []Quote          // the winning quote per code, in the order asked (an unconfirmed one has no change)
	Missing     []string         // codes no provider could give
	Rejected    []Rejection      // sane-check failures, said so
	Unconfirmed []Held           // winners stored but held as unconfirmed, said so
	Errors      map[string]error // per provider name, the fetch error
	StoreErr    error            // the store failed (reading history or saving); nil if not
	Providers   []string         // providers that contributed a winning quote, in order
}

// ErrorsText lists Errors as "name: message; …", providers in their default
// order (then any other name), without repeating a name that the message
// already starts with, and last the store's failure as "store: message".
func (r Report) ErrorsText() string {
	defaults := DefaultProviders()
	var names []string
	for _, n := range defaults {
		if r.Errors[n] != nil {
			names = append(names, n)
		}
	}
	var others []string
	for n, err := range r.Errors {
		if err != nil && !slices.Contains(defaults, n) {
			others = append(others, n)
		}
	}
	slices.Sort(others)
	var parts []string
	add := func(n string, err error) {
		msg := err.Error()
		if !strings.HasPrefix(msg, n+": ") {
			msg = n + ": " + msg
		}
		parts = append(parts, msg)
	}
	for _, n := range append(names, others...) {
		add(n, r.Errors[n])
	}
	if r.StoreErr != nil {
		add("store", r.StoreErr)
	}
	return strings.Join(parts, "; ")
}
