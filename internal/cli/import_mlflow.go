package cli

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// importMLflowCommand is being written (issue 7).
func importMLflowCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:   "mlflow",
		Usage:  "import a MLflow store",
		Action: func(c *cli.Context) error { return errors.New("import mlflow: not built yet") },
	}
}
