package repo

// GenerateName returns a random human-readable run name such as
// "brave-otter-417", from the generator Commit uses for runs without a
// name. It does not check that the name is free.
func GenerateName() string { return generateName() }
