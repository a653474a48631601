package refs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/modeldb/modeldb/objects"
)

// Format returns the reflog line for e: "OLD NEW UNIXNANO\tWHO\tMESSAGE\n",
// with tabs and newlines in WHO and MESSAGE replaced by spaces.
func (e LogEntry) Format() string {
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s) }
	return fmt.Sprintf("%s %s %d\t%s\t%s\n", e.Old, e.New, e.Time.UnixNano(), clean(e.Who), clean(e.Message))
}

// ParseLogEntry parses one reflog line (without its newline).
func ParseLogEntry(line string) (LogEntry, error) {
	var e LogEntry
	fields := strings.SplitN(line, "\t", 3)
	if len(fields) != 3 {
		return e, fmt.Errorf("reflog line %q: want 3 tab-separated fields", line)
	}
	head := strings.Split(fields[0], " ")
	if len(head) != 3 {
		return e, fmt.Errorf("reflog line %q: want OLD NEW TIME", line)
	}
	var err error
	if e.Old, err = objects.ParseID(head[0]); err != nil {
		return e, fmt.Errorf("reflog old id: %w", err)
	}
	if e.New, err = objects.ParseID(head[1]); err != nil {
		return e, fmt.Errorf("reflog new id: %w", err)
	}
	ns, err := strconv.ParseInt(head[2], 10, 64)
	if err != nil {
		return e, fmt.Errorf("reflog time %q: %w", head[2], err)
	}
	e.Time = time.Unix(0, ns).UTC()
	e.Who, e.Message = fields[1], fields[2]
	return e, nil
}
