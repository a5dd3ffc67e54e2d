package main

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okcare/okcare/secretscan"
)

// benchSecrets measures the secret scanner on chat-message-sized texts
// (the labelled set's texts of at most 500 characters: prose, phrases,
// keys, codes) with one caller, so that p99 is the cost one message adds
// before it is stored. The baseline is one pass over the same text that
// every message already pays: the UTF-8 check and lower-casing.
func benchSecrets(duration time.Duration) error {
	var texts []string
	for _, f := range []string{"secretscan/testdata/labelled.txt", "secretscan/testdata/generated.txt"} {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for _, block := range strings.Split(string(raw), "\n=== ") {
			_, text, ok := strings.Cut(block, "\n")
			if n := utf8.RuneCountInString(text); ok && n > 0 && n <= 500 {
				texts = append(texts, text)
			}
		}
	}
	secrets := 0
	for _, t := range texts {
		if secretscan.Mask(t, "zh-CN").Found() {
			secrets++
		}
	}
	fmt.Printf("%d chat-sized texts (%d with a secret), one caller\n", len(texts), secrets)
	base := drive("baseline lower-case", duration, 1, func(w, seq int) error {
		t := texts[seq%len(texts)]
		if utf8.ValidString(t) {
			_ = strings.ToLower(t)
		}
		return nil
	})
	fmt.Println(" ", base)
	ours := drive("okcare secretscan", duration, 1, func(w, seq int) error {
		secretscan.Mask(texts[seq%len(texts)], "zh-CN")
		return nil
	})
	fmt.Println(" ", ours)
	fmt.Printf("secret scan p99 %s (goal <= 100µs); %.1fx the baseline's time per text\n", ours.p99.Round(100*time.Nanosecond), base.perSecond()/ours.perSecond())
	if ours.p99 > 100*time.Microsecond {
		return fmt.Errorf("secret scan p99 %s is over 100µs", ours.p99)
	}
	return nil
}
