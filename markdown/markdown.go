// Package markdown renders help-center Markdown to HTML that is safe to put
// in a page: goldmark (CommonMark plus tables) renders, then bluemonday's
// user-generated-content policy removes anything that could run script,
// whoever wrote the Markdown.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	renderer = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	policy   = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(false) // links are our own help pages
		p.AllowURLSchemes("http", "https", "mailto")
		return p
	}()
)

// Render returns sanitised HTML for Markdown source, without its front
// matter. Raw HTML in the source is never passed through: goldmark drops
// it, and the sanitiser would too.
func Render(src string) template.HTML {
	src = Body(src)
	var buf bytes.Buffer
	if err := renderer.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// Text returns the plain text of Markdown source with tags and front
// matter removed, for search snippets.
func Text(src string) string {
	src = Body(src)
	var buf bytes.Buffer
	if err := renderer.Convert([]byte(src), &buf); err != nil {
		return src
	}
	return bluemonday.StrictPolicy().Sanitize(buf.String())
}
