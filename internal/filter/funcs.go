package filter

import (
	"container/list"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// SQLFunc is one SQL function the expressions of SQL call. The caller
// registers each with its driver; with modernc.org/sqlite:
//
//	for _, f := range filter.SQLFunctions() {
//		sqlite.MustRegisterDeterministicScalarFunction(f.Name, int32(f.NArgs),
//			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
//				return f.Func(args)
//			})
//	}
//
// Every one is deterministic (its result depends on its arguments only)
// and safe for concurrent use.
type SQLFunc struct {
	Name  string
	NArgs int
	Func  func(args []driver.Value) (driver.Value, error)
}

// RegexpCacheSize is how many compiled patterns the filter_regexp of one
// SQLFunctions call keeps (the least recently used goes first).
const RegexpCacheSize = 128

// SQLFunctions returns the functions SQL's expressions call (SQLRegexp,
// SQLNum, SQLAge). The regexp function compiles each pattern once and
// keeps up to RegexpCacheSize of them; call SQLFunctions once and register
// what it returns.
func SQLFunctions() []SQLFunc {
	c := newRegexpCache(RegexpCacheSize)
	return []SQLFunc{
		{Name: SQLRegexp, NArgs: 2, Func: func(args []driver.Value) (driver.Value, error) {
			pattern, ok := sqlText(args[0])
			if !ok {
				return nil, fmt.Errorf("%s: the pattern is NULL", SQLRegexp)
			}
			re, err := c.get(pattern)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", SQLRegexp, err)
			}
			s, ok := sqlText(args[1])
			if !ok {
				return int64(0), nil
			}
			return boolInt(re.MatchString(s)), nil
		}},
		{Name: SQLNum, NArgs: 1, Func: func(args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case int64:
				return clamp32(v), nil
			case nil:
				return int64(0), nil
			}
			s, _ := sqlText(args[0])
			return numPrefix(s), nil
		}},
		{Name: SQLAge, NArgs: 3, Func: func(args []driver.Value) (driver.Value, error) {
			pub, ok1 := args[0].(int64)
			now, ok2 := args[1].(int64)
			unit, ok3 := args[2].(int64)
			if !ok1 || !ok2 || !ok3 || unit <= 0 || int64(time.Second)%unit != 0 {
				return nil, fmt.Errorf("%s: wants (published, now_ns, unit_ns) as integers, the unit dividing a second", SQLAge)
			}
			perSec := int64(time.Second) / unit
			p := time.Unix(pub/perSec, pub%perSec*unit) // time.Unix folds a negative remainder
			return Age(p, time.Unix(0, now)), nil
		}},
	}
}

// sqlText reads an SQL value as text the way SQLite casts it.
func sqlText(v driver.Value) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case float64:
		return strconv.FormatFloat(v, 'g', 15, 64), true
	case bool:
		return strconv.FormatInt(boolInt(v), 10), true
	}
	return "", false
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// regexpCache keeps the most recently used compiled patterns.
type regexpCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cached, most recent first
	byPat map[string]*list.Element
}

type cached struct {
	pattern string
	re      *regexp.Regexp
}

func newRegexpCache(max int) *regexpCache {
	return &regexpCache{max: max, order: list.New(), byPat: map[string]*list.Element{}}
}

func (c *regexpCache) get(pattern string) (*regexp.Regexp, error) {
	c.mu.Lock()
	if e, ok := c.byPat[pattern]; ok {
		c.order.MoveToFront(e)
		re := e.Value.(*cached).re
		c.mu.Unlock()
		return re, nil
	}
	c.mu.Unlock()
	// Compile outside the lock: another caller may compile the same
	// pattern meanwhile, and one of the two is kept.
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byPat[pattern]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cached).re, nil
	}
	c.byPat[pattern] = c.order.PushFront(&cached{pattern, re})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byPat, last.Value.(*cached).pattern)
	}
	return re, nil
}
