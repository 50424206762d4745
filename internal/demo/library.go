package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// demoDoc is one of the demo's knowledge-base documents. second, when set,
// is the text of its second revision, with note.
type demoDoc struct {
	title, vis, body, second, note string
}

var networkGuides = []demoDoc{
	{title: "Running your first meeting", vis: library.Public,
		body: "# Running your first meeting\n\nA first meeting decides whether people come back. Keep it short, warm and useful.\n\n" +
			"## Before\n\n- Book a room that is easy to reach and step-free.\n- Send the agenda three days ahead.\n- Ask someone to take notes.\n\n" +
			"## During\n\n1. Welcome people at the door and learn their names.\n2. Go round: name, and why you came.\n" +
			"3. One decision, one action, one date for the next meeting.\n\n## After\n\nSend the notes within two days, and thank everyone who came.",
		second: "# Running your first meeting\n\nA first meeting decides whether people come back. Keep it short, warm and useful: an hour, no more.\n\n" +
			"## Before\n\n- Book a room that is easy to reach and step-free.\n- Send the agenda three days ahead, with the room's address and a phone number.\n" +
			"- Ask someone to take notes, and someone else to keep time.\n\n" +
			"## During\n\n1. Welcome people at the door and learn their names.\n2. Go round: name, and why you came.\n" +
			"3. Agree how you will decide: consensus first, a vote if needed.\n4. One decision, one action, one date for the next meeting.\n\n" +
			"## After\n\nSend the notes within two days, and thank everyone who came. Call anyone who said they would come and did not.",
		note: "Timekeeper, how we decide, and calling people after"},
	{title: "Canvassing safely", vis: library.Public,
		body: "# Canvassing safely\n\nDoor-knocking is the best way to meet neighbours. Do it in pairs, always.\n\n" +
			"- Tell the organiser where you are going and when you expect to finish.\n- Stay on the doorstep; never go inside.\n" +
			"- If someone is hostile, thank them and move on. No argument is worth it.\n- Carry water, a charged phone and the organiser's number.\n\n" +
			"After dark, work only on well-lit streets, and end by 8pm."},
	{title: "Data protection for organisers", vis: library.Members,
		body: "# Data protection for organisers\n\nPeople trust us with their names, addresses and views. Keep that trust.\n\n" +
			"## The rules\n\n- Only keep what you need, and only for as long as you need it.\n- Never export lists to your own laptop or spreadsheet.\n" +
			"- Only contact people by the channels they agreed to (the consent on their record).\n- Report a lost phone or a mistaken email to the data officer the same day.\n\n" +
			"## When someone asks\n\nAnyone can ask to see or erase their data. Pass the request to an admin: the platform does the rest."},
	{title: "Speaking to the press", vis: library.Members,
		body: "# Speaking to the press\n\nA journalist called? Be friendly, take their name, outlet and deadline, and say you will call back.\n\n" +
			"Then ask the press officer. Speak for the group only on what the group has decided, and never off the record."},
}

var branchDocs = []demoDoc{
	{title: "Branch meeting minutes: March", vis: library.Members,
		body: "# Branch meeting, March\n\nPresent: 14 members. Chair: the branch secretary.\n\n## Decisions\n\n" +
			"- We join the renters' day of action on the 21st.\n- The stall moves to Saturdays, outside the library.\n\n" +
			"## Actions\n\n- Book the hall for April (secretary).\n- Print 500 leaflets (treasurer)."},
	{title: "Phone tree", vis: library.Group,
		body: "# Phone tree\n\nWhen something urgent happens, the coordinator calls the three captains, and each captain calls their list.\n\n" +
			"Captains keep their lists in the platform, not on paper."},
}

