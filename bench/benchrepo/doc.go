// Package benchrepo creates throw-away repositories for the benchmark
// generators: a fresh repository opened without fsync.
package benchrepo
