package cli

import (
	"strings"

	"github.com/modeldb/modeldb/objects"
)

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// nullID returns nil for the zero ID so JSON shows null.
func nullID(id objects.ID) any {
	if id.IsZero() {
		return nil
	}
	return id
}
