package http

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/upload"
)

// readUpload reads the "file" part of a multipart/form-data request of at
// most one attachment's size (plus room for the form around it).
func readUpload(w http.ResponseWriter, r *http.Request) (*okcare.Attachment, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, okcare.Errorf(okcare.EUNSUPPORTEDMEDIA, "Send the file as multipart/form-data in a field named \"file\".")
	}
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxBytes+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, okcare.Errorf(okcare.EINVALID, "The upload is not valid multipart/form-data.")
	}
	for {
		part, err := mr.NextPart()
		var tooLarge *http.MaxBytesError
		switch {
		case errors.Is(err, io.EOF):
			return nil, okcare.Errorf(okcare.EINVALID, "No file: send it in a field named \"file\".")
		case errors.As(err, &tooLarge):
			return nil, okcare.Errorf(okcare.EBODYTOOLARGE, "A file may be at most %d MiB.", upload.MaxBytes>>20)
		case err != nil:
			return nil, okcare.Errorf(okcare.EINVALID, "The upload is not valid multipart/form-data.")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, upload.MaxBytes+1))
		part.Close()
		if errors.As(err, &tooLarge) || len(data) > upload.MaxBytes {
			return nil, okcare.Errorf(okcare.EBODYTOOLARGE, "A file may be at most %d MiB.", upload.MaxBytes>>20)
		} else if err != nil {
			return nil, okcare.Errorf(okcare.EINVALID, "The upload was cut short.")
		}
		return &okcare.Attachment{Filename: part.FileName(), Data: data}, nil
	}
}

func (s *Server) handleUploadAttachment(w http.ResponseWriter, r *http.Request) {
	t, err := s.ownTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := readUpload(w, r)
	if err == nil {
		err = s.Store.AddAttachment(r.Context(), t.ID, "user:"+userFrom(r).ID, a)
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) handleMyAttachment(w http.ResponseWriter, r *http.Request) {
	t, err := s.ownTicket(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.serveAttachment(w, r, t.ID, r.PathValue("attachment_id"), s.Error)
}

func (s *Server) handleAgentAttachment(w http.ResponseWriter, r *http.Request) {
	s.serveAttachment(w, r, r.PathValue("id"), r.PathValue("attachment_id"), s.Error)
}

// serveAttachment sends a file as a download, never as a page: its checked
// type, a download disposition, no sniffing and a sandbox CSP.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, ticketID, id string, fail func(http.ResponseWriter, *http.Request, error)) {
	a, err := s.Store.Attachment(r.Context(), ticketID, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Write(a.Data)
}
