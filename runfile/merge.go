package runfile

import (
	"path/filepath"

	"github.com/modeldb/modeldb/objects"
)

// SetMetric adds m, replacing a metric with the same name, slice, split
// and step: a value given on the command line wins over the run file.
func (s *Spec) SetMetric(m objects.Metric) {
	for i, old := range s.Metrics {
		if old.Key() == m.Key() {
			s.Metrics[i] = m
			return
		}
	}
	s.Metrics = append(s.Metrics, m)
}

// SetDataset adds d, replacing a dataset with the same role.
func (s *Spec) SetDataset(d Dataset) {
	for i, old := range s.Datasets {
		if old.Role == d.Role {
			s.Datasets[i] = d
			return
		}
	}
	s.Datasets = append(s.Datasets, d)
}

// SetArtifact adds a, replacing an artifact stored under the same name.
func (s *Spec) SetArtifact(a Artifact) {
	name := filepath.Clean(a.StoredName())
	for i, old := range s.Artifacts {
		if filepath.Clean(old.StoredName()) == name {
			s.Artifacts[i] = a
			return
		}
	}
	s.Artifacts = append(s.Artifacts, a)
}
