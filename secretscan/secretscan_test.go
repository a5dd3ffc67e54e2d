package secretscan

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestWordlistsAreTheOfficialFiles pins the embedded lists to the SHA-256
// of the BIP-0039 files (as bip-0039-wordlists.md's users record them).
func TestWordlistsAreTheOfficialFiles(t *testing.T) {
	for _, tc := range []struct{ name, txt, sum string }{
		{"english", englishTxt, "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"},
		{"chinese_simplified", simplifiedTxt, "5c5942792bd8340cb8b27cd592f1015edf56a8c5b26276ee18a482428e7c5726"},
		{"chinese_traditional", traditionalTxt, "417b26b3d8500a4ae3d59717d7011952db6fc2fb84b807f3f94ac734e89c1b5f"},
	} {
		sum := sha256.Sum256([]byte(tc.txt))
		if got := hex.EncodeToString(sum[:]); got != tc.sum {
			t.Errorf("%s: sha256 %s, want %s", tc.name, got, tc.sum)
		}
	}
}

// TestChecksumVectors: phrases from the BIP-39 reference vectors are
// valid, and changing a word breaks them.
func TestChecksumVectors(t *testing.T) {
	for _, p := range []string{
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
		"legal winner thank year wave sausage worth useful legal winner thank yellow",
		"letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
		"zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent",
		"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
		"scheme spot photo card baby mountain device kick cradle pact join borrow",
		"void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
	} {
		words := strings.Fields(p)
		idx := make([]int, len(words))
		for i, w := range words {
			idx[i] = english.index[w]
		}
		if !validChecksum(idx) {
			t.Errorf("%q: checksum refused", p)
		}
	}
	// Twelve times "abandon" is all zeros with a wrong checksum ("about"
	// ends the valid one); so is "zoo" twelve times.
	for _, w := range []string{"abandon", "zoo"} {
		idx := make([]int, 12)
		for i := range idx {
			idx[i] = english.index[w]
		}
		if validChecksum(idx) {
			t.Errorf("12 x %s accepted", w)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, l := range []*wordlist{english, simplified, traditional} {
		for _, n := range phraseSizes {
			words := newPhrase(rng, l, n)
			idx := make([]int, n)
			for i, w := range words {
				idx[i] = l.index[w]
			}
			if !validChecksum(idx) {
				t.Errorf("%s %d: generated phrase refused: %v", l.name, n, words)
			}
		}
	}
}

// TestMask: each kind of secret, as customers write it, and the prose
// around it that must stay.
func TestMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	en12 := strings.Join(newPhrase(rng, english, 12), " ")
	zh12 := newPhrase(rng, simplified, 12)
	tw24 := newPhrase(rng, traditional, 24)
	for _, tc := range []struct {
		name, in, lang, want string
		kinds                []string
	}{
		{"english phrase", "my seed is " + en12 + " please help", "en", "my seed is [recovery phrase hidden] please help", []string{Mnemonic}},
		{"english phrase in chinese text", "客服让我提供助记词：" + en12, "zh-CN", "客服让我提供助记词：[助记词已隐藏]", []string{Mnemonic}},
		{"chinese spaced", strings.Join(zh12, " "), "zh-CN", "[助记词已隐藏]", []string{Mnemonic}},
		{"chinese unspaced own line", "你好\n" + strings.Join(zh12, "") + "\n能找回吗", "zh-CN", "你好\n[助记词已隐藏]\n能找回吗", []string{Mnemonic}},
		{"traditional unspaced 24", "我的錢包：" + strings.Join(tw24, ""), "zh-CN", "我的錢包：[助记词已隐藏]", []string{Mnemonic}},
		{"hex key", "私钥是 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318 怎么导入", "zh-CN", "私钥是 [私钥已隐藏] 怎么导入", []string{PrivateKey}},
		{"tx hash kept", "txid: 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "en", "txid: 0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", nil},
		{"wif", "key 5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ ok", "en", "key [private key hidden] ok", []string{PrivateKey}},
		{"wif compressed", "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn", "en", "[private key hidden]", []string{PrivateKey}},
		{"xprv", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi", "en", "[private key hidden]", []string{PrivateKey}},
		{"xpub kept", "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8", "en", "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8", nil},
		{"code zh", "验证码是 482913，请帮我登录", "zh-CN", "验证码是 [验证码已隐藏]，请帮我登录", []string{Code}},
		{"code en", "The verification code is 482 913.", "en", "The verification code is [code hidden].", []string{Code}},
		{"code before", "482913是验证码", "zh-CN", "[验证码已隐藏]是验证码", []string{Code}},
		{"error code kept", "error code 10023 when opening", "en", "error code 10023 when opening", nil},
		{"phone kept", "验证码发到 13800138000 了", "zh-CN", "验证码发到 13800138000 了", nil},
		{"spaced phone kept", "验证码发到 138 0013 8000 了", "zh-CN", "验证码发到 138 0013 8000 了", nil},
		{"pin", "my PIN is 1234", "en", "my PIN is [password hidden]", []string{Password}},
		{"keystore", `here {"address":"00a3","crypto":{"cipher":"aes-128-ctr","ciphertext":"d172bf74","kdf":"scrypt","kdfparams":{"n":262144},"mac":"2103ac"},"version":3} done`, "en", "here [keystore file hidden] done", []string{Keystore}},
		{"prose", "I have a problem with my account, the app will not open since yesterday.", "en", "I have a problem with my account, the app will not open since yesterday.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Mask(tc.in, tc.lang)
			if got.Text != tc.want || !slices.Equal(got.Kinds, tc.kinds) {
				t.Errorf("Mask(%q)\n = %q %v\nwant %q %v", tc.in, got.Text, got.Kinds, tc.want, tc.kinds)
			}
			if again := Mask(got.Text, tc.lang); again.Text != got.Text || again.Found() {
				t.Errorf("masking twice: %q %v", again.Text, again.Kinds)
			}
		})
	}
}
