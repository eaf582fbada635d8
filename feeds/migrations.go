package feeds

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// migrationFiles holds the schema migrations of the feeds tables, one file
// each: migrations/NNNN_what.sql, numbered from 0001 without a gap. They
// are applied in order, each in a transaction of its own; the schema
// version kept in feeds_schema is the number of the last one applied.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// loadMigrations returns the SQL of the migrations in fsys (the files
// migrations/*.sql), in order: the first is migration 1. A file whose name
// does not start with the next number (0001_, 0002_, …), or that holds no
// SQL, is an error naming it.
func loadMigrations(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql") // sorted
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no migrations in migrations/")
	}
	out := make([]string, 0, len(names))
	for i, name := range names {
		num, _, ok := strings.Cut(path.Base(name), "_")
		if n, err := strconv.Atoi(num); !ok || len(num) != 4 || err != nil || n != i+1 {
			return nil, fmt.Errorf("%s: want the name of migration %d (%04d_what.sql)", name, i+1, i+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(sqlWithoutComments(string(b))) == "" {
			return nil, fmt.Errorf("%s: no SQL in it", name)
		}
		out = append(out, string(b))
	}
	return out, nil
}

// sqlWithoutComments is sql without its "--" line comments (enough to
// tell a file of comments only from one with statements).
func sqlWithoutComments(sql string) string {
	var b strings.Builder
	for line := range strings.Lines(sql) {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// afterMigration holds, by version, what a migration needs done in Go,
// in its transaction, after its SQL: what SQL cannot compute.
var afterMigration = map[int]func(context.Context, *sql.Tx) error{
	9: fillLinkKeys,
}

// fillLinkKeys gives every row of article_feeds the hash of its
// article's link key (migration 9; linkKey, linkHash).
func fillLinkKeys(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, link FROM articles WHERE link <> ''`)
	if err != nil {
		return err
	}
	type row struct{ seq, key int64 }
	var keys []row
	for rows.Next() {
		var r row
		var link string
		if err := rows.Scan(&r.seq, &link); err != nil {
			rows.Close()
			return err
		}
		if r.key = linkHash(linkKey(link)); r.key != 0 {
			keys = append(keys, r)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	set, err := tx.PrepareContext(ctx, `UPDATE article_feeds SET link = ? WHERE seq = ?`)
	if err != nil {
		return err
	}
	defer set.Close()
	for _, r := range keys {
		if _, err := set.ExecContext(ctx, r.key, r.seq); err != nil {
			return err
		}
	}
	return nil
}
