package mlflow

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads meta.yaml, the only YAML an MLflow file store holds:
// a flat map of "key: value" lines as PyYAML's safe_dump writes it. The
// reader accepts exactly that subset and refuses anything else with the
// file and line, rather than guessing:
//
//   - keys are plain words ([A-Za-z_][A-Za-z0-9_.-]*), each given once;
//   - a value is a plain scalar (Default, 1748193650998, file:///E:/x),
//     a single-quoted ('0', '' , 'it''s') or double-quoted ("a\tb") string,
//     null/~/nothing, or the empty collections [] and {};
//   - long scalars may continue on indented lines (PyYAML folds at 80
//     columns), folded as YAML does: one line break becomes a space;
//   - blank lines, # comments and a leading "---" are allowed.
//
// Block lists, nested maps, non-empty flow collections, block scalars
// (| and >), anchors, aliases and tags are errors. A file that does not end
// with a newline is reported as truncated: PyYAML always writes one.

// valueKind is the syntactic kind of a meta.yaml value.
type valueKind int

const (
	kindPlain  valueKind = iota // an unquoted scalar: its text as written
	kindQuoted                  // a quoted string: its decoded text
	kindNull                    // null, ~ or no value
	kindList                    // []
	kindMap                     // {}
)

func (k valueKind) String() string {
	switch k {
	case kindPlain:
		return "plain scalar"
	case kindQuoted:
		return "quoted string"
	case kindNull:
		return "null"
	case kindList:
		return "[]"
	case kindMap:
		return "{}"
	}
	return "?"
}

// metaValue is one value of a meta.yaml file.
type metaValue struct {
	kind valueKind
	text string
	line int
}

// metaFile is a parsed meta.yaml.
type metaFile struct {
	path  string
	vals  map[string]metaValue
	order []string
	lines int // lines in the file
}

// yamlError is a syntax or content error at a line of a meta.yaml file.
type yamlError struct {
	path string
	line int
	msg  string
}

func (e *yamlError) Error() string { return fmt.Sprintf("%s:%d: %s", e.path, e.line, e.msg) }

// parseMeta parses the meta.yaml content data; path names it in errors.
func parseMeta(data []byte, path string) (*metaFile, error) {
	m := &metaFile{path: path, vals: map[string]metaValue{}}
	if len(data) == 0 {
		return nil, &yamlError{path, 1, "empty file (truncated?)"}
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, &yamlError{path, line, "not valid UTF-8"}
	}
	text := string(data)
	lines := strings.Split(text, "\n")
	if lines[len(lines)-1] != "" {
		return nil, &yamlError{path, len(lines), "last line has no newline (truncated file?)"}
	}
	lines = lines[:len(lines)-1]
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	m.lines = len(lines)
	p := &yamlParser{path: path, lines: lines}
	started := false
	for p.i < len(lines) {
		line := lines[p.i]
		n := p.i + 1
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			p.i++
			continue
		case line == "---" && !started:
			p.i++
			started = true
			continue
		case trimmed != line:
			return nil, p.errf(n, "unexpected indentation (nested YAML is not supported in meta.yaml)")
		case strings.HasPrefix(line, "- ") || line == "-":
			return nil, p.errf(n, "unexpected list item (block lists are not supported in meta.yaml)")
		}
		started = true
		key, rest, err := p.key(line, n)
		if err != nil {
			return nil, err
		}
		if prev, dup := m.vals[key]; dup {
			return nil, p.errf(n, "key %q is given twice (first at line %d)", key, prev.line)
		}
		p.i++
		v, err := p.value(rest, n)
		if err != nil {
			return nil, err
		}
		v.line = n
		m.vals[key] = v
		m.order = append(m.order, key)
	}
	return m, nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

type yamlParser struct {
	path  string
	lines []string
	i     int // index of the next unread line
}

func (p *yamlParser) errf(line int, format string, args ...any) error {
	return &yamlError{p.path, line, fmt.Sprintf(format, args...)}
}

func isKeyStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isKeyByte(c byte) bool {
	return isKeyStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'
}

