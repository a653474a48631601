package objects

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"
)

// errSlowPath makes decodeCommitFast hand over to encoding/json.
var errSlowPath = errors.New("not in the fast path's form")

// decodeCommitFast decodes the canonical form of a commit as modeldb writes
// it (sorted keys, no whitespace, strings without escapes, known fields
// only) without reflection. Listing history decodes one commit per line,
// so this is on the hot path of log. Anything else — escapes, unknown
// fields, other spellings — returns errSlowPath and DecodeCommit falls back
// to encoding/json, which accepts every valid document; FuzzDecode checks
// that both agree.
func decodeCommitFast(data []byte) (*Commit, error) {
	d := scanner{data: data}
	c := &Commit{}
	if !d.byte('{') {
		return nil, errSlowPath
	}
	for first := true; ; first = false {
		if d.byte('}') {
			break
		}
		if !first && !d.byte(',') {
			return nil, errSlowPath
		}
		key, ok := d.str()
		if !ok || !d.byte(':') {
			return nil, errSlowPath
		}
		switch string(key) {
		case "author":
			c.Author, ok = d.string()
		case "message":
			c.Message, ok = d.string()
		case "name":
			c.Name, ok = d.string()
		case "time":
			c.Time, ok = d.string()
		case "type":
			c.Type, ok = d.string()
		case "run":
			c.Run, ok = d.id()
		case "version":
			c.Version, ok = d.int()
		case "parents":
			c.Parents, ok = d.ids()
		case "metrics":
			c.Metrics, ok = d.metrics()
		default:
			return nil, errSlowPath
		}
		if !ok {
			return nil, errSlowPath
		}
	}
	if d.pos != len(d.data) || c.Parents == nil {
		return nil, errSlowPath
	}
	return c, nil
}

type scanner struct {
	data []byte
	pos  int
}

func (d *scanner) byte(b byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == b {
		d.pos++
		return true
	}
	return false
}

// str returns the bytes of a string without escapes or control characters.
func (d *scanner) str() ([]byte, bool) {
	if !d.byte('"') {
		return nil, false
	}
	end := bytes.IndexByte(d.data[d.pos:], '"')
	if end < 0 {
		return nil, false
	}
	s := d.data[d.pos : d.pos+end]
	ascii := true
	for _, c := range s {
		if c == '\\' || c < 0x20 {
			return nil, false
		}
		ascii = ascii && c < 0x80
	}
	if !ascii && !utf8.Valid(s) {
		return nil, false
	}
	d.pos += end + 1
	return s, true
}

func (d *scanner) string() (string, bool) {
	s, ok := d.str()
	return string(s), ok
}

func (d *scanner) id() (ID, bool) {
	var id ID
	s, ok := d.str()
	if !ok || len(s) != 2*IDSize {
		return id, false
	}
	for i := range id {
		hi, ok1 := lowerHex(s[2*i])
		lo, ok2 := lowerHex(s[2*i+1])
		if !ok1 || !ok2 {
			return id, false
		}
		id[i] = hi<<4 | lo
	}
	return id, true
}

// lowerHex decodes one lowercase hex digit (IDs are never upper case).
func lowerHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func (d *scanner) ids() ([]ID, bool) {
	ids := []ID{}
	if !d.byte('[') {
		return nil, false
	}
	for first := true; !d.byte(']'); first = false {
		if !first && !d.byte(',') {
			return nil, false
		}
		id, ok := d.id()
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// number returns the text of a JSON number:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *scanner) number() ([]byte, bool) {
	start := d.pos
	d.byte('-')
	if d.byte('0') {
		// no more integer digits after a leading zero
	} else if !d.digits() {
		return nil, false
	}
	if d.byte('.') && !d.digits() {
		return nil, false
	}
	if d.byte('e') || d.byte('E') {
		if !d.byte('+') {
			d.byte('-')
		}
		if !d.digits() {
			return nil, false
		}
	}
	return d.data[start:d.pos], true
}

// digits consumes one or more decimal digits.
func (d *scanner) digits() bool {
	start := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	return d.pos > start
}

func (d *scanner) int() (int, bool) {
	s, ok := d.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(string(s))
	return n, err == nil
}

func (d *scanner) metrics() ([]Metric, bool) {
	var ms []Metric
	if !d.byte('[') {
		return nil, false
	}
	for first := true; !d.byte(']'); first = false {
		if !first && !d.byte(',') {
			return nil, false
		}
		m, ok := d.metric()
		if !ok {
			return nil, false
		}
		ms = append(ms, m)
	}
	return ms, true
}

func (d *scanner) metric() (Metric, bool) {
	var m Metric
	if !d.byte('{') {
		return m, false
	}
	for first := true; !d.byte('}'); first = false {
		if !first && !d.byte(',') {
			return m, false
		}
		key, ok := d.str()
		if !ok || !d.byte(':') {
			return m, false
		}
		switch string(key) {
		case "name":
			m.Name, ok = d.string()
		case "slice":
			m.Slice, ok = d.string()
		case "split":
			m.Split, ok = d.string()
		case "step":
			var n []byte
			if n, ok = d.number(); ok {
				var step int64
				step, err := strconv.ParseInt(string(n), 10, 64)
				ok = err == nil
				m.Step = &step
			}
		case "value":
			var n []byte
			if n, ok = d.number(); ok {
				var err error
				m.Value, err = strconv.ParseFloat(string(n), 64)
				ok = err == nil
			}
		default:
			return m, false
		}
		if !ok {
			return m, false
		}
	}
	return m, true
}
