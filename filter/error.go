package filter

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a mistake in a --where or --sort expression: what is wrong and
// where. Its message is one line, e.g.
//
//	--where: at column 18: expected a value after '>', got end of input
type Error struct {
	Flag   string // "--where" or "--sort"
	Column int    // 1-based, counted in characters
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: at column %d: %s", e.Flag, e.Column, e.Msg)
}

// failure carries an *Error from deep in the parser up to the entry point,
// which recovers it; nothing else is ever recovered.
type failure struct{ err *Error }

// fail stops the parse with an error at byte offset pos of src.
func fail(flag, src string, pos int, format string, args ...any) {
	if pos > len(src) {
		pos = len(src)
	}
	panic(failure{&Error{
		Flag:   flag,
		Column: utf8.RuneCountInString(src[:pos]) + 1,
		Msg:    printable(fmt.Sprintf(format, args...)),
	}})
}

// printable escapes what would not print on one line — control
// characters, invalid UTF-8 — as Go does in strings (\n, \x01).
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unicode.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += w
	}
	return b.String()
}

// catch turns a failure panic into *errp; other panics go on.
func catch(errp *error) {
	if r := recover(); r != nil {
		f, ok := r.(failure)
		if !ok {
			panic(r)
		}
		*errp = f.err
	}
}
