// Package filter is newsboat's filter language, for steppe's ignore rules,
// highlights and query feeds: Parse compiles a rule once, Match evaluates
// it on one article, SQL translates it into an SQLite condition.
//
// # The language
//
// A rule compares attributes of an article with values and joins the
// comparisons:
//
//	unread = "yes" and (title =~ "tenge|som" or group # "Finance")
//	age between 0:7 and not feed = "Ads"
//
// Grammar (white space between tokens is free):
//
//	rule    = term [ ("and" | "or") rule ]
//	term    = "not" term | "(" rule ")" | attribute operator value
//	value   = "quoted string" | number | range
//
// and and or have one precedence and nest to the right, as in newsboat:
// `a and b or c` is `a and (b or c)`, and `a or b and c` is
// `a or (b and c)`. not (steppe's addition) applies to the term after it
// only: `not a = 1 and b = 2` is `(not a = 1) and b = 2`. A keyword may
// touch a value or a parenthesis (`x = 42and(y = 0)`, `x = "a"or y = 1`)
// but not run into an identifier (`x = 42andy = 0` is an error).
//
// # Attributes
//
//	title, link, author, content   the article's
//	feed                           the feed's name (newsboat: feedtitle)
//	feedurl                        the feed's URL (newsboat: rssurl)
//	group                          the feed's folder path, "News/Asia" (newsboat: tags)
//	age                            whole days since publication
//	unread, starred                "yes" or "no"
//	enclosure                      an enclosure's URL (newsboat: enclosure_url)
//	enclosure_type                 an enclosure's MIME type
//
// An unknown attribute is an error at Parse; so is one of newsboat's that
// steppe has no equivalent of (flags, guid, unread_count, …).
//
// # Values
//
// A value is a double-quoted string, a number (42, -7) or a range of two
// numbers around a colon (0:7). An unquoted word (`a = b`) is an error.
// All attributes are text, as in newsboat, and a number or range is read
// as its text: `age = 7` compares the text "7", so `age = 07` never holds.
//
// Inside a string a backslash keeps the next character from ending it
// (`"say \"hi\""`). For =~ and !~ the string goes to the regular
// expression as written (`\"` is a quote there, `\\` a backslash, `\.` a
// dot), as newsboat passes it on. For the other operators `\"` stands for
// `"` and `\\` for `\`; any other backslash is itself.
//
// # Operators
//
//	=, ==        the text equals the value
//	!=           not =
//	=~           the case-insensitive regular expression matches somewhere in the text
//	!~           not =~
//	<, >, <=, >= compare numbers: the leading integer of the text and of
//	             the value (0 if none, clamped to 32 bits), as newsboat
//	between A:B  the leading integer is within A and B inclusive, either
//	             order; false when the value is not such a range
//	#            the value is one of the words of the text split at single
//	             spaces; on group, see below
//	!#           not #
//
// unread and starred are "yes" or "no": `unread = "yes"`.
//
// group # "News" holds for the group "News" and for every folder inside
// it ("News/Asia", "News/Asia/Kazakhstan"), not for "Newsletters" or
// "Old/News". steppe's groups are folder paths whose parts may hold
// spaces, so newsboat's space-split cannot apply; and newsboat's OPML
// import tags a feed in News/Asia with both "News" and "News/Asia", so
// `tags # "News"` in a pasted rule meant this. The comparison is exact
// (case and all); other operators read the group as its text.
//
// enclosure and enclosure_type have one value per enclosure. A positive
// operator holds when it holds for any of them, its negation when it
// holds for none; an article with no enclosure has the one value "", as
// newsboat's attribute is "" then (`enclosure = ""` finds articles
// without one, `enclosure =~ "\.mp3$"` those with an MP3).
//
// age is trunc((now - published) / 24h): an article from the future has
// a negative age, or 0 within a day of now.
//
// # Deviations from newsboat
//
//   - Regular expressions are Go's RE2, not POSIX extended: \d, \b (word
//     boundary), \Q…\E, \x41, (?i) and non-greedy repetition work; back
//     references do not. They match case-insensitively as newsboat's do;
//     start a pattern with (?-i) to match case. A bad pattern is an error
//     at Parse, with its column, where newsboat fails when it matches.
//   - White space is any of space, tab, CR and LF (newsboat: space only),
//     so a long rule may span lines.
//   - not is new; so are starred, enclosure (all of an article's
//     enclosures, where newsboat has one) and group's # (above).
//   - In strings compared by other operators than =~ and !~, \" and \\
//     are unescaped (newsboat compares the backslashes too).
//   - The numeric prefix counts ASCII digits only.
//   - "between" must be followed by white space before its value.
//
// # SQL
//
// SQL writes a rule as a parameterised SQLite condition over the columns a
// Schema names. Comparisons of age become bounds on the published column,
// so an index on it serves `age < 7`; unread and starred become the
// caller's own conditions; regular expressions and the numeric prefix call
// the functions SQLFunctions returns, which the caller registers with its
// driver. This package imports no driver. SQL and Match agree on every
// article (a property the tests check on random rules and articles).
package filter
