package ui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles holds every style modeldb uses, built once for one output.
type Styles struct {
	Commit   lipgloss.Style // commit ids
	RunName  lipgloss.Style // run names
	Ref      lipgloss.Style // branch names in decorations
	Head     lipgloss.Style // "HEAD ->"
	Tag      lipgloss.Style // tag decorations
	Label    lipgloss.Style // field labels in show
	Heading  lipgloss.Style // section headings
	Metric   lipgloss.Style // metric names
	Value    lipgloss.Style // numbers
	Dim      lipgloss.Style // secondary text
	Good     lipgloss.Style // success marks
	Bad      lipgloss.Style // problems
	Graph    lipgloss.Style // graph lines
	Operator lipgloss.Style // pipeline operators
}

// NewStyles returns styles for w. With color false every style is plain.
func NewStyles(w io.Writer, color bool) *Styles {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := func() lipgloss.Style { return r.NewStyle() }
	return &Styles{
		Commit:   s().Foreground(lipgloss.Color("3")),
		RunName:  s().Foreground(lipgloss.Color("6")).Bold(true),
		Ref:      s().Foreground(lipgloss.Color("2")).Bold(true),
		Head:     s().Foreground(lipgloss.Color("6")).Bold(true),
		Tag:      s().Foreground(lipgloss.Color("3")).Bold(true),
		Label:    s().Foreground(lipgloss.Color("8")),
		Heading:  s().Bold(true).Underline(true),
		Metric:   s().Foreground(lipgloss.Color("5")),
		Value:    s().Bold(true),
		Dim:      s().Foreground(lipgloss.Color("8")),
		Good:     s().Foreground(lipgloss.Color("2")),
		Bad:      s().Foreground(lipgloss.Color("1")).Bold(true),
		Graph:    s().Foreground(lipgloss.Color("4")),
		Operator: s().Foreground(lipgloss.Color("4")),
	}
}
