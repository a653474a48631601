package cli

import (
	"github.com/urfave/cli/v2"
)

// importCommand groups the importers of runs recorded by other tools.
func importCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:        "import",
		Usage:       "import runs recorded by other tools (Spark ML saved pipelines, MLflow file stores)",
		Description: "modeldb import spark DIR     a Pipeline or PipelineModel saved with Spark's save()\nmodeldb import mlflow DIR    an MLflow file store (mlruns/)",
		Subcommands: []*cli.Command{importSparkCommand(e), importMLflowCommand(e)},
	}
}
