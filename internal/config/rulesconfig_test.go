package config

import (
	"strings"
	"testing"
)

func TestRulesAndQueriesConfig(t *testing.T) {
	c, err := Parse("c.toml", []byte(`
[[rules]]
ignore = 'title =~ "(?i)sponsored" or feed = "ads"'
[[rules]]
highlight = 'title =~ "(?i)tenge|som"'
[[queries]]
name = "Money"
query = 'unread = "yes" and (title =~ "(?i)rate|tenge" or group # "Finance")'
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 || len(c.rules.Ignore) != 1 || len(c.rules.Highlight) != 1 || len(c.rules.Queries) != 1 || c.rules.Queries[0].Name != "Money" {
		t.Errorf("rules = %+v, warnings %v", c.rules, c.Warnings)
	}
}

// A bad rule names the file, line, key and the column of the fault, with
// what was expected.
func TestBadRulesNameLineKeyAndColumn(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"[[rules]]\nignore = 'title = sponsored'", `c.toml:3: key "ignore" in [[rules]] entry 1: column 9: expected a quoted string or number after "=", found sponsored`},
		{"[[rules]]\nignore = 'titel =~ \"x\"'", `c.toml:3: key "ignore" in [[rules]] entry 1: column 1: unknown attribute "titel" (did you mean title?)`},
		{"[[rules]]\nhighlight = 'x'\nignore = 'y'", `c.toml:3: key "highlight" in [[rules]] entry 1: a [[rules]] entry is either ignore or highlight`},
		{"[[rules]]\n", "has neither ignore nor highlight"},
		{"[[queries]]\nquery = 'unread = \"yes\"'", `[[queries]] entry 1 has no name`},
		{"[[queries]]\nname = \"A\"\nquery = 'unread = \"yes\"'\n[[queries]]\nname = \"a\"\nquery = 'starred = \"yes\"'", `c.toml:6: key "name" in [[queries]] entry 2: query "a" has the name of [[queries]] entry 1`},
		{"[[queries]]\nname = \"A\"\nquery = 'unread = \"yes\" and'", `c.toml:4: key "query" in [[queries]] entry 1: column 19: expected`},
	} {
		_, err := Parse("c.toml", []byte("page_size = 6\n"+tc.body+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v\nwant %q", tc.body, err, tc.want)
		}
	}
}
