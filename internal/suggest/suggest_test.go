package suggest

import "testing"

func TestClosest(t *testing.T) {
	cmds := []string{"log", "show", "commit", "restore", "tag"}
	for word, want := range map[string]string{"lgo": "log", "comit": "commit", "shwo": "show", "xyzzy": "", "tga": "tag"} {
		if got := Closest(word, cmds, 2); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance = %d", d)
	}
}
