package parse

import (
	"crypto/sha256"
	"encoding/hex"
)

// ID derives a stable article id from a namespace (the feed URL as
// configured, so that ids stay when the server redirects elsewhere) and an
// entry's own key (GUID, else link, else title and dates).
func ID(namespace, key string) string {
	h := sha256.Sum256([]byte(namespace + "\x00" + key))
	return hex.EncodeToString(h[:16])
}
