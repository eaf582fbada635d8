package feeds

import (
	"hash/fnv"
	"net/url"
	"strings"
)

// trackingParams are query parameters that say where a reader came from,
// not what the page is (lower case).
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "ysclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true,
	"__hsfp": true, "hsctatracking": true, "igshid": true, "_ga": true, "_gl": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "rb_clickid": true, "s_cid": true, "vero_conv": true,
	"vero_id": true, "wickedid": true, "at_medium": true, "at_campaign": true, "at_custom1": true,
	"at_custom2": true, "at_custom3": true, "at_custom4": true, "ref_src": true, "ref_url": true,
	"spm": true, "cmpid": true,
}

// trackingParam reports whether a query parameter named name only tracks
// the reader: utm_* and the names of trackingParams, in any case.
func trackingParam(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "utm_") || trackingParams[n]
}

// linkKey is the form of an article's link that two feeds' copies of one
// story share: scheme and host in lower case, the default port (80 for
// http, 443 for https), the fragment and the tracking parameters (utm_*,
// fbclid, gclid, mc_cid, mc_eid, yclid, _hsenc, …) dropped, an empty
// path made "/". The other parameters keep their order. A link that is
// not an absolute http(s) URL has no key ("").
func linkKey(link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	u.Host = strings.TrimSuffix(host, ":")
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" && u.Opaque == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.ForceQuery = false
	if u.RawQuery != "" {
		var keep []string
		for p := range strings.SplitSeq(u.RawQuery, "&") {
			if p == "" {
				continue
			}
			name, _, _ := strings.Cut(p, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if !trackingParam(name) {
				keep = append(keep, p)
			}
		}
		u.RawQuery = strings.Join(keep, "&")
	}
	return u.String()
}

// linkHash is what the store keeps of a link key (article_feeds.link): a
// 64-bit hash, 0 for no key. Two copies are one story only when their
// titles agree too.
func linkHash(key string) int64 {
	if key == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	if n := int64(h.Sum64()); n != 0 {
		return n
	}
	return 1
}
