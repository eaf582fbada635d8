package rates

import (
	"errors"
	"testing"
)

func TestReportErrorsText(t *testing.T) {
	r := Report{Errors: map[string]error{
		"erapi":       errors.New("erapi: HTTP 429 Too Many Requests"),
		"frankfurter": errors.New("host not found: api.frankfurter.dev"),
		"zz":          errors.New("zz: broken"),
		"nbk":         nil,
	}, StoreErr: errors.New("database is locked")}
	want := "frankfurter: host not found: api.frankfurter.dev; erapi: HTTP 429 Too Many Requests; zz: broken; store: database is locked"
	if got := r.ErrorsText(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if (Report{}).ErrorsText() != "" {
		t.Error("no errors should give no text")
	}
}

func TestReportStoreErrIsApart(t *testing.T) {
	r := Report{
		Errors:   map[string]error{"nbk": errors.New("nbk: GET https://nationalbank.kz/rss/rates_all.xml: HTTP 503 Service Unavailable")},
		StoreErr: errors.New("rates: save: database is locked (5)"),
	}
	want := "nbk: GET https://nationalbank.kz/rss/rates_all.xml: HTTP 503 Service Unavailable; store: rates: save: database is locked (5)"
	if got := r.ErrorsText(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := (Report{StoreErr: errors.New("disk I/O error")}).ErrorsText(); got != "store: disk I/O error" {
		t.Errorf("store alone: %q", got)
	}
}
