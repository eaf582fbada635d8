package config

import (
	"bufio"
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/steppe-news/steppe/internal/sanitize"
	"github.com/steppe-news/steppe/internal/suggest"
)

// This file knows the config's keys: which exist (read from Config's toml
// tags, so a new field is known at once), what each must hold in words a
// user understands, which known key an unknown one was probably meant to be,
// on which line a key is written, and how deeply a file nests. Everything
// here is linear in the size of the file.

// Limits checked before the TOML parser sees a file: a config is a few
// kilobytes and three levels deep ([rates.endpoints] erapi = …).
const (
	maxConfigBytes = 1 << 20
	maxConfigDepth = 16
)

// keyInfo is what one known key holds.
type keyInfo struct {
	typ     reflect.Type
	example string // from the field's `example` tag
	open    bool   // a table whose keys are the user's own ([rates.endpoints])
}

// configKeys maps every known dotted key ("rates.currencies", "feeds.url")
// to its field; known lists them sorted, for suggestions.
var configKeys = sync.OnceValues(func() (map[string]keyInfo, []string) {
	keys := map[string]keyInfo{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if name == "" || name == "-" {
				continue
			}
			if prefix != "" {
				name = prefix + "." + name
			}
			info := keyInfo{typ: f.Type, example: f.Tag.Get("example")}
			switch {
			case f.Type.Kind() == reflect.Struct && f.Type != durationType:
				walk(name, f.Type)
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				walk(name, f.Type.Elem())
			case f.Type.Kind() == reflect.Map:
				info.open = true
			}
			keys[name] = info
		}
	}
	walk("", reflect.TypeOf(Config{}))
	known := make([]string, 0, len(keys))
	for k := range keys {
		known = append(known, k)
	}
	sort.Strings(known)
	return keys, known
})

var durationType = reflect.TypeOf(Duration(0))

// lookupKey finds the field a dotted key names; array indexes ("feeds.2.url")
// and the user's own keys in an open table ("rates.endpoints.erapi") are
// understood.
func lookupKey(dotted string) (keyInfo, bool) {
	keys, _ := configKeys()
	parts := strings.Split(dotted, ".")
	out := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil && len(out) > 0 {
			continue
		}
		out = append(out, p)
	}
	for i := len(out); i > 0; i-- {
		info, ok := keys[strings.Join(out[:i], ".")]
		if !ok {
			continue
		}
		if i == len(out) {
			return info, true
		}
		if info.open && i == len(out)-1 {
			// The table's example is a line (`erapi = "http://…"`): its
			// value is the example of each of its keys.
			_, ex, _ := strings.Cut(info.example, "= ")
			return keyInfo{typ: info.typ.Elem(), example: ex}, true
		}
		return keyInfo{}, false
	}
	return keyInfo{}, false
}

