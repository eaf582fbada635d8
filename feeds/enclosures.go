package feeds

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/steppe-news/steppe/feeds/parse"
)

// Enclosure is an audio or video file an article carries (a podcast's
// episode): its URL (absolute http(s)), MIME type ("" when unknown) and
// length in bytes (0 when unknown).
type Enclosure = parse.Enclosure

// The statements of an article's enclosures (article_enclosures).
const (
	insertEnclosure  = `INSERT INTO article_enclosures (seq, pos, url, type, length) VALUES (?, ?, ?, ?, ?)`
	deleteEnclosures = `DELETE FROM article_enclosures WHERE seq = ?`
	// storedEnclosures is the signature (enclosureSig) of the stored
	// enclosures of article a, for the save's "changed?" test.
	storedEnclosures = `(SELECT ifnull(group_concat(e.url || char(9) || e.type || char(9) || e.length, char(10) ORDER BY e.pos), '')
	FROM article_enclosures e WHERE e.seq = a.seq)`
)

// enclosureSig is what storedEnclosures makes of list: each enclosure's
// URL, type and length, tab-separated, a line each. Cleaned URLs and
// types hold neither tabs nor newlines.
func enclosureSig(list []Enclosure) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	for i, e := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.URL)
		b.WriteByte('\t')
		b.WriteString(e.Type)
		b.WriteByte('\t')
		b.WriteString(strconv.FormatInt(e.Length, 10))
	}
	return b.String()
}

// setEnclosures stores list as article seq's enclosures; replace first
// removes the ones it had.
func (sv *saver) setEnclosures(seq int64, list []Enclosure, replace bool) error {
	if replace {
		if _, err := sv.exec(deleteEnclosures, seq); err != nil {
			return err
		}
	}
	for i, e := range list {
		if _, err := sv.exec(insertEnclosure, seq, i, e.URL, e.Type, e.Length); err != nil {
			return err
		}
	}
	return nil
}

// enclosuresByID reads the enclosures of the stored articles ids (their
// own ids, as pages and Article give them), in order, keyed by id.
func (t stx) enclosuresByID(ids []string) (map[string][]Enclosure, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT a.id, e.url, e.type, e.length
FROM json_each(?) k JOIN articles a ON a.id = k.value JOIN article_enclosures e ON e.seq = a.seq
ORDER BY e.seq, e.pos`, string(list))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]Enclosure{}
	for rows.Next() {
		var id string
		var e Enclosure
		if err := rows.Scan(&id, &e.URL, &e.Type, &e.Length); err != nil {
			return nil, err
		}
		out[id] = append(out[id], e)
	}
	return out, rows.Err()
}

// pageEnclosures fills the enclosures of a page's items.
func (s *Store) pageEnclosures(ctx context.Context, p *Page) error {
	if len(p.Items) == 0 {
		return nil
	}
	var ids []string
	for _, a := range p.Items {
		if a.hasEnclosures {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	m, err := stx{ctx: ctx, s: s}.enclosuresByID(ids)
	if err != nil {
		return fmt.Errorf("feeds: enclosures: %w", err)
	}
	for i := range p.Items {
		p.Items[i].Enclosures = m[p.Items[i].ID]
		p.Items[i].hasEnclosures = false // a page's copy compares as the Article does
	}
	return nil
}
