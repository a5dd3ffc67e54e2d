package secretscan

import "strings"

// Keystore files (Web3 Secret Storage: {"crypto": {"ciphertext": …, "kdf":
// …}, …}) are masked whole: the outermost JSON object around the
// "ciphertext" field, or, when the paste was cut short and has no closing
// brace, everything from its opening brace on. With no brace at all the
// field's value alone goes. An object is a keystore when it has both
// "ciphertext" and "kdf".

// keystores finds keystore JSON.
func (sc *scanner) keystores(spans []span) []span {
	if !strings.Contains(sc.lower, `"ciphertext"`) {
		return spans
	}
	done := 0
	for _, at := range findAll(sc.lower, `"ciphertext"`) {
		if at < done || sc.inOpaque(at) >= 0 {
			continue
		}
		start, end := sc.keystoreObject(at)
		if start < 0 {
			start, end = at, valueEnd(sc.text, at+len(`"ciphertext"`))
		} else if !strings.Contains(sc.lower[start:end], `"kdf"`) {
			continue
		}
		if !sc.overlapsOpaque(start, end) {
			spans = append(spans, span{start, end, Keystore})
			done = end
		}
	}
	return spans
}

// keystoreObject is the outermost object around byte at that is closed,
// or the innermost open one running to the end when none is; -1 if at is
// inside no brace.
func (sc *scanner) keystoreObject(at int) (int, int) {
	text := sc.text
	var opens []int // enclosing '{', innermost first
	depth := 0
	for i := at - 1; i >= max(0, at-maxKeystore) && len(opens) < 4; i-- {
		switch text[i] {
		case '}':
			depth++
		case '{':
			if depth == 0 {
				opens = append(opens, i)
			} else {
				depth--
			}
		}
	}
	if len(opens) == 0 {
		return -1, -1
	}
	for k := len(opens) - 1; k >= 0; k-- {
		if end := matchBrace(text, opens[k]); end > 0 {
			return opens[k], end
		}
	}
	return opens[0], len(text)
}

// maxKeystore is the most a keystore file is read around its ciphertext
// (they are under 1 KiB).
const maxKeystore = 3072

// matchBrace is the byte after the '}' closing the '{' at i (strings
// honoured), or -1.
func matchBrace(text string, i int) int {
	depth, inString := 0, false
	for j := i; j < len(text) && j < i+2*maxKeystore; j++ {
		c := text[j]
		switch {
		case inString && c == '\\':
			j++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return -1
}

// valueEnd is the end of the JSON string value after a key ending at i
// (`: "…"`), or of the line when there is none.
func valueEnd(text string, i int) int {
	j := i
	for j < len(text) && (text[j] == ' ' || text[j] == ':' || text[j] == '\t') {
		j++
	}
	if j < len(text) && text[j] == '"' {
		if k := strings.IndexByte(text[j+1:], '"'); k >= 0 {
			return j + 1 + k + 1
		}
	}
	if k := strings.IndexByte(text[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(text)
}
