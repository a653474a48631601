package ui

import (
	"strings"

	"github.com/modeldb/modeldb/objects"
)

// Graph draws the lanes of a history graph, one commit at a time, in the
// order the commits are printed (newest first), as git log --graph does.
type Graph struct {
	lanes []objects.ID
	s     *Styles
}

// NewGraph returns an empty graph drawn with s.
func NewGraph(s *Styles) *Graph { return &Graph{s: s} }

// Next places commit id with its parents and returns the lines to print
// before the commit (lanes joining), the prefix of the commit's own line,
// and the prefix of the lines that follow it.
func (g *Graph) Next(id objects.ID, parents []objects.ID) (joins []string, first, rest string) {
	var at []int
	for i, l := range g.lanes {
		if l == id {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		g.lanes = append(g.lanes, id)
		at = []int{len(g.lanes) - 1}
	}
	col := at[0]
	// Lanes that waited for the same commit join the first one.
	for k := len(at) - 1; k >= 1; k-- {
		j := at[k]
		var b strings.Builder
		for i := range g.lanes {
			switch {
			case i == j:
				b.WriteString("/ ")
			case i == j-1:
				b.WriteString("|")
			default:
				b.WriteString("| ")
			}
		}
		joins = append(joins, g.s.Graph.Render(strings.TrimRight(b.String(), " ")))
		g.lanes = append(g.lanes[:j], g.lanes[j+1:]...)
	}
	first = g.draw(col, "*")
	switch len(parents) {
	case 0:
		g.lanes = append(g.lanes[:col], g.lanes[col+1:]...)
	default:
		g.lanes[col] = parents[0]
		g.lanes = append(g.lanes, parents[1:]...)
	}
	rest = g.draw(-1, "")
	return joins, first, rest
}

// Continuation returns the prefix of a line between commits: one "|" per
// open lane.
func (g *Graph) Continuation() string { return g.draw(-1, "") }

func (g *Graph) draw(col int, mark string) string {
	if len(g.lanes) == 0 && col < 0 {
		return "  " // after the last root: keep the text aligned
	}
	n := len(g.lanes)
	if col >= n {
		n = col + 1
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i == col {
			b.WriteString(g.s.Commit.Render(mark))
		} else {
			b.WriteString(g.s.Graph.Render("|"))
		}
		b.WriteString(" ")
	}
	return b.String()
}
