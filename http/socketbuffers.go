package http

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
)

// A chat socket lives for as long as the page is open, most of that time
// idle. coder/websocket keeps, for the life of a connection, the buffered
// reader and writer net/http hands over with it: 4 KiB each, the largest
// part of an idle socket. A socket's frames are small (a message, an ack,
// an event of a few hundred bytes), and bufio passes larger reads and
// writes straight through to the connection, so small buffers cost a
// second system call only for the rare frame larger than them.
const (
	socketReadBuffer  = 512
	socketWriteBuffer = 1024
)

// smallSocketBuffers is a ResponseWriter whose Hijack hands the
// connection over with small buffers (socketReadBuffer,
// socketWriteBuffer) instead of net/http's; bytes the client sent early,
// already in net/http's reader, are read first.
type smallSocketBuffers struct{ http.ResponseWriter }

// Unwrap gives http.ResponseController the writer underneath.
func (w smallSocketBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack takes the connection over, with small buffers.
func (w smallSocketBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Writer.Flush(); err != nil { // net/http leaves it empty; be sure
		conn.Close()
		return nil, nil, err
	}
	if n := brw.Reader.Buffered(); n > 0 {
		early, _ := brw.Reader.Peek(n)
		conn = &earlyBytesConn{Conn: conn, early: bytes.Clone(early)}
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(conn, socketReadBuffer), bufio.NewWriterSize(conn, socketWriteBuffer)), nil
}

// earlyBytesConn is a connection whose first bytes were already read off
// it (into net/http's buffer): Read returns those before reading on.
type earlyBytesConn struct {
	net.Conn
	early []byte
}

func (c *earlyBytesConn) Read(p []byte) (int, error) {
	if len(c.early) > 0 {
		n := copy(p, c.early)
		c.early = c.early[n:]
		if len(c.early) == 0 {
			c.early = nil
		}
		return n, nil
	}
	return c.Conn.Read(p)
}
