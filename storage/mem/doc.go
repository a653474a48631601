// Package mem is an in-memory storage.Store, for tests and as the
// reference implementation of the storage contract.
package mem