// expectation says in a user's words what a key must hold:
// `a list like ["KZT"]`, `a whole number like 6`.
func expectation(key string, info keyInfo) string {
	ex := info.example
	t := info.typ
	switch {
	case t == durationType:
		return "a duration like " + or(ex, `"15m"`)
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "a whole number like " + or(ex, "1")
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number like " + or(ex, "1.5")
	case t.Kind() == reflect.String:
		return "text in quotes like " + or(ex, `"…"`)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return fmt.Sprintf("a list of [[%s]] tables", key)
	case t.Kind() == reflect.Slice:
		return "a list like " + or(ex, `["…"]`)
	case t.Kind() == reflect.Map:
		return fmt.Sprintf("a table like [%s] with lines like %s", key, or(ex, `name = "…"`))
	case t.Kind() == reflect.Struct:
		return fmt.Sprintf("a table: [%s] on a line of its own, its keys below it", key)
	}
	return "something else"
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// tomlTypeErr is how BurntSushi/toml reports a value of the wrong type.
var (
	tomlTypeErr  = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
	tomlFoundRe  = regexp.MustCompile(`(?:TOML value has type|but found) ([A-Za-z0-9\[\]{}.]+)`)
	tomlTypeName = map[string]string{
		"string": "text", "int64": "a whole number", "float64": "a number", "bool": "true or false",
		"[]any": "a list", "[]interface": "a list", "map[string]any": "a table", "map[string]interface": "a table", "time.Time": "a date", "toml.LocalDate": "a date",
		"toml.LocalDatetime": "a date and time", "toml.LocalTime": "a time of day",
	}
)

// typeError turns the decoder's "incompatible types: TOML value has type
// string; destination has type slice" into `rates.currencies must be a list
// like ["KZT"], not text`. ok is false for errors of another kind.
func typeError(path string, err error) (error, bool) {
	m := tomlTypeErr.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	line, key, msg := m[1], m[2], m[3]
	info, known := lookupKey(key)
	if !known {
		return fmt.Errorf("config %s:%s: %s: %s", path, line, sanitize.Key(key), sanitize.Escape(msg)), true
	}
	found := ""
	if f := tomlFoundRe.FindStringSubmatch(msg); f != nil {
		if name, ok := tomlTypeName[f[1]]; ok {
			found = ", not " + name
		}
	}
	return fmt.Errorf("config %s:%s: %s must be %s%s", path, line, sanitize.Key(stripIndexes(key)), expectation(stripIndexes(key), info), found), true
}

// unknownKeyWarnings lists the keys the decoder did not use, each with its
// line and, when one is close, the known key it was probably meant to be.
// A key inside an unknown table is not listed again; past maxWarnings the
// rest are counted.
// Each comes twice: whole, for stderr and the sources pane ("config
// PATH:3: unknown key …"), and short, for the dashboard's status line,
// where a long path would crowd out what matters ("config line 3: …").
func unknownKeyWarnings(path string, undecoded []string, idx *keyIndex) (out, short []string) {
	const maxWarnings = 20
	reported := map[string]bool{}
	more := 0
	for _, k := range undecoded {
		if underReported(k, reported) {
			continue
		}
		reported[k] = true
		if len(out) == maxWarnings {
			more++
			continue
		}
		where, line := path, "config"
		if n := idx.next(k); n > 0 {
			where, line = fmt.Sprintf("%s:%d", path, n), fmt.Sprintf("config line %d", n)
		}
		what := "unknown key " + sanitize.Key(k)
		if s := suggestKey(k); s != "" {
			what += " — did you mean " + s + "?"
		} else {
			what += " (ignored)"
		}
		out = append(out, "config "+where+": "+what)
		short = append(short, line+": "+what)
	}
	if more > 0 {
		what := strconv.Itoa(more) + " more unknown keys (ignored)"
		out = append(out, fmt.Sprintf("config %s: %s", path, what))
		short = append(short, "config: "+what)
	}
	return out, short
}

// underReported tells whether a table holding k was already reported
// ("rate.base" after "rate"). Keys are at most maxConfigDepth parts deep.
func underReported(k string, reported map[string]bool) bool {
	for i := strings.LastIndexByte(k, '.'); i > 0; i = strings.LastIndexByte(k[:i], '.') {
		if reported[k[:i]] {
			return true
		}
	}
	return false
}

// suggestKey is the known key nearest to k, or "" when none is near: a key
// a few letters off ("page_sise" → page_size), else a known key of the same
// name in another table ("currencies" → rates.currencies). Each comparison
// is bounded by the known key's length, so the cost per unknown key does
// not grow with the file.
func suggestKey(k string) string {
	_, known := configKeys()
	if s := suggest.Nearest(k, known); s != "" {
		return s
	}
	last := strings.ToLower(k[strings.LastIndexByte(k, '.')+1:])
	for _, cand := range known {
		if cand[strings.LastIndexByte(cand, '.')+1:] == last {
			return cand
		}
	}
	return ""
}

func stripIndexes(k string) string {
	parts := strings.Split(k, ".")
	out := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err == nil {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}

// keyIndex knows the line each key is written on, built in one pass over
// the file. It understands [table] and [[array]] headers and dotted keys at
// the start of a line; keys inside inline tables get no line (0).
type keyIndex struct {
	exact  map[string]int   // "feeds.2.url" → line
	loose  map[string][]int // "feeds.url" → lines in order, for keys reported without their index
	cursor map[string]int   // next of loose[k] to hand out
}

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-]+)\s*=`)
)

func newKeyIndex(data []byte) *keyIndex {
	idx := &keyIndex{exact: map[string]int{}, loose: map[string][]int{}, cursor: map[string]int{}}
	table := ""
	count := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), maxConfigBytes+1)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		full := ""
		if m := headerRe.FindStringSubmatch(raw); m != nil {
			name := normaliseKey(m[2])
			table, full = name, name
			if m[1] == "[[" {
				count[name]++
				table = name + "." + strconv.Itoa(count[name]-1)
				full = table
			}
		} else if m := keyRe.FindStringSubmatch(raw); m != nil {
			full = normaliseKey(m[1])
			if table != "" {
				full = table + "." + full
			}
		} else {
			continue
		}
		if _, seen := idx.exact[full]; !seen {
			idx.exact[full] = n
		}
		loose := stripIndexes(full)
		idx.loose[loose] = append(idx.loose[loose], n)
	}
	return idx
}

// line is the line of an exact key path ("feeds.2.url"); for a key that
// is missing from an indexed entry, the line of that entry's header
// ("feeds.2", where [[feeds]] entry 3 begins); else the first line of the
// key without indexes; 0 when unknown.
func (x *keyIndex) line(key string) int {
	if n, ok := x.exact[key]; ok {
		return n
	}
	if parent := key[:max(0, strings.LastIndexByte(key, '.'))]; parent != stripIndexes(parent) {
		if n, ok := x.exact[parent]; ok {
			return n
		}
	}
	if ls := x.loose[stripIndexes(key)]; len(ls) > 0 {
		return ls[0]
	}
	return 0
}

// next hands out the lines of a key reported once per occurrence (the
// decoder names "feeds.refrsh" twice for two [[feeds]] entries).
func (x *keyIndex) next(key string) int {
	ls := x.loose[stripIndexes(key)]
	i := x.cursor[key]
	if i >= len(ls) {
		return x.line(key)
	}
	x.cursor[key] = i + 1
	return ls[i]
}

func normaliseKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if u, err := strconv.Unquote(p); err == nil && strings.HasPrefix(p, `"`) {
			parts[i] = u // "\u001b" is the key's own escape
			continue
		}
		parts[i] = strings.Trim(p, `"'`)
	}
	return strings.Join(parts, ".")
}

