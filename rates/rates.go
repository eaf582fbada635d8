// Package rates gets exchange rates from public sources (central banks and
// open APIs), chains them per currency, keeps their history in SQLite and
// formats them. It knows nothing about terminals or UIs.
package rates

import (
	"context"
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
	// Unconfirmed: the only source of this quote moved it further from the
	// stored history than these currencies move in a day (20 %, either
	// way), and neither a second source nor the next publication (within
	// 20 % of it) has agreed yet.
	// An unconfirmed quote has no change (HasChange is false): the move
	// itself is what is in doubt.
	Unconfirmed bool
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
