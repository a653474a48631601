package repo

import (
	"os"
	"os/user"

	"github.com/modeldb/modeldb/internal/gitsrc"
)

// Author returns the identity recorded in commits: MODELDB_AUTHOR if set,
// else [user] in config.toml, else git's user.name and user.email, else
// the login name.
func (r *Repo) Author() string {
	if a := os.Getenv("MODELDB_AUTHOR"); a != "" {
		return a
	}
	name, email := r.Config.User.Name, r.Config.User.Email
	if name == "" && email == "" {
		name, email, _ = gitsrc.Identity(r.WorkDir)
	}
	if name == "" && email == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	switch {
	case email == "":
		return name
	case name == "":
		return "<" + email + ">"
	}
	return name + " <" + email + ">"
}
