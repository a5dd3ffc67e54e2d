package search

import (
	"sort"
	"strings"
)

// synonyms add words to a query that mean what the user typed, in the
// article's language: people search "闪退" for an article titled 崩溃, "2fa"
// for 双重认证, "封号" for 冻结.
var synonyms = map[string]map[string]string{
	"zh-CN": {
		"闪退": "闪退 崩溃 退出", "秒退": "闪退", "崩溃": "闪退", "黑屏": "闪退 白屏",
		"转圈": "加载", "卡住": "加载", "加载不出": "加载",
		"连不上": "无法连接 网络", "断网": "网络", "没网": "网络", "服务器": "服务器 连接",
		"封号": "冻结", "被封": "冻结", "冻了": "冻结", "锁了": "冻结 限制",
		"登不上": "登录 受限", "登陆": "登录", "输错": "受限 密码",
		"忘了密码": "重置密码", "忘记密码": "重置密码", "找回密码": "重置密码", "改密码": "修改密码",
		"2fa": "双重认证 验证码", "两步验证": "双重认证", "二次验证": "双重认证", "谷歌验证": "双重认证 验证器",
		"升级": "更新", "新版": "更新", "旧版": "更新 版本",
		"内存": "存储空间 运行内存", "空间不足": "存储空间", "系统太老": "系统版本",
		"客服": "联系客服", "人工": "联系客服", "多久": "响应时间", "回复": "响应时间",
		"缓存": "清除缓存", "重装": "重新安装", "卸载": "重新安装",
		"公共wifi": "公共 Wi-Fi", "wifi": "Wi-Fi 网络",
	},
	"en": {
		"2fa": "two-factor authentication", "mfa": "two-factor authentication", "otp": "two-factor code",
		"authenticator": "two-factor authentication", "totp": "two-factor authentication",
		"crash": "crash crashes", "closes": "crash", "crashing": "crash",
		"spinner": "loading", "stuck": "loading", "hangs": "loading",
		"offline": "network connect", "internet": "network", "wifi": "Wi-Fi network",
		"banned": "frozen", "blocked": "frozen", "suspended": "frozen", "locked": "frozen restricted",
		"forgot": "reset password", "forgotten": "reset password",
		"upgrade": "update", "outdated": "update",
		"space": "storage", "memory": "storage memory",
		"agent": "contact support", "help": "contact support", "human": "contact support",
		"cache": "clear cache", "reinstall": "reinstall", "uninstall": "reinstall",
	},
}

// expand appends the synonyms of words found in q, each word once and in a
// fixed order: a repeated word would only cost another posting-list walk.
func expand(q, lang string) string {
	low := strings.ToLower(q)
	seen := map[string]bool{}
	for _, w := range strings.Fields(low) {
		seen[w] = true
	}
	var extra []string
	for word, more := range synonyms[lang] {
		if !strings.Contains(low, word) {
			continue
		}
		for _, w := range strings.Fields(more) {
			if lw := strings.ToLower(w); !seen[lw] && !strings.Contains(low, lw) {
				seen[lw] = true
				extra = append(extra, w)
			}
		}
	}
	if len(extra) == 0 {
		return q
	}
	sort.Strings(extra)
	return q + " " + strings.Join(extra, " ")
}
