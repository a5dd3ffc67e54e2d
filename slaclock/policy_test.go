package slaclock_test

import (
	"strings"
	"testing"
	"time"

	"github.com/okcare/okcare/slaclock"
)

func TestParseTarget(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want slaclock.Target
		bad  bool
	}{
		{in: "5m", want: slaclock.Target{Business: 5 * time.Minute}},
		{in: "4h", want: slaclock.Target{Business: 4 * time.Hour}},
		{in: "1h30m", want: slaclock.Target{Business: 90 * time.Minute}},
		{in: "3d", want: slaclock.Target{Workdays: 3}},
		{in: "eod", want: slaclock.Target{EndOfDay: true}},
		{in: "0d", bad: true},
		{in: "61d", bad: true},
		{in: "30s", bad: true},
		{in: "-4h", bad: true},
		{in: "soon", bad: true},
		{in: "", bad: true},
	} {
		got, err := slaclock.ParseTarget(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseTarget(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if round, err := slaclock.ParseTarget(got.String()); err != nil || round != got {
			t.Errorf("%q does not round-trip through %q", tt.in, got.String())
		}
	}
}

func TestParsePoliciesErrors(t *testing.T) {
	for _, bad := range []string{
		"", // no "* *"
		"chat * first=5m\n* * first=1d resolve=2d", // missing resolve
		"* * first=1d resolve=2d\n* * first=1d resolve=2d",
		"* * first=1d resolve=2d extra=1",
		"* * first=1d later=2d",
		"* * first=tomorrow resolve=2d",
	} {
		if _, err := slaclock.ParsePolicies(bad); err == nil {
			t.Errorf("ParsePolicies(%q) succeeded", bad)
		}
	}
}

func TestPoliciesFor(t *testing.T) {
	p, err := slaclock.ParsePolicies(strings.Join([]string{
		"chat urgent first=1m resolve=1h",
		"chat * first=5m resolve=4h # comment",
		"* urgent first=1d resolve=1d",
		"* * first=3d resolve=5d",
	}, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ channel, priority, first, resolve string }{
		{"chat", "urgent", "1m", "1h"},
		{"chat", "low", "5m", "4h"},
		{"email", "urgent", "1d", "1d"},
		{"email", "normal", "3d", "5d"},
		{"phone", "high", "3d", "5d"},
	} {
		pol := p.For(tt.channel, tt.priority)
		if pol.FirstResponse.String() != tt.first || pol.Resolution.String() != tt.resolve {
			t.Errorf("For(%s, %s) = %v/%v, want %s/%s", tt.channel, tt.priority, pol.FirstResponse, pol.Resolution, tt.first, tt.resolve)
		}
	}
}

func TestDueResolution(t *testing.T) {
	c := calendar(t)
	d := slaclock.Default()
	for _, tt := range []struct {
		channel, priority, created, want string
	}{
		{"email", "normal", "2026-11-25 10:00", "2026-12-02 10:00"}, // five working days
		{"chat", "normal", "2026-11-25 17:00", "2026-11-26 17:00"},
		{"chat", "urgent", "2026-11-25 16:00", "2026-11-26 11:00"},  // 2 h today, 2 h tomorrow
		{"phone", "normal", "2026-09-30 10:00", "2026-10-09 10:00"}, // over National Day (1-7 Oct)
	} {
		got := c.Due(d.For(tt.channel, tt.priority).Resolution, at(c, tt.created))
		if !got.Equal(at(c, tt.want)) {
			t.Errorf("%s/%s from %s = %s, want %s", tt.channel, tt.priority, tt.created, got.Format("2006-01-02 15:04"), tt.want)
		}
	}
}

// FuzzParsePolicies: the policy file is edited by hand; whatever it holds,
// parsing never panics, and an accepted file gives every channel and
// priority two targets that produce deadlines after the start.
func FuzzParsePolicies(f *testing.F) {
	f.Add(slaclock.DefaultPolicies)
	f.Add("* * first=eod resolve=60d\nchat urgent first=1m resolve=1000h")
	f.Add("* *\tfirst=1d resolve=2d # tab")
	c, err := slaclock.China(9*time.Hour, 18*time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	start := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data string) {
		p, err := slaclock.ParsePolicies(data)
		if err != nil {
			return
		}
		for _, ch := range []string{"chat", "phone", "email", "web", "api", "other"} {
			for _, pr := range []string{"low", "normal", "high", "urgent"} {
				pol := p.For(ch, pr)
				if !c.Due(pol.FirstResponse, start).After(start) || !c.Due(pol.Resolution, start).After(start) {
					t.Fatalf("%s/%s: a target is not after the start: %+v", ch, pr, pol)
				}
			}
		}
	})
}

// FuzzParseCalendar: the holidays file is edited by hand too.
func FuzzParseCalendar(f *testing.F) {
	f.Add("2026-10-01 off 国庆节\n2026-10-10 work 调休\n# comment\n")
	f.Add("2026-02-30 off")
	f.Fuzz(func(t *testing.T, data string) {
		c, err := slaclock.ParseCalendar(data, time.UTC, 9*time.Hour, 18*time.Hour)
		if err != nil {
			return
		}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if due := c.AddWorkdays(start, 3); !due.After(start) {
			t.Fatalf("three working days from %v is %v", start, due)
		}
	})
}
