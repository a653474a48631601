package filter

import (
	"strings"
	"time"
)

// timeFormat is the fixed-width UTC layout of runs.time (objects.TimeFormat),
// in which times compare correctly as strings.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

// timeRange reads a time literal and returns the interval [lo, hi) it
// covers, formatted like runs.time. A literal is as precise as it is
// written: "2024" is the year, "2024-05" the month, "2024-05-01" the day,
// "2024-05-01T12:30" the minute, "2024-05-01T12:30:05" the second (or the
// fraction of it written). Times without a zone are UTC; a zone (Z,
// +02:00) is converted. A space may stand for the T.
func timeRange(s string) (lo, hi string, ok bool) {
	var t time.Time
	var err error
	switch len(s) {
	case 4:
		t, err = time.Parse("2006", s)
		return bounds(t, err, t.AddDate(1, 0, 0))
	case 7:
		t, err = time.Parse("2006-01", s)
		return bounds(t, err, t.AddDate(0, 1, 0))
	case 10:
		t, err = time.Parse("2006-01-02", s)
		return bounds(t, err, t.AddDate(0, 0, 1))
	}
	if len(s) < 16 || s[10] != 'T' && s[10] != ' ' && s[10] != 't' {
		return "", "", false
	}
	s = s[:10] + "T" + s[11:]
	loc := time.UTC
	if z := s[len(s)-1]; z == 'Z' || z == 'z' {
		s = s[:len(s)-1]
	} else if n := len(s); n >= 22 && (s[n-6] == '+' || s[n-6] == '-') && s[n-3] == ':' {
		zt, err := time.Parse("-07:00", s[n-6:])
		if err != nil {
			return "", "", false
		}
		loc = zt.Location()
		s = s[:n-6]
	}
	if len(s) == 16 {
		t, err = time.ParseInLocation("2006-01-02T15:04", s, loc)
		return bounds(t, err, t.Add(time.Minute))
	}
	if len(s) < 19 {
		return "", "", false
	}
	step := time.Second
	if len(s) > 19 {
		frac := s[19:]
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 || strings.Trim(frac[1:], "0123456789") != "" {
			return "", "", false
		}
		for range len(frac) - 1 {
			step /= 10
		}
	}
	t, err = time.ParseInLocation("2006-01-02T15:04:05", s, loc)
	return bounds(t, err, t.Add(step))
}

func bounds(t time.Time, err error, end time.Time) (lo, hi string, ok bool) {
	if err != nil || end.UTC().Year() > 9999 || t.UTC().Year() < 0 {
		return "", "", false
	}
	return t.UTC().Format(timeFormat), end.UTC().Format(timeFormat), true
}
