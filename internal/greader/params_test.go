package greader

import (
	"net/url"
	"testing"
)

// Both stream calls send a query's exclusions, size, continuation and
// order the same way.
func TestIDsQueryParams(t *testing.T) {
	q := IDsQuery{Stream: ReadingList, Exclude: []string{Read, "user/-/state/com.google/kept-unread"}, N: 50, Continuation: "c1", OldestFirst: true}
	got := q.params(url.Values{"output": {"json"}}).Encode()
	want := "c=c1&n=50&output=json&r=o&xt=user%2F-%2Fstate%2Fcom.google%2Fread&xt=user%2F-%2Fstate%2Fcom.google%2Fkept-unread"
	if got != want {
		t.Errorf("params:\n%s\nwant:\n%s", got, want)
	}
	if got := (IDsQuery{Stream: ReadingList}).params(url.Values{}).Encode(); got != "" {
		t.Errorf("an empty query adds %q", got)
	}
}
