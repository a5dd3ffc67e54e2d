// Package textnorm folds the variants in which users write the same thing:
// full-width and half-width characters, case, and traditional and
// simplified Chinese characters of this domain. Diagnosis and search both
// use it, so that "閃退", "闪退" and "ＡＰＰ" meet their plain forms.
package textnorm

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// traditional maps the traditional characters users write about a wallet
// that will not open to their simplified forms, so that "閃退" and "闪退"
// are one word to the classifier. It is deliberately small: only characters
// of this domain, not a general converter.
var traditional = strings.NewReplacer(
	"閃", "闪", "開", "开", "轉", "转", "連", "连", "線", "线", "無", "无", "法", "法",
	"務", "务", "器", "器", "帳", "账", "賬", "账", "號", "号", "凍", "冻", "結", "结",
	"網", "网", "絡", "络", "記", "记", "憶", "忆", "體", "体", "儲", "储", "載", "载",
	"應", "应", "統", "统", "舊", "旧", "鎖", "锁", "錄", "录", "碼", "码", "驗", "验",
	"證", "证", "機", "机", "當", "当", "啟", "启", "動", "动", "黑", "黑", "屏", "屏",
	"螢", "萤", "頁", "页", "卡", "卡", "慢", "慢", "斷", "断", "訊", "讯", "號", "号",
	"裝", "装", "刪", "删", "除", "除", "緩", "缓", "存", "存", "間", "间", "夠", "够",
	"滿", "满", "內", "内", "維", "维", "護", "护", "級", "级", "錯", "错", "誤", "误",
	"顯", "显", "示", "示", "請", "请", "稍", "稍", "後", "后", "試", "试", "壞", "坏",
	"鐘", "钟", "時", "时", "數", "数", "據", "据", "費", "费", "禁", "禁", "風", "风",
	"險", "险", "異", "异", "常", "常", "權", "权", "限", "限", "問", "问", "題", "题",
	"電", "电", "腦", "脑", "話", "话", "統", "统", "區", "区", "載", "载", "圍", "围", "過", "过", "們", "们", "麼", "么", "為", "为", "讓", "让", "沒", "没",
)

// Fold folds width (NFKC: full-width letters and digits become ASCII),
// case and traditional characters, so that variants meet in one form.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	return traditional.Replace(s)
}
