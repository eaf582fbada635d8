package feeds

import (
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
