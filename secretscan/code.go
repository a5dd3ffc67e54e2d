package secretscan

import (
	"strings"
	"unicode/utf8"
)

// One-time codes and numeric passwords: 4 to 8 digits (ASCII or
// full-width, maybe written 123 456) right after or right before the word
// for them ("验证码：123456", "my 2FA code is 482 913", "123456是验证码").
// Only short joining words may stand between. "code" alone is not enough
// after words that make it something else (error code, zip code, invite
// code…), and a number that is a date, an amount, a time or longer (a
// phone number) is left alone.

// codeWord is a word that names a secret number.
type codeWord struct {
	w      string
	kind   string
	ascii  bool // an English word: needs word boundaries
	plural bool
}

var codeWords = []codeWord{
	{"验证码", Code, false, false}, {"驗證碼", Code, false, false}, {"校验码", Code, false, false}, {"校驗碼", Code, false, false},
	{"动态码", Code, false, false}, {"動態碼", Code, false, false}, {"动态密码", Code, false, false}, {"動態密碼", Code, false, false},
	{"短信码", Code, false, false}, {"短信碼", Code, false, false}, {"确认码", Code, false, false}, {"確認碼", Code, false, false},
	{"安全码", Code, false, false}, {"安全碼", Code, false, false}, {"授权码", Code, false, false}, {"授權碼", Code, false, false},
	{"一次性密码", Code, false, false}, {"一次性密碼", Code, false, false}, {"口令", Code, false, false},
	{"code", Code, true, true}, {"otp", Code, true, false}, {"2fa", Code, true, false}, {"passcode", Code, true, true},
	{"one-time password", Code, true, false}, {"authenticator", Code, true, false},
	{"支付密码", Password, false, false}, {"支付密碼", Password, false, false}, {"交易密码", Password, false, false}, {"交易密碼", Password, false, false},
	{"密码", Password, false, false}, {"密碼", Password, false, false}, {"password", Password, true, false}, {"pin", Password, true, false},
}

// notSecretCode are words before "code" that make it no secret.
var notSecretCode = []string{"error", "err", "status", "exit", "http", "response", "zip", "postal", "post", "area", "country", "promo", "promotion",
	"invite", "invitation", "referral", "coupon", "discount", "voucher", "gift", "reference", "product", "bank", "swift", "branch", "tracking",
	"qr", "source", "bar", "sort", "reason", "fault", "return", "app", "version", "build"}

// joinWords may stand between the word and the digits.
var joinWords = map[string]bool{"is": true, "was": true, "are": true, "my": true, "the": true, "code": true, "it": true, "its": true, "here": true,
	"i": true, "got": true, "received": true, "sent": true, "me": true, "number": true, "new": true, "of": true, "a": true, "s": true, "your": true}

// joinRunes may stand between the word and the digits.
const joinRunes = " \t:：=是为為就的发收到了码碼号號-—\"'“”‘’「」『』()（）,，*#"

// maxJoin is how many runes may stand between the word and the digits.
const maxJoin = 16

// codes finds one-time codes and numeric passwords.
func (sc *scanner) codes(spans []span) []span {
	if !hasDigit(sc.text) {
		return spans
	}
	for _, h := range sc.hits() {
		if h.phrase {
			continue
		}
		cw, at := h.code, h.at
		end := at + len(cw.w)
		if cw.ascii {
			var ok bool
			if end, ok = wordAt(sc.lower, at, cw.w, cw.plural); !ok {
				continue
			}
			if cw.w == "code" && sc.otherCode(at) {
				continue
			}
		}
		if sc.inOpaque(at) >= 0 {
			continue
		}
		if s, e, ok := sc.digitsAfter(end); ok {
			spans = append(spans, span{s, e, cw.kind})
		}
		if s, e, ok := sc.digitsBefore(at); ok {
			spans = append(spans, span{s, e, cw.kind})
		}
	}
	return spans
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			return true
		}
	}
	return strings.ContainsAny(s, "０１２３４５６７８９")
}