// checkDepth refuses text that nests more than maxConfigDepth levels, counting
// table headers, dotted keys, inline tables and arrays, before any parser
// recurses into it. It reads the text once and knows TOML's strings and
// comments well enough not to count brackets inside them; on text that is
// not TOML it may stop early, and the parser then says what is wrong.
func checkDepth(data []byte) (line int, ok bool) {
	type frame struct {
		inline   bool // '{' (keys follow) or '[' (values follow)
		base     int  // depth of the keys of the enclosing table
		valDepth int  // depth of the value being written there
	}
	var stack []frame
	line = 1
	header := 0    // parts of the current [table] header
	base := 0      // depth keys start from
	keyCtx := true // reading a key (else a value)
	keyParts := 0  // parts of the key read so far
	valDepth := 0  // depth of the current value
	startOfKey := true
	too := func(d int) bool { return d > maxConfigDepth }
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			if len(stack) == 0 {
				keyCtx, keyParts, base, startOfKey = true, 0, header, true
			}
		case c == '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			var nl int
			i, nl = skipString(data, i)
			line += nl
			if keyCtx && keyParts == 0 {
				keyParts = 1
			}
			startOfKey = false
		case keyCtx && c == '[' && len(stack) == 0 && startOfKey:
			// A [table] or [[array]] header: count its parts.
			parts := 1
			for i++; i < len(data) && data[i] != '\n'; i++ {
				if data[i] == '"' || data[i] == '\'' {
					var nl int
					i, nl = skipString(data, i)
					line += nl
					continue
				}
				if data[i] == '.' {
					parts++
				}
				if data[i] == ']' {
					break
				}
			}
			for i+1 < len(data) && data[i+1] == ']' {
				i++
			}
			header, base = parts, parts
			if too(header) {
				return line, false
			}
			startOfKey = false
		case keyCtx && c == '.':
			keyParts++
			if too(base + keyParts) {
				return line, false
			}
		case keyCtx && c == '=':
			if keyParts == 0 {
				keyParts = 1
			}
			keyCtx, valDepth = false, base+keyParts
			if too(valDepth) {
				return line, false
			}
		case keyCtx && c == '}' && len(stack) > 0:
			// "{}" or a trailing "," before "}".
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			keyCtx, base, valDepth = false, f.base, f.valDepth
		case keyCtx:
			if c != ' ' && c != '\t' && c != '\r' && keyParts == 0 {
				keyParts = 1
			}
			if c != ' ' && c != '\t' && c != '\r' {
				startOfKey = false
			}
		case c == '{':
			stack = append(stack, frame{inline: true, base: base, valDepth: valDepth})
			base, keyCtx, keyParts = valDepth, true, 0
		case c == '[':
			stack = append(stack, frame{base: base, valDepth: valDepth})
			valDepth++
			if too(valDepth) {
				return line, false
			}
		case c == ',' && len(stack) > 0 && stack[len(stack)-1].inline:
			keyCtx, keyParts = true, 0
		case (c == '}' || c == ']') && len(stack) > 0:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			base, valDepth = f.base, f.valDepth
		}
	}
	return line, true
}

// skipString returns the index of the last byte of the string starting at
// data[i] (basic or literal, single- or multi-line) and the newlines in it.
func skipString(data []byte, i int) (end, newlines int) {
	q := data[i]
	multi := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	if multi {
		i += 3
	} else {
		i++
	}
	for ; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\\' && q == '"':
			if i+1 < len(data) && data[i+1] == '\n' {
				newlines++
			}
			i++
		case c == '\n':
			newlines++
			if !multi {
				return i - 1, newlines - 1
			}
		case c == q:
			if !multi {
				return i, newlines
			}
			if i+2 < len(data) && data[i+1] == q && data[i+2] == q {
				// Up to two more quotes may end a multi-line string.
				i += 2
				for k := 0; k < 2 && i+1 < len(data) && data[i+1] == q; k++ {
					i++
				}
				return i, newlines
			}
		}
	}
	return len(data) - 1, newlines
}
