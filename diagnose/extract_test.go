package diagnose_test

import (
	"fmt"
	"testing"

	"github.com/okcare/okcare/diagnose"
)

func TestExtractFacts(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tt := range []struct {
		text string
		want diagnose.TextFacts
	}{
		{"安卓版5.2.0一打开就闪退", diagnose.TextFacts{Platform: "android", AppVersion: "5.2.0"}},
		{"升级到V5.3.0还是白屏", diagnose.TextFacts{AppVersion: "5.3.0"}},
		{"5.3.0 (1234) keeps crashing", diagnose.TextFacts{AppVersion: "5.3.0"}},
		{"版本5.1，打不开", diagnose.TextFacts{AppVersion: "5.1.0"}},
		{"im on the 4.9 build, android", diagnose.TextFacts{Platform: "android", AppVersion: "4.9.0"}},
		{"我的iPhone是iOS 12，钱包打不开", diagnose.TextFacts{Platform: "ios", OSVersion: "12"}},
		{"苹果手机ios13钱包用不了了", diagnose.TextFacts{Platform: "ios", OSVersion: "13"}},
		{"安卓7的旧手机", diagnose.TextFacts{Platform: "android", OSVersion: "7"}},
		{"Pixel 8, Android 14, OK Wallet 5.1.2 - closes instantly", diagnose.TextFacts{Platform: "android", OSVersion: "14", AppVersion: "5.1.2"}},
		{"安卓4.6.1版本的钱包打不开了", diagnose.TextFacts{Platform: "android", AppVersion: "4.6.1"}},
		{"系统是Android 7.1，钱包一直提示升级系统", diagnose.TextFacts{Platform: "android", OSVersion: "7.1"}},
		{"华为鸿蒙4.0，钱包闪退", diagnose.TextFacts{Platform: "android"}},
		{"內存只剩幾十M了", diagnose.TextFacts{FreeMemoryMB: n(50)}},
		{"RAM只剩80MB了 钱包闪退", diagnose.TextFacts{FreeMemoryMB: n(80)}},
		{"only 20MB left on my phone", diagnose.TextFacts{FreeStorageMB: n(20)}},
		{"儲存空間只剩80MB，錢包打不開", diagnose.TextFacts{FreeStorageMB: n(80)}},
		{"手机提示存储空间不足", diagnose.TextFacts{StorageLow: true}},
		{"My phone storage is almost full", diagnose.TextFacts{StorageLow: true}},
		{"运行内存快满了", diagnose.TextFacts{MemoryLow: true}},
		{"phone has 100GB free, v5.3.0 (1402)", diagnose.TextFacts{AppVersion: "5.3.0", FreeStorageMB: n(102400), StorageOK: true}},
		{"空间还有好几十G，网络正常", diagnose.TextFacts{FreeStorageMB: n(51200), StorageOK: true}},
		{"5G信号忽有忽无", diagnose.TextFacts{}},
		{"老手机运行内存才3G", diagnose.TextFacts{}},
		{"打不开", diagnose.TextFacts{}},
		{"iOS 5.3.0 crashes on launch", diagnose.TextFacts{Platform: "ios", AppVersion: "5.3.0"}},
		{"安卓 5.2.0 打开就闪退", diagnose.TextFacts{Platform: "android", AppVersion: "5.2.0"}},
		{"爸妈的老手机安卓5.1，ok钱包打不开", diagnose.TextFacts{Platform: "android", OSVersion: "5.1"}},
	} {
		got := diagnose.ExtractFacts(tt.text)
		if !sameFacts(got, tt.want) {
			t.Errorf("ExtractFacts(%q) = %s, want %s", tt.text, show(got), show(tt.want))
		}
	}
}

func sameFacts(a, b diagnose.TextFacts) bool {
	eq := func(x, y *int) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.Platform == b.Platform && a.AppVersion == b.AppVersion && a.OSVersion == b.OSVersion && eq(a.FreeStorageMB, b.FreeStorageMB) &&
		eq(a.FreeMemoryMB, b.FreeMemoryMB) && a.StorageLow == b.StorageLow && a.MemoryLow == b.MemoryLow && a.StorageOK == b.StorageOK
}

func show(f diagnose.TextFacts) string {
	p := func(x *int) any {
		if x == nil {
			return "-"
		}
		return *x
	}
	return fmt.Sprintf("{platform %q app %q os %q storage %v memory %v storageLow %v memoryLow %v storageOK %v}",
		f.Platform, f.AppVersion, f.OSVersion, p(f.FreeStorageMB), p(f.FreeMemoryMB), f.StorageLow, f.MemoryLow, f.StorageOK)
}

func TestNormalizeVersion(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"5.3.0", "5.3.0", true},
		{"V5.3.0", "5.3.0", true},
		{"v5.3", "5.3", true},
		{"5.3.0 (1234)", "5.3.0", true},
		{"5.3.0（1234）", "5.3.0", true},
		{"version 5.2.1", "5.2.1", true},
		{"版本5.1", "5.1", true},
		{"5.3.0+1234", "5.3.0+1234", true},
		{"iOS 17.4", "17.4", true},
		{"Android 14", "14", true},
		{"14", "14", true},
		{"v5", "v5", false},
		{"latest", "latest", false},
		{"fourteen", "fourteen", false},
		{"", "", false},
	} {
		got, ok := diagnose.NormalizeVersion(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeVersion(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestValidateNormalisesVersions: the wizard and the API accept the
// versions people copy from their phones, and store them plain.
func TestValidateNormalisesVersions(t *testing.T) {
	r := &diagnose.Request{Lang: "en", App: &diagnose.App{Platform: "android", Version: "V5.3.0 (1234)"}, Device: &diagnose.Device{OSVersion: "Android 14"}}
	if err := diagnose.Validate(r); err != nil || r.App.Version != "5.3.0" || r.Device.OSVersion != "14" {
		t.Fatalf("Validate: %v; app %q os %q", err, r.App.Version, r.Device.OSVersion)
	}
	// A version without a platform is a fact too.
	if err := diagnose.Validate(&diagnose.Request{Lang: "en", App: &diagnose.App{Version: "5.1.2"}}); err != nil {
		t.Fatal(err)
	}
	if err := diagnose.Validate(&diagnose.Request{Lang: "en", App: &diagnose.App{}}); err == nil {
		t.Fatal("an empty app accepted")
	}
}
