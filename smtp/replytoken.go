package smtp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"
)

// A reply token proves that a mail answers a ticket: it is the first 160
// bits of HMAC-SHA256(ReplyKey, ticket id) in lower-case base32, 32
// characters that fit an address's local part. Nothing is stored; every
// node with the same key derives the same token, and nobody without the
// key can make one for a ticket number they guessed.
const tokenLen = 32

var (
	tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)
	tokenPattern  = regexp.MustCompile(`^[a-z2-7]{32}$`)
	ticketIDExact = regexp.MustCompile(`^tkt_[0-9A-V]{26}$`)
)

// ReplyToken returns the token for ticketID under key.
func ReplyToken(key []byte, ticketID string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("ticket\x00"))
	mac.Write([]byte(ticketID))
	return strings.ToLower(tokenEncoding.EncodeToString(mac.Sum(nil)[:20]))
}

// validToken says, in constant time, whether tok is ticketID's token. With
// no key nothing is valid: an unconfigured server threads nothing.
func validToken(key []byte, ticketID, tok string) bool {
	if len(key) == 0 || len(tok) != tokenLen {
		return false
	}
	return hmac.Equal([]byte(ReplyToken(key, ticketID)), []byte(strings.ToLower(tok)))
}

// replyAddress is support+token@domain for the support mailbox address.
func replyAddress(support, tok string) string {
	local, domain, ok := strings.Cut(support, "@")
	if !ok {
		return ""
	}
	if base, _, plus := strings.Cut(local, "+"); plus {
		local = base
	}
	return local + "+" + tok + "@" + domain
}

// plusToken returns the token in addr's plus part if addr is the support
// mailbox with one ("support+<token>@domain"), else "".
func plusToken(addr, support string) string {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	local, domain, ok := strings.Cut(addr, "@")
	sLocal, sDomain, sok := strings.Cut(support, "@")
	if !ok || !sok || !strings.EqualFold(domain, sDomain) {
		return ""
	}
	base, tok, plus := strings.Cut(local, "+")
	if !plus || !strings.EqualFold(base, sLocal) || !tokenPattern.MatchString(strings.ToLower(tok)) {
		return ""
	}
	return strings.ToLower(tok)
}

// threadID is the local part of the Message-ID of mail about a ticket:
// "<notification>.<ticket>.<token>". A reply's In-Reply-To or References
// carries it back, and the token proves the ticket id was not made up.
func threadID(notificationID, ticketID, tok string) string {
	return notificationID + "." + ticketID + "." + tok
}

// parseThreadID finds the ticket id and token in a message id made by
// threadID ("" if it is not one of ours).
func parseThreadID(id string) (ticketID, tok string) {
	local, _, _ := strings.Cut(id, "@")
	parts := strings.Split(local, ".")
	if len(parts) != 3 || !ticketIDExact.MatchString(parts[1]) || !tokenPattern.MatchString(parts[2]) {
		return "", ""
	}
	return parts[1], parts[2]
}
