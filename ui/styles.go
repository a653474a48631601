package ui

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles holds every style modeldb uses, built once for one output.
type Styles struct {
	Commit   Style // commit ids
	RunName  Style // run names
	Ref      Style // branch names in decorations
	Head     Style // "HEAD ->"
	Tag      Style // tag decorations
	Label    Style // field labels in show
	Heading  Style // section headings
	Metric   Style // metric names
	Value    Style // numbers
	Dim      Style // secondary text
	Good     Style // success marks
	Bad      Style // problems
	Graph    Style // graph lines
	Operator Style // pipeline operators
	Added    Style // diff: text and entries only in B
	Removed  Style // diff: text and entries only in A (struck through)
	Changed  Style // diff: changed, moved and replaced entries

	CodeMeta    Style // code diff: file headers, "Binary files … differ"
	CodeHunk    Style // code diff: "@@ … @@" hunk headers
	CodeAdded   Style // code diff: "+" lines
	CodeRemoved Style // code diff: "-" lines
}

// Style renders text in one style, or returns it unchanged when colour is
// off (without going through lipgloss at all: history of 100,000 commits
// is printed through these).
type Style struct {
	style lipgloss.Style
	on    bool
}

// Render styles the strings, joined by spaces.
func (s Style) Render(strs ...string) string {
	if !s.on {
		if len(strs) == 1 {
			return strs[0]
		}
		return strings.Join(strs, " ")
	}
	return s.style.Render(strs...)
}

// NewStyles returns styles for w. With color false every style is plain.
func NewStyles(w io.Writer, color bool) *Styles {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := func() builder { return builder{r.NewStyle(), color} }
	return &Styles{
		Commit:   s().fg("3").done(),
		RunName:  s().fg("6").bold().done(),
		Ref:      s().fg("2").bold().done(),
		Head:     s().fg("6").bold().done(),
		Tag:      s().fg("3").bold().done(),
		Label:    s().fg("8").done(),
		Heading:  s().bold().underline().done(),
		Metric:   s().fg("5").done(),
		Value:    s().bold().done(),
		Dim:      s().fg("8").done(),
		Good:     s().fg("2").done(),
		Bad:      s().fg("1").bold().done(),
		Graph:    s().fg("4").done(),
		Operator: s().fg("4").done(),
		Added:    s().fg("2").done(),
		Removed:  s().fg("1").strike().done(),
		Changed:  s().fg("3").done(),

		CodeMeta:    s().bold().done(),
		CodeHunk:    s().fg("6").done(),
		CodeAdded:   s().fg("2").done(),
		CodeRemoved: s().fg("1").done(),
	}
}

// builder assembles a Style.
type builder struct {
	style lipgloss.Style
	on    bool
}

func (b builder) fg(c string) builder { b.style = b.style.Foreground(lipgloss.Color(c)); return b }
func (b builder) bold() builder       { b.style = b.style.Bold(true); return b }
func (b builder) underline() builder  { b.style = b.style.Underline(true); return b }
func (b builder) strike() builder     { b.style = b.style.Strikethrough(true); return b }
func (b builder) done() Style         { return Style{b.style, b.on} }
