package diff

import (
	"fmt"
	"reflect"

	"github.com/modeldb/modeldb/objects"
)

// Scores of the alignment. A pair of stages scores by what they share; a
// stage left unpaired costs gapPenalty. Two stages that share nothing still
// pair (as Replaced) when that beats two gaps, which is what keeps a swapped
// estimator in its slot.
const (
	scoreSameOp     = 4.0
	scoreSameName   = 3.0
	scoreParams     = 2.0 // times the fraction of equal parameters
	scoreUnrelated  = -0.5
	gapPenalty      = -1.0
	minPairForMatch = 0.0
)

// pair is one column of an alignment: indexes into a and b, -1 for a gap.
type pair struct{ a, b int }

// similarity scores pairing stage x with stage y.
func similarity(x, y *objects.Stage) float64 {
	s := 0.0
	if x.Op == y.Op {
		s += scoreSameOp
	}
	if x.Name == y.Name {
		s += scoreSameName
	}
	if s == 0 {
		return scoreUnrelated
	}
	return s + scoreParams*paramOverlap(x.Params, y.Params)
}

// paramOverlap is the fraction of parameter keys (of either side) whose
// values are equal on both sides; 1 when neither has parameters.
func paramOverlap(a, b map[string]any) float64 {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	if len(keys) == 0 {
		return 1
	}
	equal := 0
	for k := range keys {
		av, aok := a[k]
		bv, bok := b[k]
		if aok && bok && sameValue(av, bv) {
			equal++
		}
	}
	return float64(equal) / float64(len(keys))
}

// align computes a global alignment of a and b (Needleman–Wunsch) and
// returns its columns in order. Time and memory are O(len(a)·len(b)).
func align(a, b []objects.Stage) []pair {
	n, m := len(a), len(b)
	score := make([][]float64, n+1)
	for i := range score {
		score[i] = make([]float64, m+1)
		score[i][0] = float64(i) * gapPenalty
	}
	for j := 0; j <= m; j++ {
		score[0][j] = float64(j) * gapPenalty
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best := score[i-1][j-1] + similarity(&a[i-1], &b[j-1])
			best = max(best, score[i-1][j]+gapPenalty, score[i][j-1]+gapPenalty)
			score[i][j] = best
		}
	}
	// Trace back, preferring a pair, then a deletion, then an insertion, so
	// equal-scoring alignments come out the same way every time.
	var cols []pair
	i, j := n, m
	for i > 0 || j > 0 {
		switch {
		case i > 0 && j > 0 && score[i][j] == score[i-1][j-1]+similarity(&a[i-1], &b[j-1]):
			cols = append(cols, pair{i - 1, j - 1})
			i, j = i-1, j-1
		case i > 0 && score[i][j] == score[i-1][j]+gapPenalty:
			cols = append(cols, pair{i - 1, -1})
			i--
		default:
			cols = append(cols, pair{-1, j - 1})
			j--
		}
	}
	for l, r := 0, len(cols)-1; l < r; l, r = l+1, r-1 {
		cols[l], cols[r] = cols[r], cols[l]
	}
	return cols
}

// Stages aligns two pipelines and compares the paired stages, recursively
// for nested stages. A stage removed from one place and added at another
// (same operator and name) is reported once, as Moved, at its new place.
func Stages(a, b []objects.Stage) []StageDiff {
	return stages(a, b, "", "")
}

func stages(a, b []objects.Stage, pathA, pathB string) []StageDiff {
	var out []StageDiff
	for _, c := range align(a, b) {
		var x, y *objects.Stage
		if c.a >= 0 {
			x = &a[c.a]
		}
		if c.b >= 0 {
			y = &b[c.b]
		}
		out = append(out, stagePair(x, y, childPath(pathA, c.a), childPath(pathB, c.b)))
	}
	return detectMoves(out)
}

func childPath(parent string, i int) string {
	if i < 0 {
		return ""
	}
	if parent == "" {
		return fmt.Sprint(i + 1)
	}
	return fmt.Sprintf("%s.%d", parent, i+1)
}

func stageRef(s *objects.Stage, path string) *StageRef {
	if s == nil {
		return nil
	}
	return &StageRef{Path: path, Name: s.Name, Op: s.Op}
}

// stagePair compares two aligned stages (either may be nil).
func stagePair(x, y *objects.Stage, pathA, pathB string) StageDiff {
	d := StageDiff{Old: stageRef(x, pathA), New: stageRef(y, pathB), x: x, y: y}
	switch {
	case x == nil:
		d.Status = Added
		d.Params = Values(nil, y.Params)
		d.Stages = stages(nil, y.Stages, "", pathB)
		return d
	case y == nil:
		d.Status = Removed
		d.Params = Values(x.Params, nil)
		d.Stages = stages(x.Stages, nil, pathA, "")
		return d
	}
	d.Params = Values(x.Params, y.Params)
	d.Inputs = Lists(x.Inputs, y.Inputs)
	d.Outputs = Lists(x.Outputs, y.Outputs)
	d.Stages = stages(x.Stages, y.Stages, pathA, pathB)
	switch {
	case x.Op != y.Op:
		d.Status = Replaced
	case x.Name != y.Name || changedValues(d.Params) || d.Inputs != nil || d.Outputs != nil ||
		x.Artifact != y.Artifact || !reflect.DeepEqual(x.Sample, y.Sample) || changedStages(d.Stages):
		d.Status = Changed
	default:
		d.Status = Same
	}
	return d
}

// detectMoves merges a Removed and an Added stage with the same operator
// and name into one Moved entry at the added stage's place.
func detectMoves(ds []StageDiff) []StageDiff {
	for i := range ds {
		if ds[i].Status != Removed {
			continue
		}
		for j := range ds {
			if ds[j].Status != Added || ds[j].New.Op != ds[i].Old.Op || ds[j].New.Name != ds[i].Old.Name {
				continue
			}
			moved := stagePair(ds[i].x, ds[j].y, ds[i].Old.Path, ds[j].New.Path)
			moved.Status = Moved
			ds[j] = moved
			ds[i].Status = "" // merged into j
			break
		}
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Status != "" {
			out = append(out, d)
		}
	}
	return out
}

func changedValues(vs []ValueDiff) bool {
	for _, v := range vs {
		if v.Status != Same {
			return true
		}
	}
	return false
}

func changedStages(ds []StageDiff) bool {
	for _, d := range ds {
		if d.Status != Same {
			return true
		}
	}
	return false
}
