package dataset

import (
	"errors"
	"strconv"
	"strings"
)

// column accumulates what the values of one column have in common. It keeps
// a few flags, never the values.
type column struct {
	name     string
	seen     bool // some non-empty value
	notInt   bool // some value is not an int64
	notFloat bool // some value is not a float64
	notBool  bool // some value is not true or false
}

// observe records one field. Surrounding white space is ignored and blank
// fields say nothing about the type.
func (c *column) observe(field string) {
	f := strings.TrimSpace(field)
	if f == "" {
		return
	}
	c.seen = true
	if !c.notInt && !isInt(f) {
		c.notInt = true
	}
	// While every value is an int every value is also a float, so floats
	// need checking only once ints have been ruled out.
	if c.notInt && !c.notFloat && !isFloat(f) {
		c.notFloat = true
	}
	if !c.notBool && !isBool(f) {
		c.notBool = true
	}
}

// typ returns the narrowest type that fits every value observed.
func (c *column) typ() string {
	switch {
	case !c.seen:
		return "empty"
	case !c.notInt:
		return "int"
	case !c.notFloat:
		return "float"
	case !c.notBool:
		return "bool"
	}
	return "string"
}

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isFloat accepts whatever strconv.ParseFloat does, including values too
// large for a float64 such as 1e999.
func isFloat(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

func isBool(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}
