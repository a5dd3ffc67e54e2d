package http

import (
	"strings"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/diagnose"
	"github.com/okcare/okcare/notice"
	"github.com/okcare/okcare/secretscan"
)

// Secrets a customer sends are masked by the store before they are kept
// (sqldb/secrets.go), which also flags the ticket and writes the warning
// into the conversation. What is left here: the diagnosis, whose text is
// read before it is stored, is masked first so that nothing of it echoes
// back; the pages show the warning where the customer is; the console
// says what was hidden (never what it was).

// maskDiagnosis masks the free text of a validated diagnosis request and
// returns the warning for the customer, or nil.
func maskDiagnosis(req *diagnose.Request) *okcare.SecretWarning {
	desc := secretscan.Mask(req.Description, req.Lang)
	errText := secretscan.Mask(req.ErrorText, req.Lang)
	req.Description, req.ErrorText = desc.Text, errText.Text
	var kinds []string
	for _, k := range secretscan.Kinds {
		if containsKind(desc.Kinds, k) || containsKind(errText.Kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if kinds == nil {
		return nil
	}
	return &okcare.SecretWarning{Kinds: kinds, Text: notice.SecretWarning(req.Lang, kinds)}
}

func containsKind(kinds []string, k string) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// secretLabels are the console's words for what was masked (sk_) and its
// banner on a flagged ticket; they join consoleText at start.
var secretLabels = map[string]map[string]string{
	"zh-CN": {
		"note_secret_masked": "已在保存前隐藏客户发来的敏感信息：{kinds}。工单已标记为“泄露敏感信息”并升为紧急，客户已收到提醒。",
		"sk_mnemonic":        "助记词", "sk_private_key": "私钥", "sk_keystore": "密钥文件", "sk_code": "验证码", "sk_password": "密码",
		"secret_queue":       "只看泄露了敏感信息的工单",
		"tag_secret_exposed": "泄露敏感信息",
		"secret_banner":      "安全提醒：客户在这张工单里发送过助记词、私钥或验证码等敏感信息，已在保存前隐藏（内容不可见）。请按安全流程处理：提醒客户立即转移或冻结资产，切勿索要或复述任何秘密信息。",
	},
	"en": {
		"note_secret_masked": "Secrets hidden from the customer's text before it was stored: {kinds}. The ticket is flagged “secret exposed” and urgent; the customer was warned.",
		"sk_mnemonic":        "recovery phrase", "sk_private_key": "private key", "sk_keystore": "keystore file", "sk_code": "verification code", "sk_password": "password",
		"secret_queue":       "Secrets exposed only",
		"tag_secret_exposed": "secret exposed",
		"secret_banner":      "Security: the customer sent a secret in this ticket (a recovery phrase, key or code). It was hidden before it was stored and cannot be seen. Follow the security procedure: help them secure or freeze their funds, and never ask for or repeat any secret.",
	},
}

func init() {
	for lang, labels := range secretLabels {
		for k, v := range labels {
			if _, dup := consoleText[lang][k]; dup {
				panic("console text " + lang + " " + k + " defined twice")
			}
			consoleText[lang][k] = v
		}
	}
}

// secretKindsText names a note's comma-separated kinds in the console's
// language.
func secretKindsText(c map[string]string, kinds string) string {
	var names []string
	for _, k := range strings.Split(kinds, ",") {
		names = append(names, labelOf(c, "sk_", k))
	}
	if c["sk_mnemonic"] == "助记词" {
		return strings.Join(names, "、")
	}
	return strings.Join(names, ", ")
}
