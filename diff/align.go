package diff

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"reflect"
	"sort"
	"strconv"

	"github.com/modeldb/modeldb/objects"
)

// Scores of the alignment. A pair of stages scores by what they share; a
// stage left unpaired costs gapPenalty. Two stages that share nothing still
// pair (as Replaced) when that beats two gaps, which is what keeps a swapped
// estimator in its slot.
const (
	scoreSameOp    = 4.0
	scoreSameName  = 3.0
	scoreParams    = 2.0 // times the fraction of equal parameters
	scoreUnrelated = -0.5
	gapPenalty     = -1.0
)

// pair is one column of an alignment: indexes into a and b, -1 for a gap.
type pair struct{ a, b int }

// stageKey is what the alignment compares of a stage, computed once per
// stage: each parameter value reduced to a comparable string, and a digest
// of the whole stage so identical stages are recognised without looking
// at their parameters.
type stageKey struct {
	op, name string
	params   map[string]string
	digest   uint64
}

// digestSeed seeds the stage digests of one process.
var digestSeed = maphash.MakeSeed()

func keyOf(s *objects.Stage) stageKey {
	k := stageKey{op: s.Op, name: s.Name, params: make(map[string]string, len(s.Params))}
	names := make([]string, 0, len(s.Params))
	for p, v := range s.Params {
		k.params[p] = valueKey(v)
		names = append(names, p)
	}
	sort.Strings(names)
	var h maphash.Hash
	h.SetSeed(digestSeed)
	h.WriteString(s.Op)
	h.WriteByte(0)
	h.WriteString(s.Name)
	for _, p := range names {
		h.WriteByte(0)
		h.WriteString(p)
		h.WriteByte(1)
		h.WriteString(k.params[p])
	}
	k.digest = h.Sum64()
	return k
}

// valueKey reduces a parameter value to a string that is equal exactly
// when sameValue would call the values equal.
func valueKey(v any) string {
	if f, ok := number(v); ok {
		return "n" + strconv.FormatFloat(f, 'g', -1, 64)
	}
	switch t := v.(type) {
	case string:
		return "s" + t
	case bool:
		return "b" + strconv.FormatBool(t)
	case nil:
		return "z"
	}
	b, _ := json.Marshal(normalize(v))
	return "j" + string(b)
}

// similarity scores pairing stage x with stage y.
func similarity(x, y *stageKey) float64 {
	s := 0.0
	if x.op == y.op {
		s += scoreSameOp
	}
	if x.name == y.name {
		s += scoreSameName
	}
	if s == 0 {
		return scoreUnrelated
	}
	if x.digest == y.digest {
		return s + scoreParams
	}
	return s + scoreParams*paramOverlap(x.params, y.params)
}

// paramOverlap is the fraction of parameter keys (of either side) whose
// values are equal on both sides; 1 when neither has parameters.
func paramOverlap(a, b map[string]string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	common, equal := 0, 0
	for k, av := range a {
		if bv, ok := b[k]; ok {
			common++
			if av == bv {
				equal++
			}
		}
	}
	return float64(equal) / float64(len(a)+len(b)-common)
}

// align computes a global alignment of a and b (Needleman–Wunsch) and
// returns its columns in order. Identical stages at the start and end are
// paired first, so the common case — a few edits in a long pipeline —
// aligns only the edited middle, in O(len·len) of that part.
func align(a, b []objects.Stage) []pair {
	ka, kb := make([]stageKey, len(a)), make([]stageKey, len(b))
	for i := range a {
		ka[i] = keyOf(&a[i])
	}
	for j := range b {
		kb[j] = keyOf(&b[j])
	}
	pre := 0
	for pre < len(a) && pre < len(b) && ka[pre].digest == kb[pre].digest {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && ka[len(a)-1-suf].digest == kb[len(b)-1-suf].digest {
		suf++
	}
	var cols []pair
	for i := 0; i < pre; i++ {
		cols = append(cols, pair{i, i})
	}
	for _, c := range alignKeys(ka[pre:len(a)-suf], kb[pre:len(b)-suf]) {
		if c.a >= 0 {
			c.a += pre
		}
		if c.b >= 0 {
			c.b += pre
		}
		cols = append(cols, c)
	}
	for k := suf; k > 0; k-- {
		cols = append(cols, pair{len(a) - k, len(b) - k})
	}
	return cols
}

// alignKeys is Needleman–Wunsch over precomputed stage keys.
func alignKeys(a, b []stageKey) []pair {
	n, m := len(a), len(b)
	score := make([][]float64, n+1)
	sim := make([][]float64, n+1)
	for i := range score {
		score[i] = make([]float64, m+1)
		score[i][0] = float64(i) * gapPenalty
		sim[i] = make([]float64, m+1)
	}
	for j := 0; j <= m; j++ {
		score[0][j] = float64(j) * gapPenalty
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sim[i][j] = similarity(&a[i-1], &b[j-1])
			best := score[i-1][j-1] + sim[i][j]
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
		case i > 0 && j > 0 && score[i][j] == score[i-1][j-1]+sim[i][j]:
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
// and name into one Moved entry at the added stage's place. A Replaced pair
// whose old stage reappears elsewhere (or whose new stage was removed
// elsewhere) is first split into a removal and an addition, so that a
// stage moved next to an insertion is not reported as replaced.
func detectMoves(ds []StageDiff) []StageDiff {
	sameStage := func(a, b *StageRef) bool { return a.Op == b.Op && a.Name == b.Name }
	var split []StageDiff
	for _, d := range ds {
		if d.Status != Replaced {
			split = append(split, d)
			continue
		}
		reappears := false
		for _, e := range ds {
			if e.Status == Added && sameStage(e.New, d.Old) || e.Status == Removed && sameStage(e.Old, d.New) {
				reappears = true
				break
			}
		}
		if !reappears {
			split = append(split, d)
			continue
		}
		split = append(split, stagePair(d.x, nil, d.Old.Path, ""), stagePair(nil, d.y, "", d.New.Path))
	}
	ds = split
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