// key splits "key: rest" and checks the key.
func (p *yamlParser) key(line string, n int) (string, string, error) {
	colon := strings.IndexByte(line, ':')
	if colon <= 0 {
		return "", "", p.errf(n, "expected \"key: value\", got %q", clip(line))
	}
	key := line[:colon]
	if !isKeyStart(key[0]) {
		return "", "", p.errf(n, "unsupported key %q (meta.yaml keys are plain words)", clip(key))
	}
	for j := 1; j < len(key); j++ {
		if !isKeyByte(key[j]) {
			return "", "", p.errf(n, "unsupported key %q (meta.yaml keys are plain words)", clip(key))
		}
	}
	rest := line[colon+1:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", "", p.errf(n, "expected a space after %q", key+":")
	}
	return key, strings.TrimLeft(rest, " \t"), nil
}

// value parses the value that starts as rest on line n, consuming
// continuation lines.
func (p *yamlParser) value(rest string, n int) (metaValue, error) {
	if rest == "" || rest[0] == '#' {
		// No value: null, unless indented lines follow (a nested block).
		if p.i < len(p.lines) {
			next := p.lines[p.i]
			if t := strings.TrimLeft(next, " \t"); t != "" && !strings.HasPrefix(t, "#") &&
				(t != next || strings.HasPrefix(next, "- ") || next == "-") {
				return metaValue{}, p.errf(p.i+1, "nested YAML block under line %d is not supported in meta.yaml", n)
			}
		}
		return metaValue{kind: kindNull}, nil
	}
	switch c := rest[0]; c {
	case '\'', '"':
		return p.quoted(rest, n)
	case '[', '{':
		want, kind := "[]", kindList
		if c == '{' {
			want, kind = "{}", kindMap
		}
		if !strings.HasPrefix(rest, want) || !endOfValue(rest[2:]) {
			return metaValue{}, p.errf(n, "only the empty collection %s is supported in meta.yaml, got %q", want, clip(rest))
		}
		return metaValue{kind: kind}, nil
	case '|', '>':
		return metaValue{}, p.errf(n, "block scalars (%c) are not supported in meta.yaml", c)
	case '&', '*', '!':
		return metaValue{}, p.errf(n, "anchors, aliases and tags (%c) are not supported in meta.yaml", c)
	case '%', '@', '`', ',', ']', '}':
		return metaValue{}, p.errf(n, "a value cannot start with %q", c)
	case '-', '?', ':':
		if len(rest) == 1 || rest[1] == ' ' || rest[1] == '\t' {
			return metaValue{}, p.errf(n, "unexpected %q (nested YAML is not supported in meta.yaml)", c)
		}
	}
	text, err := p.plainPart(rest, n)
	if err != nil {
		return metaValue{}, err
	}
	// Continuation lines: indented, folded with a space (a blank line is a
	// line break).
	breaks := 0
	for p.i < len(p.lines) {
		next := p.lines[p.i]
		t := strings.TrimLeft(next, " \t")
		if t == "" {
			breaks++
			p.i++
			continue
		}
		if t == next || strings.HasPrefix(t, "#") {
			break
		}
		part, err := p.plainPart(t, p.i+1)
		if err != nil {
			return metaValue{}, err
		}
		text += fold(breaks) + part
		breaks = 0
		p.i++
	}
	if text == "null" || text == "Null" || text == "NULL" || text == "~" {
		return metaValue{kind: kindNull}, nil
	}
	return metaValue{kind: kindPlain, text: text}, nil
}

// fold returns what a folded line break becomes after breaks blank lines.
func fold(breaks int) string {
	if breaks == 0 {
		return " "
	}
	return strings.Repeat("\n", breaks)
}

// plainPart returns one line's part of a plain scalar, without a trailing
// comment, refusing what would make it a nested mapping.
func (p *yamlParser) plainPart(s string, n int) (string, error) {
	if k := strings.Index(s, " #"); k >= 0 {
		s = s[:k]
	}
	if k := strings.Index(s, "\t#"); k >= 0 {
		s = s[:k]
	}
	s = strings.TrimRight(s, " \t")
	if strings.Contains(s, ": ") || strings.Contains(s, ":\t") || strings.HasSuffix(s, ":") {
		return "", p.errf(n, "unexpected \": \" in value %q (nested mappings are not supported in meta.yaml; quote the value)", clip(s))
	}
	return s, nil
}

// endOfValue reports whether s is nothing, spaces or a comment.
func endOfValue(s string) bool {
	t := strings.TrimLeft(s, " \t")
	return t == "" || (t[0] == '#' && len(t) < len(s))
}

