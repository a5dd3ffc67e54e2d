package secretscan

import "testing"

// Chat-sized texts: what a customer types in one chat message.
var benchTexts = map[string]string{
	"prose_zh":     "你好，我的钱包打不开了，一直停在加载页面，已经重启过手机了，也清了缓存，重装了两次还是不行，错误代码 502，麻烦帮我看看是什么原因，谢谢！",
	"prose_en":     "Hi, I can't open the app, it crashes right after the splash screen on my Pixel 7 with Android 14. I already cleared the cache and reinstalled it twice. Error code 10023.",
	"mnemonic_en":  "the support guy asked for my seed phrase so I sent it: draft oyster rack north fresh grape junior boat exhibit shrug egg cactus. was that wrong?",
	"mnemonic_zh":  "有人自称OK钱包客服，说要我提供助记词才能解冻：污 街 妨 煮 区 谊 渗 弃 现 枪 载 核",
	"key_and_code": "私钥是 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318 验证码是 482913",
}

func BenchmarkMask(b *testing.B) {
	for name, text := range benchTexts {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Mask(text, "zh-CN")
			}
		})
	}
}