// loadLibrary adds the demo's knowledge base (issue 13): the network's
// "Organising guides" folder with four guides, one saved twice, and the
// "New organiser" learning path over them; and a folder of documents in
// the largest local group. Written as the demo's admin, through the
// library service. Folders, documents and the path are found by name when
// a killed run is finished, so nothing is made twice.
func loadLibrary(ctx context.Context, a *app.App, nw Network) error {
	var adminID string
	if err := a.DB.QueryRow(ctx, `SELECT id FROM users WHERE email = ?`, nw.AdminEmail).Scan(&adminID); err != nil {
		return fmt.Errorf("demo library: the admin: %w", err)
	}
	as := auth.WithPrincipal(ctx, &auth.Principal{UserID: adminID, Role: auth.RoleAdmin, Verified: true, Label: nw.AdminEmail})
	guides, err := demoFolder(as, a, "", "Organising guides", library.Public)
	if err != nil {
		return err
	}
	var ids []string
	for _, d := range networkGuides {
		id, err := demoDocument(as, a, guides, d)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := demoPath(as, a, "New organiser", "Start here if you have just become an organiser: four short guides, in order.", ids); err != nil {
		return err
	}
	groups, err := largestGroups(ctx, a.DB, 1)
	if err != nil || len(groups) == 0 {
		return err
	}
	branch, err := demoFolder(as, a, groups[0], "Branch documents", library.Members)
	if err != nil {
		return err
	}
	for _, d := range branchDocs {
		if _, err := demoDocument(as, a, branch, d); err != nil {
			return err
		}
	}
	return nil
}

// demoFolder finds or makes a top-level folder.
func demoFolder(ctx context.Context, a *app.App, groupID, name, vis string) (string, error) {
	var id string
	q := `SELECT id FROM library_folders WHERE group_id IS NULL AND parent_id IS NULL AND name = ?`
	args := []any{name}
	if groupID != "" {
		q, args = `SELECT id FROM library_folders WHERE group_id = ? AND parent_id IS NULL AND name = ?`, []any{groupID, name}
	}
	err := a.DB.QueryRow(ctx, q, args...).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	f, err := a.Library.CreateFolder(ctx, library.FolderInput{GroupID: groupID, Name: name, Visibility: vis})
	if err != nil {
		return "", fmt.Errorf("demo folder %q: %w", name, err)
	}
	return f.ID, nil
}

// demoDocument finds or writes a document, and its second revision.
func demoDocument(ctx context.Context, a *app.App, folderID string, d demoDoc) (string, error) {
	var id string
	rev := 0
	err := a.DB.QueryRow(ctx, `SELECT id, revision FROM library_documents WHERE folder_id = ? AND title = ?`, folderID, d.title).Scan(&id, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		doc, cerr := a.Library.CreateDocument(ctx, library.DocInput{FolderID: folderID, Title: d.title, Body: d.body,
			Visibility: d.vis, Note: "First version"})
		if cerr != nil {
			return "", fmt.Errorf("demo document %q: %w", d.title, cerr)
		}
		id, rev, err = doc.ID, doc.Revision, nil
	}
	if err != nil {
		return "", err
	}
	if d.second != "" && rev == 1 {
		if _, err := a.Library.Save(ctx, id, library.DocInput{Title: d.title, Body: d.second, Visibility: d.vis,
			Note: d.note, BaseRevision: 1}); err != nil {
			return "", fmt.Errorf("demo document %q: %w", d.title, err)
		}
	}
	return id, nil
}

// demoPath finds or makes a network learning path with docIDs as its
// steps, in order.
func demoPath(ctx context.Context, a *app.App, title, desc string, docIDs []string) error {
	var id string
	err := a.DB.QueryRow(ctx, `SELECT id FROM library_paths WHERE group_id IS NULL AND title = ?`, title).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		p, cerr := a.Library.CreatePath(ctx, library.PathInput{Title: title, Description: desc, Visibility: library.Public})
		if cerr != nil {
			return fmt.Errorf("demo path %q: %w", title, cerr)
		}
		id, err = p.ID, nil
	}
	if err != nil {
		return err
	}
	have, err := pathSteps(ctx, a.DB, id)
	if err != nil {
		return err
	}
	for _, doc := range docIDs {
		if have[doc] {
			continue
		}
		if err := a.Library.AddStep(ctx, id, doc); err != nil {
			return fmt.Errorf("demo path %q: %w", title, err)
		}
	}
	return nil
}

func pathSteps(ctx context.Context, d *db.DB, pathID string) (map[string]bool, error) {
	rows, err := d.Q().Query(ctx, `SELECT document_id FROM library_path_steps WHERE path_id = ?`, pathID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