// quoted parses a single- or double-quoted scalar starting at rest (line
// n), which may continue on the following lines.
func (p *yamlParser) quoted(rest string, n int) (metaValue, error) {
	q := rest[0]
	var b strings.Builder
	s := rest[1:]
	line := n
	first := true
	for {
		if !first {
			// A continuation line: leading white space is not content.
			s = strings.TrimLeft(s, " \t")
		}
		closed, joined := false, false
		i := 0
		for i < len(s) && !closed && !joined {
			c := s[i]
			switch {
			case c == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
				b.WriteByte('\'')
				i += 2
			case c == q:
				closed = true
				i++
			case c == '\\' && q == '"' && i+1 == len(s):
				// An escaped line break: the lines join with nothing between.
				joined = true
				i++
			case c == '\\' && q == '"':
				k, err := p.escape(s[i+1:], &b, line)
				if err != nil {
					return metaValue{}, err
				}
				i += 1 + k
			default:
				b.WriteByte(c)
				i++
			}
		}
		if closed {
			if !endOfValue(s[i:]) {
				return metaValue{}, p.errf(line, "unexpected text after the closing quote: %q", clip(s[i:]))
			}
			return metaValue{kind: kindQuoted, text: b.String()}, nil
		}
		if !joined {
			// The string goes on: a line break folds to a space, blank lines
			// to line breaks; trailing white space of the line is not content.
			trimmed := strings.TrimRight(b.String(), " \t")
			b.Reset()
			b.WriteString(trimmed)
			breaks := 0
			for p.i < len(p.lines) && strings.TrimLeft(p.lines[p.i], " \t") == "" {
				breaks++
				p.i++
			}
			b.WriteString(fold(breaks))
		}
		if p.i >= len(p.lines) {
			return metaValue{}, p.errf(n, "unterminated %c-quoted string (truncated file?)", q)
		}
		s = p.lines[p.i]
		line = p.i + 1
		if s != "" && s[0] != ' ' && s[0] != '\t' {
			return metaValue{}, p.errf(n, "unterminated %c-quoted string (line %d is not indented; truncated file?)", q, line)
		}
		p.i++
		first = false
	}
}

// escape decodes the double-quoted escape sequence s (after the backslash)
// into b and returns how many bytes it used.
func (p *yamlParser) escape(s string, b *strings.Builder, line int) (int, error) {
	simple := map[byte]string{
		'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v", 'f': "\f",
		'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
		'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
	}
	if r, ok := simple[s[0]]; ok {
		b.WriteString(r)
		return 1, nil
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[0]]
	if width == 0 {
		return 0, p.errf(line, "unknown escape \\%c in a double-quoted string", s[0])
	}
	if len(s) < 1+width {
		return 0, p.errf(line, "short escape \\%s in a double-quoted string", s)
	}
	v, err := strconv.ParseUint(s[1:1+width], 16, 32)
	if err != nil || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, p.errf(line, "bad escape \\%s in a double-quoted string", s[:1+width])
	}
	b.WriteRune(rune(v))
	return 1 + width, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 57
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// Typed access. Every accessor names the file and line of a bad value.

// has reports whether key is present.
func (m *metaFile) has(key string) bool {
	_, ok := m.vals[key]
	return ok
}

// endLine is the line a missing key is reported at: the end of the file.
func (m *metaFile) endLine() int { return max(m.lines, 1) }

// missing is the error for a required key that is absent.
func (m *metaFile) missing(key string) error {
	return &yamlError{m.path, m.endLine(), fmt.Sprintf("required key %q is missing (truncated file?)", key)}
}

// str returns a string value: a quoted string, or a plain scalar's text
// (PyYAML quotes strings that would read as numbers, so a plain 0 is the
// experiment id "0" of an older MLflow). ok is false for null or absence.
func (m *metaFile) str(key string) (s string, ok bool, err error) {
	v, present := m.vals[key]
	if !present || v.kind == kindNull {
		return "", false, nil
	}
	if v.kind != kindPlain && v.kind != kindQuoted {
		return "", false, &yamlError{m.path, v.line, fmt.Sprintf("%s: want a string, got %s", key, v.kind)}
	}
	return v.text, true, nil
}

// int returns an integer value; ok is false for null or absence.
func (m *metaFile) int(key string) (n int64, ok bool, err error) {
	v, present := m.vals[key]
	if !present || v.kind == kindNull {
		return 0, false, nil
	}
	if v.kind == kindPlain {
		if n, err := strconv.ParseInt(v.text, 10, 64); err == nil {
			return n, true, nil
		}
	}
	return 0, false, &yamlError{m.path, v.line, fmt.Sprintf("%s: want an integer, got %s %q", key, v.kind, clip(v.text))}
}
