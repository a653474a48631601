package cli

import (
	"fmt"
	"strings"

	"github.com/modeldb/modeldb/objects"
)

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// plural returns "1 problem", "2 problems".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// nullID returns nil for the zero ID so JSON shows null.
func nullID(id objects.ID) any {
	if id.IsZero() {
		return nil
	}
	return id
}
