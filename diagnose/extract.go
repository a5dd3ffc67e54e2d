package diagnose

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/okcare/okcare/version"
)

// TextFacts are the facts a user wrote in their own words: "安卓版5.2.0",
// "iOS 12", "内存只剩几十M", "only 20MB left". The engine uses them where the
// app reported nothing.
type TextFacts struct {
	// Platform is "android", "ios" or "".
	Platform string
	// AppVersion is a normalised app version ("5.3.0"), or "".
	AppVersion string
	// OSVersion is the phone's OS version as written ("14", "7.1"), or "".
	OSVersion string
	// FreeStorageMB and FreeMemoryMB are free sizes the text names, or nil.
	FreeStorageMB, FreeMemoryMB *int
	// StorageLow and MemoryLow: the text says the phone is short of space
	// or memory without a number ("存储空间不足", "RAM almost full").
	StorageLow, MemoryLow bool
	// StorageOK: the text says there is plenty of space ("空间也够").
	StorageOK bool
}

// Platform words, after normalize (lower case, simplified Chinese).
var (
	androidWords = []string{"安卓", "android", "鸿蒙", "harmonyos", "华为", "小米", "红米", "redmi", "xiaomi", "huawei", "pixel", "galaxy", "samsung", "三星", "oppo", "vivo", "一加", "oneplus", "荣耀", "honor", "魅族", "谷歌商店", "google play", "apk"}
	iosWords     = []string{"ios", "iphone", "ipad", "苹果", "app store", "appstore", "testflight"}
)

// osPrefix is a word that, right before a number, makes it an OS version.
var osPrefix = regexp.MustCompile(`(ios|android|安卓|系统版本|系统|鸿蒙|harmonyos)\s*(\d{1,2}(?:\.\d{1,2}){0,2})`)

// appVersionPattern finds dotted versions with an optional "v", "版本" or
// "version" before and an optional build number in brackets after.
var appVersionPattern = regexp.MustCompile(`(?:^|[^\d.])(v|版本号|版本|version|ver)?\s*(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?)(?:\s*[(（]\s*\d+\s*[)）])?`)

// sizePattern finds a size: "80mb", "几十m", "20 mb", "3.5g", "几百兆".
var sizePattern = regexp.MustCompile(`(\d+(?:\.\d+)?|几十|几百|十几|一百多|几|两|一)\s*(mb|m|兆|gb|g|kb|k)(?:[^a-z]|$)`)

// Words that name storage or memory, for the nearest-word rule.
var (
	storageWords = []string{"存储", "储存", "空间", "容量", "storage", "space", "disk", "rom"}
	memoryWords  = []string{"运行内存", "内存", "记忆体", "ram", "memory"}
)

// Phrases that say so without numbers.
var (
	storageLowPhrases = []string{"存储空间不足", "储存空间不足", "空间不足", "空间不够", "空间已满", "存储已满", "储存空间已满", "存储满了", "空间满了", "内存卡满", "storage is full", "storage full", "storage is almost full", "storage almost full", "no space", "out of space", "not enough space", "not enough storage", "low storage", "low on storage", "disk full"}
	memoryLowPhrases  = []string{"内存不足", "运行内存不足", "内存不够", "内存快满", "运行内存快满", "内存满了", "内存占满", "内存只剩", "out of memory", "low memory", "not enough memory", "ram almost full", "ram is full", "ram full", "ram usage", "memory is full", "memory full"}
	storageOKPhrases  = []string{"空间够", "空间也够", "空间充足", "空间还有", "空间很大", "存储充足", "plenty of storage", "plenty of space", "lots of free space", "lots of space", "enough storage", "enough space", "storage is fine", "storage fine"}
)

// ExtractFacts reads the facts a text states. It is pure and cheap.
func ExtractFacts(text string) TextFacts {
	s := normalize(text)
	var tf TextFacts
	tf.Platform = platformOf(s)
	// Sizes first, then blank them out so that "3.5g" is not a version.
	masked := []byte(s)
	for _, m := range sizePattern.FindAllStringSubmatchIndex(s, -1) {
		mb, ok := sizeMB(s[m[2]:m[3]], s[m[4]:m[5]])
		for i := m[0]; i < m[5]; i++ {
			masked[i] = ' '
		}
		if !ok {
			continue
		}
		switch nearestKind(s, m[0], m[5]) {
		case "memory":
			if mb < 1024 || freeWordNear(s, m[0], m[5]) {
				tf.FreeMemoryMB = intPtr(mb)
			}
		case "storage":
			tf.FreeStorageMB = intPtr(mb)
		default:
			if freeWordNear(s, m[0], m[5]) {
				tf.FreeStorageMB = intPtr(mb) // "only 40 MB free on my phone"
			}
		}
	}
	rest := string(masked)
	for _, m := range osPrefix.FindAllStringSubmatchIndex(rest, -1) {
		after := rest[m[1]:]
		if strings.HasPrefix(strings.TrimSpace(after), "版") || strings.HasPrefix(strings.TrimSpace(after), "build") {
			continue // "安卓4.6.1版本的钱包" is the app's version
		}
		if looksLikeApp(rest[m[2]:m[3]], rest[m[4]:m[5]]) {
			continue // "iOS 5.3.0": no phone runs iOS 5; that is the app
		}
		if tf.OSVersion == "" {
			tf.OSVersion = rest[m[4]:m[5]]
		}
		if tf.Platform == "" {
			switch rest[m[2]:m[3]] {
			case "ios":
				tf.Platform = "ios"
			case "android", "安卓", "鸿蒙", "harmonyos":
				tf.Platform = "android"
			}
		}
		if p := rest[m[2]:m[3]]; p == "鸿蒙" || p == "harmonyos" {
			tf.OSVersion = "" // HarmonyOS numbers are not Android's
		}
		for i := m[4]; i < m[5]; i++ {
			masked[i] = ' '
		}
	}
	rest = string(masked)
	for _, m := range appVersionPattern.FindAllStringSubmatchIndex(rest, -1) {
		v := normalizeVersion(rest[m[4]:m[5]])
		if v == "" {
			continue
		}
		tf.AppVersion = v
		break
	}
	tf.StorageLow = containsAny(s, storageLowPhrases) && tf.FreeStorageMB == nil
	tf.MemoryLow = containsAny(s, memoryLowPhrases) && !tf.StorageLow && tf.FreeMemoryMB == nil
	tf.StorageOK = containsAny(s, storageOKPhrases) || (tf.FreeStorageMB != nil && *tf.FreeStorageMB >= 2048)
	return tf
}

