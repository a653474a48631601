// Package config reads and writes a repository's config.toml: the format
// version and the user's identity.
package config
