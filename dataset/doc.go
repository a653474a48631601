// Package dataset fingerprints data files in a single streaming pass: the
// SHA-256 and size of the bytes and, for CSV and TSV files, the row count
// and an inferred type for each column.
//
// Memory use does not grow with the file: only per-column state and one
// record (at most 16 MiB) are held at a time. A caller that also wants to
// store the bytes can pass a writer that receives them in the same pass.
package dataset
