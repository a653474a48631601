package cli

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed moves a command's flags in front of its positional
// arguments, so "modeldb restore REV PATH -o OUT" works as users of git
// expect (urfave/cli stops reading flags at the first positional argument).
// Everything after "--" is left alone.
func interspersed(app *cli.App, args []string) ([]string, error) {
	// Skip global flags to find the command.
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "--" {
		if takesValue(app.Flags, args[i]) {
			i++
		}
		i++
	}
	if i >= len(args) {
		return args, nil
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args, nil
	}
	// Descend into subcommands ("import spark DIR --name x").
	for i+1 < len(args) && len(cmd.Subcommands) > 0 {
		sub := cmd.Command(args[i+1])
		if sub == nil {
			break
		}
		cmd = sub
		i++
	}
	rest := args[i+1:]
	var flags, positional []string
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		if a == "--" {
			positional = append(positional, rest[j:]...)
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			if takesValue(cmd.Flags, a) {
				if j+1 >= len(rest) {
					return nil, usagef("%s: flag %s needs a value (see 'modeldb %s --help')", cmd.Name, a, cmd.Name)
				}
				j++
				flags = append(flags, rest[j])
			}
			continue
		}
		positional = append(positional, a)
	}
	out := append([]string{}, args[:i+1]...)
	out = append(out, flags...)
	return append(out, positional...), nil
}

// takesValue reports whether arg ("-o", "--output") names a flag that
// takes a separate value (not a bool flag, and no "=value" attached).
func takesValue(flags []cli.Flag, arg string) bool {
	if strings.Contains(arg, "=") {
		return false
	}
	name := strings.TrimLeft(arg, "-")
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}
