package rates

import (
	"strings"
	"testing"
)

func TestNewProviderAndEndpoints(t *testing.T) {
	for _, n := range DefaultProviders() {
		u, ok := DefaultEndpoint(n)
		if !ok || !strings.HasPrefix(u, "https://") {
			t.Errorf("DefaultEndpoint(%q) = %q, %v", n, u, ok)
		}
		p, err := NewProvider(n, "", nil, "")
		if err != nil || p.Name() != n {
			t.Errorf("NewProvider(%q) = %v, %v", n, p, err)
		}
	}
	if u, _ := DefaultEndpoint("frankfurter"); u != "https://api.frankfurter.dev" {
		t.Errorf("frankfurter endpoint %q", u)
	}
	_, err := NewProvider("ecb", "", nil, "")
	if err == nil || !strings.Contains(err.Error(), `"ecb"`) || !strings.Contains(err.Error(), "frankfurter, erapi, cbu, nbk, nbt, nbkr") {
		t.Errorf("unknown provider error = %v", err)
	}
	ps, err := Providers([]string{"nbk", "erapi"}, map[string]string{"erapi": "http://127.0.0.1:1/"}, nil, "")
	if err != nil || len(ps) != 2 || ps[0].Name() != "nbk" || ps[1].Name() != "erapi" {
		t.Fatalf("Providers = %v, %v", ps, err)
	}
	if ps[1].(*erapi).base != "http://127.0.0.1:1" {
		t.Errorf("endpoint override not applied: %q", ps[1].(*erapi).base)
	}
	if _, err := Providers([]string{"nbk", "nbk"}, nil, nil, ""); err == nil {
		t.Error("duplicate provider accepted")
	}
	if _, err := Providers(nil, map[string]string{"nope": "http://x"}, nil, ""); err == nil {
		t.Error("endpoint of unknown provider accepted")
	}
	if ps, err := Providers(nil, nil, nil, ""); err != nil || len(ps) != 6 {
		t.Errorf("default Providers = %d, %v", len(ps), err)
	}
}

func TestCredit(t *testing.T) {
	if got := Credit("erapi"); got != "Rates: ExchangeRate-API (https://www.exchangerate-api.com)" {
		t.Errorf("Credit(erapi) = %q", got)
	}
	if got := Credit("nbt"); got != "Rates: National Bank of Tajikistan (nbt.tj)" {
		t.Errorf("Credit(nbt) = %q", got)
	}
	if Credit("frankfurter") != "" || Credit("nope") != "" {
		t.Error("credit for unknown source")
	}
}

func TestDefaultProvidersIsACopy(t *testing.T) {
	a := DefaultProviders()
	a[0] = "changed"
	if b := DefaultProviders(); b[0] != "frankfurter" || strings.Join(b, ",") != "frankfurter,erapi,cbu,nbk,nbt,nbkr" {
		t.Errorf("DefaultProviders() after changing a copy = %v", b)
	}
	// Every provider in the table has an endpoint and a constructor that
	// gives a provider of its name; credits are the table's.
	for _, s := range sources {
		p, err := NewProvider(s.name, "", nil, "")
		if err != nil || p.Name() != s.name || s.endpoint == "" || Credit(s.name) != s.credit {
			t.Errorf("%s: %v, %v", s.name, p, err)
		}
	}
}
