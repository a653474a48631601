package diff

import (
	"fmt"
	"strings"
	"testing"

	"github.com/modeldb/modeldb/objects"
)

func st(name, op string, params ...any) objects.Stage {
	s := objects.Stage{Name: name, Op: op}
	if len(params) > 0 {
		s.Params = map[string]any{}
		for i := 0; i+1 < len(params); i += 2 {
			s.Params[params[i].(string)] = params[i+1]
		}
	}
	return s
}

// summary renders stage diffs compactly: "status:old>new" per stage,
// nested stages in brackets.
func summary(ds []StageDiff) string {
	var parts []string
	for _, d := range ds {
		s := string(d.Status) + ":"
		if d.Old != nil {
			s += d.Old.Name
		}
		s += ">"
		if d.New != nil {
			s += d.New.Name
		}
		if len(d.Stages) > 0 {
			s += "[" + summary(d.Stages) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

var (
	scale = st("scale", "sklearn.preprocessing.StandardScaler", "with_mean", true)
	pca   = st("pca", "sklearn.decomposition.PCA", "n_components", 10.0)
	poly  = st("poly", "sklearn.preprocessing.PolynomialFeatures", "degree", 2.0)
	lr    = st("clf", "sklearn.linear_model.LogisticRegression", "C", 1.0)
	lr10  = st("clf", "sklearn.linear_model.LogisticRegression", "C", 10.0)
	rf    = st("clf", "sklearn.ensemble.RandomForestClassifier", "n_estimators", 100.0)
)

func TestAlignment(t *testing.T) {
	ct := func(children ...objects.Stage) objects.Stage {
		s := st("pre", "sklearn.compose.ColumnTransformer")
		s.Stages = children
		return s
	}
	tests := []struct {
		name string
		a, b []objects.Stage
		want string
	}{
		{"identical", []objects.Stage{scale, lr}, []objects.Stage{scale, lr}, "same:scale>scale same:clf>clf"},
		{"param changed", []objects.Stage{scale, lr}, []objects.Stage{scale, lr10}, "same:scale>scale changed:clf>clf"},
		{"insertion in the middle", []objects.Stage{scale, pca, lr}, []objects.Stage{scale, poly, pca, lr},
			"same:scale>scale added:>poly same:pca>pca same:clf>clf"},
		{"deletion", []objects.Stage{scale, pca, lr}, []objects.Stage{scale, lr}, "same:scale>scale removed:pca> same:clf>clf"},
		{"replaced estimator", []objects.Stage{scale, lr}, []objects.Stage{scale, rf}, "same:scale>scale replaced:clf>clf"},
		{"swap is a move", []objects.Stage{scale, pca, lr}, []objects.Stage{pca, scale, lr}, "moved:pca>pca same:scale>scale same:clf>clf"},
		{"duplicated operators", []objects.Stage{st("s1", "Scaler"), st("s2", "Scaler"), lr}, []objects.Stage{st("s1", "Scaler"), st("s2", "Scaler", "x", 1.0), lr},
			"same:s1>s1 changed:s2>s2 same:clf>clf"},
		{"move next to an insertion", []objects.Stage{st("impute", "Imputer"), st("pre", "ColumnTransformer"), lr},
			[]objects.Stage{st("pre", "ColumnTransformer", "x", 1.0), st("impute", "Imputer"), st("select", "SelectKBest"), lr},
			"moved:pre>pre same:impute>impute added:>select same:clf>clf"},
		{"empty to pipeline", nil, []objects.Stage{scale, lr}, "added:>scale added:>clf"},
		{"pipeline to empty", []objects.Stage{scale}, nil, "removed:scale>"},
		{"both empty", nil, nil, ""},
		{"nested", []objects.Stage{ct(st("num", "Scaler"), st("cat", "OneHot")), lr},
			[]objects.Stage{ct(st("num", "Scaler"), st("txt", "Tfidf"), st("cat", "OneHot")), lr},
			"changed:pre>pre[same:num>num added:>txt same:cat>cat] same:clf>clf"},
	}
	for _, tc := range tests {
		got := summary(Stages(tc.a, tc.b))
		if got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
}

func TestStagePathsAndParams(t *testing.T) {
	ds := Stages([]objects.Stage{scale, lr}, []objects.Stage{scale, poly, lr10})
	clf := ds[2]
	if clf.Old.Path != "2" || clf.New.Path != "3" {
		t.Fatalf("paths %s → %s", clf.Old.Path, clf.New.Path)
	}
	p := clf.Params[0]
	if p.Key != "C" || p.Status != Changed || *p.Delta != 9 || *p.Relative != 9 {
		t.Fatalf("param diff %+v", p)
	}
}

func Test200Stages(t *testing.T) {
	var a, b []objects.Stage
	for i := 0; i < 200; i++ {
		s := st(fmt.Sprintf("s%d", i), fmt.Sprintf("op.Op%d", i%17), "k", float64(i))
		a = append(a, s)
		if i == 100 {
			b = append(b, st("inserted", "op.New"))
		}
		if i != 150 {
			b = append(b, s)
		}
	}
	ds := Stages(a, b)
	counts := map[Status]int{}
	for _, d := range ds {
		counts[d.Status]++
	}
	if counts[Same] != 199 || counts[Added] != 1 || counts[Removed] != 1 || len(ds) != 201 {
		t.Fatalf("200-stage alignment: %v", counts)
	}
}
