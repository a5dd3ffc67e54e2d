package slaclock

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Target is one SLA target, measured from a start in one of three ways:
// business time (Business > 0), a number of working days (Workdays > 0,
// same time of day), or the close of the business day (EndOfDay).
type Target struct {
	Business time.Duration
	Workdays int
	EndOfDay bool
}

// String writes t in the policy file syntax: "5m", "4h", "3d" or "eod".
func (t Target) String() string {
	switch {
	case t.EndOfDay:
		return "eod"
	case t.Workdays > 0:
		return strconv.Itoa(t.Workdays) + "d"
	}
	if t.Business%time.Hour == 0 {
		return strconv.Itoa(int(t.Business/time.Hour)) + "h"
	}
	return strconv.Itoa(int(t.Business/time.Minute)) + "m"
}

// ParseTarget reads "15m", "4h", "3d" (working days) or "eod".
func ParseTarget(s string) (Target, error) {
	if s == "eod" {
		return Target{EndOfDay: true}, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 1 || days > 60 {
			return Target{}, fmt.Errorf("%q: want 1d to 60d", s)
		}
		return Target{Workdays: days}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute || d > 1000*time.Hour {
		return Target{}, fmt.Errorf("%q: want a duration like 15m or 4h, a number of working days like 3d, or eod", s)
	}
	return Target{Business: d}, nil
}

// Due is when target falls for something that started at start.
func (c *Calendar) Due(t Target, start time.Time) time.Time {
	switch {
	case t.EndOfDay:
		return c.EndOfDay(start)
	case t.Workdays > 0:
		return c.AddWorkdays(start, t.Workdays)
	}
	return c.Add(start, t.Business)
}

// Policy is the pair of targets a ticket is held to.
type Policy struct {
	FirstResponse, Resolution Target
}

// Policies maps "channel priority" to a policy; "channel *" is the
// channel's default and "* *" everyone's.
type Policies map[string]Policy

// DefaultPolicies are the promises the help center makes: chat answered in
// minutes, phone the same business day, email and forms within 1-3
// business days (the deadline is the far end: 3), urgent tickets sooner.
const DefaultPolicies = `# channel priority first=<target> resolve=<target>
# targets: 5m / 4h (business time), 3d (working days), eod (end of the business day)
chat   urgent first=2m  resolve=4h
chat   *      first=5m  resolve=1d
phone  urgent first=eod resolve=1d
phone  *      first=eod resolve=2d
*      urgent first=1d  resolve=2d
*      *      first=3d  resolve=5d
`

// ParsePolicies reads lines of "channel priority first=T resolve=T"; "#"
// starts a comment. A "* *" line is required so every ticket has targets.
func ParsePolicies(data string) (Policies, error) {
	p := Policies{}
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 'channel priority first=T resolve=T'", n)
		}
		var pol Policy
		for _, kv := range f[2:] {
			k, v, _ := strings.Cut(kv, "=")
			t, err := ParseTarget(v)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			switch k {
			case "first":
				pol.FirstResponse = t
			case "resolve":
				pol.Resolution = t
			default:
				return nil, fmt.Errorf("line %d: unknown key %q", n, k)
			}
		}
		if pol.FirstResponse == (Target{}) || pol.Resolution == (Target{}) {
			return nil, fmt.Errorf("line %d: both first= and resolve= are needed", n)
		}
		key := f[0] + " " + f[1]
		if _, dup := p[key]; dup {
			return nil, fmt.Errorf("line %d: %s %s is set twice", n, f[0], f[1])
		}
		p[key] = pol
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if _, ok := p["* *"]; !ok {
		return nil, fmt.Errorf("a '* *' line is required")
	}
	return p, nil
}

// For returns the policy of a channel and priority: the exact line, else
// the channel's "*", else "* priority", else "* *".
func (p Policies) For(channel, priority string) Policy {
	for _, k := range []string{channel + " " + priority, channel + " *", "* " + priority} {
		if pol, ok := p[k]; ok {
			return pol
		}
	}
	return p["* *"]
}

// defaultPolicies parses DefaultPolicies once; it always parses.
var defaultPolicies = func() Policies {
	p, err := ParsePolicies(DefaultPolicies)
	if err != nil {
		panic(err)
	}
	return p
}()

// Default returns the default policies.
func Default() Policies { return defaultPolicies }
