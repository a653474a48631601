package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// importSparkCommand is being written (issue 7).
func importSparkCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:   "spark",
		Usage:  "import a Spark store",
		Action: func(c *cli.Context) error { return errors.New("import spark: not built yet") },
	}
}
