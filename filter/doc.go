// Package filter compiles the filter language of `modeldb log --where` and
// `--sort` (and of compare and the UI) into parameterised SQL over the query
// index (package index, docs/query.md). It writes SQL text and arguments
// and imports no database driver.
//
// An expression tests fields of a run against literals:
//
//	metrics.accuracy > 0.9 and params.C >= 1
//	stages.op = 'sklearn.preprocessing.OneHotEncoder'
//	datasets.train.columns contains 'zip_code'
//	not (branch = 'main' or time < '2024-05') and metrics.test:auc[country=US] >= 0.8
//
// The grammar, with not binding tighter than and, and and than or:
//
//	expr    = and { "or" and } .
//	and     = unary { "and" unary } .
//	unary   = "not" unary | primary .
//	primary = "(" expr ")" | "exists" FIELD | FIELD test .
//	test    = cmpop value
//	        | [ "not" ] "in" "(" value { "," value } ")"
//	        | [ "not" ] ( "contains" | "like" ) STRING
//	        | "~" STRING .
//	cmpop   = "=" | "!=" | "<" | "<=" | ">" | ">=" .
//	value   = NUMBER | STRING | "true" | "false" | "null" .
//	sort    = key { "," key } .
//	key     = [ "-" | "+" ] FIELD .
//
// Keywords are case-insensitive. FIELD is one of
//
//	name  author  message  time  branch  exit_status
//	source.commit  source.branch  source.dirty  source.remote
//	metrics.[SPLIT:]NAME[SLICE]     the key syntax of commit --metric, without @STEP
//	params.KEY                      run-level C, stage-level classifier.C
//	stages.op  stages.name
//	datasets.ROLE.columns  datasets.ROLE.path  datasets.ROLE.sha256
//	datasets.ROLE.size  datasets.ROLE.rows  datasets.ROLE.stored
//	datasets.ROLE                   with exists only
//	artifacts.path  artifacts.sha256  artifacts.size
//	tags.KEY  env.KEY
//
// A part of a field that is not a plain word (letters, digits, _ - @) is
// quoted with "…" or `…`: metrics."RMSE Score", params."my step".alpha.
// STRING is '…', "…" or `…`, the quote doubled inside; NUMBER is a decimal
// with optional sign, fraction and exponent.
//
// Meaning, in short (docs/filter-language.md has it in full): a test is
// false for a run that lacks the field, and not negates, so "not
// metrics.accuracy > 0.9" includes runs without accuracy. A field a run
// has several of (stages, columns, artifacts, branch) matches when any of
// them does. metrics compare their latest value. params compare numbers
// by value (params.C = 1 matches 1.0) and strings and booleans by their
// canonical JSON. contains is a substring test on text and membership on
// datasets.ROLE.columns; like is SQLite LIKE (case-insensitive for ASCII);
// ~ is SQLite GLOB. A time literal ('2024-05-01', '2024-05-01T12:30Z', …)
// stands for the interval it names. "= null" means "has no value".
//
// The SQL is built only from text in this package: every name and value
// from the user travels as an argument, in the order of the '?'
// placeholders. Errors are *Error, one line with the column:
//
//	--where: at column 18: expected a value after '>', got end of input
//	--where: at column 1: unknown field "metric.accuracy" (did you mean "metrics.accuracy"?)
package filter