// otherCode reports whether the "code" at i is an error, zip, invite… code.
func (sc *scanner) otherCode(i int) bool {
	before := strings.TrimRight(sc.lower[max(0, i-16):i], " -_")
	for _, w := range notSecretCode {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// digitsAfter finds a code starting within maxJoin joining runes of i.
func (sc *scanner) digitsAfter(i int) (int, int, bool) {
	j, n := i, 0
	for j < len(sc.text) && n <= maxJoin {
		if sc.text[j] == '[' && sc.inOpaque(j) >= 0 {
			return 0, 0, false
		}
		r, size := utf8.DecodeRuneInString(sc.text[j:])
		switch {
		case digitValue(r) >= 0:
			return sc.number(j)
		case isASCIILetter(sc.text[j]):
			k := j
			for k < len(sc.text) && isASCIILetter(sc.text[k]) {
				k++
			}
			if !joinWords[sc.lower[j:k]] {
				return 0, 0, false
			}
			n += k - j
			j = k
			continue
		case !strings.ContainsRune(joinRunes, r):
			return 0, 0, false
		}
		j += size
		n++
	}
	return 0, 0, false
}

// digitsBefore finds a code ending within a few joining runes before i.
func (sc *scanner) digitsBefore(i int) (int, int, bool) {
	j, n := i, 0
	for j > 0 && n <= 6 {
		r, size := utf8.DecodeLastRuneInString(sc.text[:j])
		switch {
		case digitValue(r) >= 0:
			k := j
			for k > 0 && (digitValue(runeBefore(sc.text, k)) >= 0 || (runeBefore(sc.text, k) == ' ' && digitValue(runeBefore(sc.text, k-1)) >= 0)) {
				_, s := utf8.DecodeLastRuneInString(sc.text[:k])
				k -= s
			}
			if s, e, ok := sc.number(k); ok && e == j {
				return s, e, true
			}
			return 0, 0, false
		case r == ' ' || r == '\t' || r == '是' || r == '为' || r == '就' || r == '个' || r == '這' || r == '这' || strings.ContainsRune(":：=-—\"'“”「」()（）", r):
		case isASCIILetter(byte(r)) && r < utf8.RuneSelf:
			k := j
			for k > 0 && isASCIILetter(sc.text[k-1]) {
				k--
			}
			if w := sc.lower[k:j]; w != "is" && w != "the" && w != "my" && w != "your" {
				return 0, 0, false
			}
			n += j - k
			j = k
			continue
		default:
			return 0, 0, false
		}
		j -= size
		n++
	}
	return 0, 0, false
}

// number reads the number starting at i: 4-8 digits, maybe in two groups
// split by one space or hyphen, standing alone (not a decimal, a time, a
// date, an amount, part of a word, or a longer number such as a phone).
func (sc *scanner) number(i int) (int, int, bool) {
	text := sc.text
	if r := runeBefore(text, i); digitValue(r) >= 0 || (r < utf8.RuneSelf && (isASCIILetter(byte(r)) || r == '.' || r == '/' || r == '+' || r == '$' || r == '¥')) || r == '￥' {
		return 0, 0, false
	}
	digits, groups, j := 0, 1, i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if digitValue(r) >= 0 {
			digits++
			j += size
			continue
		}
		if (r == ' ' || r == '-') && groups == 1 && digitValue(runeAt(text, j+1)) >= 0 && digits >= 2 && digits <= 4 {
			groups++
			j += size
			continue
		}
		break
	}
	end := strings.TrimRight(text[i:j], " -")
	j = i + len(end)
	if digits < 4 || digits > 8 {
		return 0, 0, false
	}
	next := runeAt(text, j)
	after := runeAt(text, j+utf8.RuneLen(max(next, 1)))
	switch {
	case next < utf8.RuneSelf && next != 0 && isASCIILetter(byte(next)):
		return 0, 0, false
	case (next == '.' || next == ':' || next == '/' || next == ',' || next == ' ' || next == '-') && digitValue(after) >= 0:
		return 0, 0, false
	case strings.ContainsRune("%年月日号號次分秒元块塊个個天位岁歲点點万萬美刀", next) && next != 0:
		return 0, 0, false
	}
	return i, j, true
}
