package secretscan

import (
	"bytes"
	"crypto/sha256"
	"strings"
)

// Private keys: 64 hex digits (with or without 0x), WIF keys (base58check,
// 51 characters from 5 or 9, 52 from K, L or c) and extended private keys
// (xprv, tprv, yprv, zprv and their multisig forms, base58check, 111
// characters).
//
// A transaction or block hash is also 64 hex digits, and customers of a
// wallet paste them all day ("txid: …", "交易哈希 …", an explorer's /tx/
// link): those stay, when a word naming a hash stands just before them on
// the same line and no word naming a key does. A bare 64-hex string is
// masked: leaving a key in the database costs more than hiding a hash the
// agent can ask for again.

// hashWords name a transaction or block hash; keyWords a key.
var (
	hashWords = []string{"txid", "tx id", "tx hash", "txhash", "tx:", "/tx/", "transaction", "hash", "交易", "哈希", "区块", "區塊", "订单", "訂單", "block", "explorer", "浏览器", "瀏覽器", "记录", "記錄", "sha256", "sha-256", "sha1", "md5", "checksum", "校验和", "校驗和", "签名", "簽名", "signature"}
	keyWords  = []string{"private key", "privatekey", "private_key", "privkey", "priv key", "secret key", "私钥", "私鑰", "密钥", "密鑰", "秘钥"}
)

// hashContext is how far before a 64-hex string the words are looked for.
const hashContext = 48

// keys finds private keys.
func (sc *scanner) keys(spans []span) []span {
	text := sc.text
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isAlnum(text[j]) {
			j++
		}
		if j-i >= 51 && !sc.overlapsOpaque(i, j) {
			if kind := sc.key(i, j); kind != "" {
				spans = append(spans, span{i, j, kind})
			}
		}
		i = j
	}
	return spans
}

// key says whether text[i:j], a run of letters and digits, is a key.
func (sc *scanner) key(i, j int) string {
	tok := sc.text[i:j]
	switch n := len(tok); {
	case n == 64 || (n == 66 && (tok[:2] == "0x" || tok[:2] == "0X")):
		if hexDigits, mixed := isHex(tok[n-64:]); hexDigits && (mixed || sc.namedKey(i)) && !sc.namedHash(i) {
			return PrivateKey
		}
	case n == 51 && (tok[0] == '5' || tok[0] == '9'), n == 52 && (tok[0] == 'K' || tok[0] == 'L' || tok[0] == 'c'):
		if isWIF(tok) {
			return PrivateKey
		}
	case n == 111 && extendedPrefixes[tok[:4]]:
		if payload, ok := base58Check(tok); ok && len(payload) == 78 {
			return PrivateKey
		}
	}
	return ""
}

// isHex reports whether s is hex digits, and whether it has both digits
// and letters (a 64-digit number is a key only where a key is named).
func isHex(s string) (hex, mixed bool) {
	digits, letters := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIIDigit(c):
			digits = true
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			letters = true
		default:
			return false, false
		}
	}
	return true, digits && letters
}

// namedKey reports whether a key word stands before byte i on its line.
func (sc *scanner) namedKey(i int) bool {
	for _, w := range keyWords {
		if strings.Contains(sc.before(i), w) {
			return true
		}
	}
	return false
}

// before is the lower-cased text on i's line, at most hashContext bytes
// before i.
func (sc *scanner) before(i int) string {
	ls, _ := lineOf(sc.text, i)
	from := max(ls, i-hashContext)
	for from > ls && sc.text[from]&0xC0 == 0x80 {
		from-- // not inside a character
	}
	return sc.lower[from:i]
}

// namedHash reports whether the 64-hex string at i is named a hash (and
// not a key) by the words before it on its line.
func (sc *scanner) namedHash(i int) bool {
	before := sc.before(i)
	for _, w := range keyWords {
		if strings.Contains(before, w) {
			return false
		}
	}
	for _, w := range hashWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// extendedPrefixes start extended private keys.
var extendedPrefixes = map[string]bool{"xprv": true, "tprv": true, "yprv": true, "zprv": true, "Yprv": true, "Zprv": true, "uprv": true, "vprv": true, "Uprv": true, "Vprv": true}

// isWIF reports a wallet import format key: base58check of 0x80 (or 0xef,
// testnet), 32 bytes and, compressed, 0x01.
func isWIF(s string) bool {
	p, ok := base58Check(s)
	if !ok || (p[0] != 0x80 && p[0] != 0xef) {
		return false
	}
	return len(p) == 33 || (len(p) == 34 && p[33] == 0x01)
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Value = func() [256]int8 {
	var v [256]int8
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		v[base58Alphabet[i]] = int8(i)
	}
	return v
}()

// base58Check decodes s and checks its four-byte double-SHA-256 checksum,
// returning the payload.
func base58Check(s string) ([]byte, bool) {
	if len(s) > 120 {
		return nil, false
	}
	out := make([]byte, 0, 90) // big-endian, grown as needed
	for i := 0; i < len(s); i++ {
		v := base58Value[s[i]]
		if v < 0 {
			return nil, false
		}
		carry := int(v)
		for k := len(out) - 1; k >= 0; k-- {
			carry += int(out[k]) * 58
			out[k] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			out = append([]byte{byte(carry)}, out...)
			carry >>= 8
		}
	}
	for i := 0; i < len(s) && s[i] == '1'; i++ {
		out = append([]byte{0}, out...)
	}
	if len(out) < 5 {
		return nil, false
	}
	payload, sum := out[:len(out)-4], out[len(out)-4:]
	h := sha256.Sum256(payload)
	h = sha256.Sum256(h[:])
	return payload, bytes.Equal(h[:4], sum)
}
