package main

import (
	"os"

	"github.com/modeldb/modeldb/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
