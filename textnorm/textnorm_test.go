package textnorm_test

import (
	"testing"

	"github.com/okcare/okcare/textnorm"
)

func TestFold(t *testing.T) {
	for _, tt := range [][2]string{
		{"閃退", "闪退"},
		{"帳號凍結", "账号冻结"},
		{"ＡＰＰ打不開", "app打不开"},
		{"版本過舊", "版本过旧"},
		{"Wi-Fi", "wi-fi"},
	} {
		if got := textnorm.Fold(tt[0]); got != tt[1] {
			t.Errorf("Fold(%q) = %q, want %q", tt[0], got, tt[1])
		}
	}
}
