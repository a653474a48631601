// Package storagetest is the conformance suite every storage.Store
// implementation must pass. Call Run from the implementation's tests.
package storagetest
