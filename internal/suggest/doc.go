// Package suggest finds the known word closest to a mistyped one, for
// "did you mean …?" hints in error messages.
package suggest
