package rates

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// source is one rate provider: its config name, its real base URL (the
// provider appends its own path), its attribution line and how to build it.
type source struct {
	name     string
	endpoint string
	// credit: ExchangeRate-API's terms require a visible credit; the central
	// banks are named as the source of their official rates (nbt.tj for
	// Tajikistan). Frankfurter requires none.
	credit string
	build  func(h httpGetter) Provider
}

// sources are every provider, in the default order: tried in that order,
// per currency.
var sources = [...]source{
	{"frankfurter", "https://api.frankfurter.dev", "",
		func(h httpGetter) Provider { return &frankfurter{h} }},
	{"erapi", "https://open.er-api.com", "Rates: ExchangeRate-API (https://www.exchangerate-api.com)",
		func(h httpGetter) Provider { return &erapi{httpGetter: h, now: time.Now} }},
	{"cbu", "https://cbu.uz", "Rates: Central Bank of Uzbekistan (cbu.uz)",
		func(h httpGetter) Provider { return &cbu{h} }},
	{"nbk", "https://nationalbank.kz", "Rates: National Bank of Kazakhstan (nationalbank.kz)",
		func(h httpGetter) Provider { return &nbk{h} }},
	{"nbt", "https://www.nbt.tj", "Rates: National Bank of Tajikistan (nbt.tj)",
		func(h httpGetter) Provider { return &nbt{httpGetter: h, now: time.Now} }},
	{"nbkr", "https://www.nbkr.kg", "Rates: National Bank of the Kyrgyz Republic (nbkr.kg)",
		func(h httpGetter) Provider { return &nbkr{h} }},
}

func lookup(name string) (source, bool) {
	for _, s := range sources {
		if s.name == name {
			return s, true
		}
	}
	return source{}, false
}

// DefaultProviders are the rate sources tried, in order, per currency: a
// new slice on every call.
func DefaultProviders() []string {
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.name
	}
	return names
}

// DefaultEndpoint is the real base URL of a provider.
func DefaultEndpoint(name string) (string, bool) {
	s, ok := lookup(name)
	return s.endpoint, ok
}

// Credit is the attribution line for a source, "" where none is required.
func Credit(name string) string {
	s, _ := lookup(name)
	return s.credit
}

func unknown(what, name string) error {
	return fmt.Errorf("rates: %s %q (known: %s)", what, name, strings.Join(DefaultProviders(), ", "))
}

// NewProvider builds the named provider. baseURL "" means the real endpoint;
// the provider's own path is appended to baseURL. A nil client means a client
// with a 30 s timeout.
func NewProvider(name, baseURL string, client *http.Client, userAgent string) (Provider, error) {
	s, ok := lookup(name)
	if !ok {
		return nil, unknown("unknown provider", name)
	}
	if baseURL == "" {
		baseURL = s.endpoint
	}
	baseURL = strings.TrimRight(baseURL, "/")
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rates: provider %s: endpoint %q is not an http(s) URL", name, redactURL(baseURL))
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return s.build(httpGetter{name: name, base: baseURL, shown: redactURL(baseURL), client: client, userAgent: userAgent}), nil
}

// Providers builds the named providers in order; endpoints override base URLs
// by provider name. nil names means DefaultProviders.
func Providers(names []string, endpoints map[string]string, client *http.Client, userAgent string) ([]Provider, error) {
	if names == nil {
		names = DefaultProviders()
	}
	for n := range endpoints {
		if _, ok := lookup(n); !ok {
			return nil, unknown("endpoint for unknown provider", n)
		}
	}
	seen := map[string]bool{}
	var ps []Provider
	for _, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("rates: provider %q listed twice", n)
		}
		seen[n] = true
		p, err := NewProvider(n, endpoints[n], client, userAgent)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}
