package secretscan

import (
	"strings"
	"testing"
	"time"
)

// TestWorstCaseTime: texts built to make the scanner work hardest, at the
// longest a ticket message may be (10,000 characters), stay fast: well
// under a second even on a loaded machine (each takes a few ms alone; a
// quadratic slip would take seconds).
func TestWorstCaseTime(t *testing.T) {
	const n = 10_000
	fill := func(unit string) string {
		return strings.Repeat(unit, n/len([]rune(unit))+1)
	}
	for name, text := range map[string]string{
		"announced chinese":  fill("助记词是的一是在不了有和人这中大为上个国我以要他"),
		"codes":              fill("code 1234 验证码 "),
		"markers":            fill("[code hidden]1234[助记词已隐藏]"),
		"keystore fragments": fill(`{"ciphertext":"aa",`),
		"english words":      fill("abandon ability able about above absent absorb "),
		"numbered typos":     fill("1. abandn 2. abilty 3. seed "),
		"hex":                fill("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318 "),
		"base58":             fill("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ "),
		"digits":             fill("验证码 1 2 3 4 5 6 7 8 9 0 "),
	} {
		start := time.Now()
		Mask(text, "zh-CN")
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v", name, d)
		} else {
			t.Logf("%s: %v", name, d)
		}
	}
}
