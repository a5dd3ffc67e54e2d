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

func TestSimplified(t *testing.T) {
	for in, want := range map[string]string{
		"雙重認證":            "双重认证",
		"帳戶被凍結了怎麼辦":       "账户被冻结了怎么办",
		"無法連線伺服器":         "无法连接服务器",
		"公共網路安全嗎":         "公共网络安全吗",
		"清除快取":            "清除缓存",
		"已经是简体 and ASCII": "已经是简体 and ASCII",
		"":                "",
	} {
		if got := textnorm.Simplified(in); got != want {
			t.Errorf("Simplified(%q) = %q, want %q", in, got, want)
		}
	}
}
