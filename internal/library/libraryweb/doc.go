// Package libraryweb is the knowledge base's pages: the network's and each
// group's library, folders, a document with its attachments, its edit
// form (which refuses a save over someone else's), its revisions, the
// comparison of any two and restoring one, and learning paths with each
// reader's ticks.
//
// Handlers parse the request, call one library.Service method and render:
// who may see or do what is decided by the service, never here. Every page
// works without JavaScript and on a phone. Members' Markdown is rendered
// only through web.Markdown (the templates' markdown function).
//
// It imports internal/library and the platform packages web and errs. It
// must not import app, and holds no SQL.
package libraryweb
