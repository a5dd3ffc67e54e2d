package secretscan

import (
	"strings"
	"unicode/utf8"
)

// phraseWords announce a recovery phrase. A text with one is read more
// boldly: a numbered or announced run of list words is a phrase even when
// its checksum fails, and a Chinese phrase written without spaces may
// follow the word directly (助记词是的一是…).
var phraseWords = []string{
	"助记词", "助記詞", "助记码", "助記碼", "记忆词", "記憶詞", "恢复词", "恢復詞", "恢复短语", "恢復短語", "备份短语", "備份短語",
	"种子词", "種子詞", "种子短语", "種子短語", "钱包词", "錢包詞", "密语", "密語", "十二个词", "十二個詞", "十二个单词", "12个词", "12个单词", "12個詞", "24个词",
	"mnemonic", "seed phrase", "seed words", "recovery phrase", "recovery words", "secret phrase", "secret recovery", "backup phrase",
	"12 words", "24 words", "twelve words", "seed:",
}

// phraseJoin may stand between an announcing word and the phrase.
const phraseJoin = " \t\n:：是为為如下-—,，"

// announced is the set of byte offsets right after each announcing word
// and what joins it to the phrase, read once per text when first needed.
func (sc *scanner) announced() map[int]bool {
	if sc.announce == nil {
		sc.announce = sc.announcements()
	}
	return sc.announce
}

func (sc *scanner) announcements() map[int]bool {
	out := map[int]bool{}
	for _, h := range sc.hits() {
		if !h.phrase {
			continue
		}
		at := h.at
		if sc.inOpaque(at) >= 0 {
			continue
		}
		j := at + len(h.w)
		for j < len(sc.text) {
			r, n := utf8.DecodeRuneInString(sc.text[j:])
			if !strings.ContainsRune(phraseJoin, r) {
				break
			}
			j += n
		}
		out[j] = true
	}
	return out
}
