package library

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

// The visibilities of folders, documents and paths (search's, so the index
// and the pages agree).
const (
	Public  = string(search.Public)
	Members = string(search.Members)
	Group   = string(search.Group)
)

// Bounds on what members type.
const (
	maxName  = 100     // a folder's name
	maxTitle = 200     // a document's or path's title
	maxNote  = 200     // a revision's note
	maxBody  = 200_000 // a document's text, in bytes
	maxDesc  = 2000    // a path's description
	// maxDepth: folders nest two levels (a top folder and its subfolders).
	maxDepth = 2
)

// Folder holds documents (and, at the top level, subfolders).
type Folder struct {
	ID         string
	GroupID    string // "" for the network's
	ParentID   string // "" at the top level
	Name       string
	Visibility string
	CreatedAt  time.Time
	// GroupName and GroupSlug name the group ("" for the network's).
	GroupName, GroupSlug string
}

// Document is a Markdown document as it stands (its latest revision).
type Document struct {
	ID         string
	FolderID   string
	GroupID    string
	Title      string
	Body       string
	Visibility string
	Revision   int // the current revision's number
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// UpdatedByName is who saved the current revision.
	UpdatedByName string
}

// Revision is one save of a document.
type Revision struct {
	DocumentID   string
	Number       int
	Title        string
	Body         string
	Visibility   string
	Note         string
	AuthorID     string
	AuthorName   string
	RestoredFrom int // the revision this one brought back; 0 for an ordinary save
	At           time.Time
}

// Attachment is a file kept with a document.
type Attachment struct {
	ID          string
	DocumentID  string
	Name        string
	ContentType string
	Size        int64
	Key         string // in the files.Store
	CreatedAt   time.Time
}

// SizeText is the attachment's size in words: "12 KB", "3.4 MB".
func (a *Attachment) SizeText() string {
	switch {
	case a.Size >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(a.Size)/(1<<20))
	case a.Size >= 1<<10:
		return fmt.Sprintf("%d KB", a.Size>>10)
	}
	return fmt.Sprintf("%d bytes", a.Size)
}

// FolderInput is a new folder.
type FolderInput struct {
	GroupID    string
	ParentID   string
	Name       string
	Visibility string
}

// DocInput is a new document, or a save of one.
type DocInput struct {
	FolderID   string // new documents only
	Title      string
	Body       string
	Visibility string
	Note       string // what changed, optional
	// BaseRevision is the revision the editor started from (saves only):
	// a save over a newer one is refused as a conflict.
	BaseRevision int
}

// narrowness orders the visibilities: a child may be as narrow as its
// parent or narrower, never wider.
func narrowness(v string) int {
	switch v {
	case Public:
		return 0
	case Members:
		return 1
	}
	return 2
}

// visibilityWord is how pages say a visibility.
func visibilityWord(v string) string {
	switch v {
	case Public:
		return "everyone"
	case Members:
		return "members"
	}
	return "the group's members"
}

// checkVisibility says what is wrong with v for something in groupID
// inside a parent of visibility parent ("" when there is none).
func checkVisibility(v, groupID, parent string) string {
	switch v {
	case Public, Members:
	case Group:
		if groupID == "" {
			return "Only a group's library can be for the group's members alone."
		}
	default:
		return "Choose who can see it."
	}
	if parent != "" && narrowness(v) < narrowness(parent) {
		return fmt.Sprintf("Its folder is for %s only, so this cannot be more open.", visibilityWord(parent))
	}
	return ""
}

// text trims s and checks it is present (when required) and at most max
// characters; it returns the problem in words, or "".
func text(s *string, what string, max int, required bool) string {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		return "Enter " + what + "."
	case utf8.RuneCountInString(*s) > max:
		return fmt.Sprintf("Shorten %s to at most %d characters.", what, max)
	}
	return ""
}

func (in *FolderInput) validate(parent *Folder) error {
	bad := map[string]string{}
	if m := text(&in.Name, "the folder's name", maxName, true); m != "" {
		bad["name"] = m
	}
	pv := ""
	if parent != nil {
		pv = parent.Visibility
	}
	if m := checkVisibility(in.Visibility, in.GroupID, pv); m != "" {
		bad["visibility"] = m
	}
	return errs.Fields(bad)
}

func (in *DocInput) validate(f *Folder) error {
	bad := map[string]string{}
	if m := text(&in.Title, "a title", maxTitle, true); m != "" {
		bad["title"] = m
	}
	in.Body = strings.TrimRight(strings.ReplaceAll(in.Body, "\r\n", "\n"), " \n\t")
	if len(in.Body) > maxBody {
		bad["body"] = fmt.Sprintf("The text is too long: keep it under %d KB, or split it into several documents.", maxBody/1000)
	}
	if m := text(&in.Note, "the note", maxNote, false); m != "" {
		bad["note"] = m
	}
	if m := checkVisibility(in.Visibility, f.GroupID, f.Visibility); m != "" {
		bad["visibility"] = m
	}
	return errs.Fields(bad)
}
