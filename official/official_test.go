package official

import (
	"slices"
	"testing"
)

// list is the demo's official channels.
var list = []Channel{
	{Website, "okwallet.example"},
	{Email, "support@okwallet.example"},
	{Email, "no-reply@okwallet.example"},
	{Phone, "+864008208820"},
	{Phone, "95188"},
	{Telegram, "okwallet_official"},
	{WeChat, "okwallet_official"},
}

var brand = []string{"okwallet", "ok钱包", "okqianbao"}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		kind, input string
		wantKind    string
		official    bool
		signs       []string // nil: not a lookalike
		none        bool
	}{
		// Official, however written.
		{"", "https://www.okwallet.example/help", Website, true, nil, false},
		{"", "help.OKWALLET.example", Website, true, nil, false},
		{"website", "okwallet.example.", Website, true, nil, false},
		{"", "Support@OKWallet.example", Email, true, nil, false},
		{"", "+86 400-820-8820", Phone, true, nil, false},
		{"", "400 820 8820", Phone, true, nil, false},
		{"", "0086 400 820 8820", Phone, true, nil, false},
		{"", "(400) 820-8820", Phone, true, nil, false},
		{"", "95188", Phone, true, nil, false},
		{"", "@OKWallet_Official", Telegram, true, nil, false},
		{"", "https://t.me/okwallet_official", Telegram, true, nil, false},
		{"wechat", "OKWallet_Official", WeChat, true, nil, false},
		{"", "okwallet_official", Telegram, true, nil, false}, // a bare name: found among the chat accounts

		// Lookalike websites.
		{"", "okwallet-support.com", Website, false, []string{SignBrandWords}, false},
		{"", "https://okwallet.example.account-verify.com/login", Website, false, []string{SignBrandWords}, false},
		{"", "support-okwallet.net", Website, false, []string{SignBrandWords}, false},
		{"", "okwallet.com", Website, false, []string{SignOtherDomain, SignBrandWords}, false},
		{"", "0kwallet.example", Website, false, []string{SignHomoglyph}, false},
		{"", "okwa11et.com", Website, false, []string{SignHomoglyph, SignBrandWords}, false},
		{"", "okvvallet.example", Website, false, []string{SignHomoglyph}, false},
		{"", "xn--okwllet-4fg.example", Website, false, []string{SignHomoglyph}, false}, // okwаllet with a Cyrillic а
		{"", "okwalet.com", Website, false, []string{SignTypo}, false},
		{"", "okwallte.example", Website, false, []string{SignTypo}, false},
		{"", "ok钱包.com", Website, false, []string{SignBrandWords}, false},
		{"", "okqianbao-kefu.cn", Website, false, []string{SignBrandWords}, false},
		// Not ours, and not made to look like ours.
		{"", "mywallet.com", Website, false, nil, false},
		{"", "example.com", Website, false, nil, false},
		{"", "okx.com", Website, false, nil, false},

		// Addresses.
		{"", "security@okwallet.example", Email, false, []string{SignOfficialDomain}, false},
		{"", "support@okwallet-help.com", Email, false, []string{SignBrandWords}, false},
		{"", "okwallet.support@gmail.com", Email, false, []string{SignBrandWords}, false},
		{"", "support@0kwallet.example", Email, false, []string{SignHomoglyph}, false},
		{"", "friend@example.com", Email, false, nil, false},

		// Numbers.
		{"", "+86 400-820-8821", Phone, false, []string{SignCloseNumber}, false},
		{"", "400-820-2880", Phone, false, []string{SignCloseNumber}, false},
		{"", "+1 400 820 8820", Phone, false, []string{SignCloseNumber}, false},
		{"", "4008208820 88", Phone, false, []string{SignCloseNumber}, false},
		{"", "95588", Phone, false, nil, false}, // another company's short number
		{"", "+86 138 0013 8000", Phone, false, nil, false},
		{"", "13951889999", Phone, false, nil, false},

		// Chat accounts.
		{"", "@okwallet_support", Telegram, false, []string{SignBrandWords}, false},
		{"", "@okwa11et_official", Telegram, false, []string{SignHomoglyph, SignBrandWords}, false},
		{"", "@okwallet_offical", Telegram, false, []string{SignTypo, SignBrandWords}, false},
		{"wechat", "okwallet-kefu", WeChat, false, []string{SignBrandWords}, false},
		{"", "@dana_travels", Telegram, false, nil, false},
		{"", "wa.me/8613800138000", WhatsApp, false, nil, true},
		{"whatsapp", "+86 400 820 8821", WhatsApp, false, []string{SignCloseNumber}, true},
	} {
		t.Run(tc.input, func(t *testing.T) {
			v, err := Check(tc.kind, tc.input, list, brand)
			if err != nil {
				t.Fatal(err)
			}
			if v.Kind != tc.wantKind || v.Official != tc.official || v.Lookalike != (tc.signs != nil) || v.NoneOfKind != tc.none {
				t.Fatalf("%+v", v)
			}
			if !slices.Equal(v.Signs, tc.signs) {
				t.Fatalf("signs %v, want %v", v.Signs, tc.signs)
			}
			if v.Official != (v.Match != nil) {
				t.Fatalf("official without its match, or a match that is not: %+v", v)
			}
			if v.Lookalike && (v.Like == nil || v.Like.Value == "") {
				t.Fatalf("a lookalike of nothing: %+v", v)
			}
		})
	}
}

func TestCheckRefusesWhatIsNoChannel(t *testing.T) {
	for _, tc := range [][2]string{
		{"", ""}, {"", "   "}, {"", "hi"}, {"", "@a"}, {"phone", "call me"}, {"phone", "12"},
		{"email", "okwallet.example"}, {"website", "not a site"}, {"telegram", "@a b"}, {"nope", "okwallet.example"},
		{"", string(make([]byte, 300))},
	} {
		if v, err := Check(tc[0], tc[1], list, brand); err != ErrInvalid {
			t.Errorf("Check(%q, %q) = %+v, %v", tc[0], tc[1], v, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range [][3]string{
		{Phone, "+86 (400) 820-8820", "+864008208820"},
		{Phone, "00 86 400 820 8820", "+864008208820"},
		{Website, "HTTPS://WWW.OKWallet.Example:443/x?y", "okwallet.example"},
		{Website, "ok钱包.com", "xn--ok-1z5cr40w.com"},
		{Email, "Support@OKWallet.Example", "support@okwallet.example"},
		{Telegram, "https://t.me/OKWallet_Official", "okwallet_official"},
		{WhatsApp, "https://wa.me/8613800138000", "+8613800138000"},
	} {
		got, err := Normalize(tc[0], tc[1])
		if err != nil || got != tc[2] {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q", tc[0], tc[1], got, err, tc[2])
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"okwallet", "okwallet", 0}, {"okwallet", "okwalet", 1}, {"okwallet", "okwallte", 1}, {"okwallet", "mywallet", 2}, {"钱包", "钱宝", 1}, {"", "abc", 3}} {
		if got := distance(tc.a, tc.b); got != tc.d {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"okwallet-support.com", "+86 400 820 8820", "@okwallet_official", "a@b.c", "ok钱包.com", "xn--80ak6aa92e.com"} {
		f.Add("", s)
	}
	f.Fuzz(func(t *testing.T, kind, input string) {
		v, err := Check(kind, input, list, brand)
		if err != nil {
			return
		}
		if v.Official && v.Lookalike {
			t.Fatalf("official and a lookalike: %+v", v)
		}
		if v.Lookalike && v.Like == nil {
			t.Fatalf("lookalike of nothing: %+v", v)
		}
	})
}
