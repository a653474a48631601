package repo

import (
	"fmt"
	"math/rand/v2"
)

var (
	adjectives = []string{"agile", "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "crisp", "curious",
		"daring", "eager", "fancy", "fast", "fierce", "gentle", "golden", "happy", "honest", "humble",
		"jolly", "keen", "kind", "lively", "lucky", "merry", "mighty", "modest", "noble", "patient",
		"polite", "proud", "quick", "quiet", "rapid", "rare", "sharp", "shiny", "silent", "smart",
		"steady", "stormy", "sunny", "swift", "tidy", "vivid", "warm", "wise", "witty", "zesty"}
	nouns = []string{"badger", "beaver", "bison", "cobra", "condor", "crane", "dingo", "dolphin", "eagle", "falcon",
		"ferret", "gecko", "heron", "ibis", "jackal", "koala", "lemur", "lynx", "marten", "moose",
		"newt", "ocelot", "orca", "otter", "owl", "panda", "puffin", "quail", "raven", "salmon",
		"seal", "shrimp", "sparrow", "stoat", "swan", "tapir", "tiger", "toucan", "trout", "turtle",
		"viper", "walrus", "weasel", "whale", "wolf", "wombat", "yak", "zebra", "lark", "mole"}
)

// generateName returns a random human-readable run name such as
// "brave-otter-417". Uniqueness is enforced when the name's ref is created.
func generateName() string {
	return fmt.Sprintf("%s-%s-%d", adjectives[rand.IntN(len(adjectives))], nouns[rand.IntN(len(nouns))], rand.IntN(1000))
}