// looksLikeApp reports whether a version written after an OS's name is
// rather the app's: iOS below 9 runs on no phone the wallet supports, and
// three-part 4.x and 5.x numbers are how the app's versions are written.
func looksLikeApp(osName, v string) bool {
	parsed, err := version.Parse(v)
	if err != nil {
		return false
	}
	if osName == "ios" && parsed.Major < 9 {
		return true
	}
	return strings.Count(v, ".") == 2 && (parsed.Major == 4 || parsed.Major == 5)
}

func platformOf(s string) string {
	a, i := firstIndex(s, androidWords), firstIndex(s, iosWords)
	switch {
	case a < 0 && i < 0:
		return ""
	case i < 0 || (a >= 0 && a < i):
		return "android"
	}
	return "ios"
}

func firstIndex(s string, words []string) int {
	best := -1
	for _, w := range words {
		if j := strings.Index(s, w); j >= 0 && (best < 0 || j < best) {
			best = j
		}
	}
	return best
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sizeMB reads a number and unit as megabytes.
func sizeMB(num, unit string) (int, bool) {
	var n float64
	switch num {
	case "几十":
		n = 50
	case "几百":
		n = 500
	case "十几":
		n = 15
	case "一百多":
		n = 150
	case "几":
		n = 5
	case "两":
		n = 2
	case "一":
		n = 1
	default:
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return 0, false
		}
		n = f
	}
	switch unit {
	case "gb", "g":
		n *= 1024
	case "kb", "k":
		n /= 1024
	}
	if n < 0 || n > 1<<24 {
		return 0, false
	}
	return int(n), true
}

// nearestKind says whether the storage or the memory word closest to a
// size (within 12 bytes before or after) names it.
func nearestKind(s string, start, end int) string {
	lo, hi := max(0, start-24), min(len(s), end+24)
	best, kind := 1<<30, ""
	for _, set := range []struct {
		kind  string
		words []string
	}{{"memory", memoryWords}, {"storage", storageWords}} {
		for _, w := range set.words {
			window := s[lo:hi]
			for off := 0; ; {
				j := strings.Index(window[off:], w)
				if j < 0 {
					break
				}
				pos := lo + off + j
				d := start - (pos + len(w))
				if pos >= end {
					d = pos - end
				}
				if d < 0 {
					d = 0
				}
				if d < best || (d == best && set.kind == "memory" && len(w) > 3) {
					best, kind = d, set.kind
				}
				off += j + len(w)
			}
		}
	}
	return kind
}

func freeWordNear(s string, start, end int) bool {
	window := s[max(0, start-15):min(len(s), end+15)]
	return containsAny(window, []string{"剩", "free", "left", "可用", "only", "不到", "不足"})
}

func intPtr(n int) *int { return &n }

// normalizeVersion turns an app version as users and app stores write it
// ("V5.3.0", "5.3.0 (1234)", "v5.3", "5.3.0+1234", "版本5.1") into
// "major.minor.patch", or "" when it is not one.
func normalizeVersion(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "(（ "); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "v"), "V")
	s = strings.TrimPrefix(s, "ersion")
	v, err := version.Parse(s)
	if err != nil || v.Major == 0 || v.Major > 20 {
		return ""
	}
	return strconv.FormatUint(v.Major, 10) + "." + strconv.FormatUint(v.Minor, 10) + "." + strconv.FormatUint(v.Patch, 10)
}

// NormalizeVersion turns a version as a user or an app store writes it
// ("V5.3.0", "5.3.0 (1234)", "version 5.3", "5.3.0+1234") into one the
// version package parses; ok is false when it is not a version at all.
func NormalizeVersion(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if _, err := version.Parse(t); err == nil {
		return t, true
	}
	low := strings.ToLower(t)
	for _, p := range []string{"version", "ver.", "ver", "版本号", "版本", "ios", "android", "安卓", "v"} {
		if strings.HasPrefix(low, p) {
			low = strings.TrimSpace(low[len(p):])
			break
		}
	}
	if i := strings.IndexAny(low, "(（ "); i > 0 {
		low = strings.TrimSpace(low[:i])
	}
	low = strings.TrimSuffix(strings.TrimSpace(low), ".")
	// "V5.3.0", "5.3.0 (1234)", "iOS 17.4" and "Android 14" are versions;
	// a bare "v5" is too little to read as one.
	if _, err := version.Parse(low); err != nil || (!strings.Contains(low, ".") && strings.HasPrefix(strings.ToLower(t), "v")) {
		return s, false
	}
	return low, true
}
