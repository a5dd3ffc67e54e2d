// Package version parses and compares app and OS versions as semantic
// versions: "5.2.0", "5.2", "14", "17.4.1", "6.0.0-beta.2". Missing minor and
// patch numbers count as zero; build metadata ("+abc") is ignored in
// comparison, as semver says.
package version

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalid is returned for text that is not a version.
var ErrInvalid = errors.New("invalid version")

// maxLen bounds the input; no real version is longer.
const maxLen = 64

// Version is a parsed semantic version.
type Version struct {
	Major, Minor, Patch uint64
	// Pre holds the dot-separated pre-release identifiers, if any.
	Pre []string
}

// Parse parses s. It accepts one to three numeric components without leading
// zeros, an optional "-pre.release" and an optional "+build".
func Parse(s string) (Version, error) {
	var v Version
	if s == "" || len(s) > maxLen {
		return v, ErrInvalid
	}
	s, build, hasBuild := strings.Cut(s, "+")
	if hasBuild && !validIdentifiers(build, false) {
		return v, ErrInvalid
	}
	core, pre, hasPre := strings.Cut(s, "-")
	if hasPre {
		if !validIdentifiers(pre, true) {
			return v, ErrInvalid
		}
		v.Pre = strings.Split(pre, ".")
	}
	parts := strings.Split(core, ".")
	if len(parts) > 3 {
		return v, ErrInvalid
	}
	nums := []*uint64{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		n, ok := parseNumber(p)
		if !ok {
			return v, ErrInvalid
		}
		*nums[i] = n
	}
	return v, nil
}

// parseNumber parses a numeric identifier: digits only, no leading zero.
func parseNumber(s string) (uint64, bool) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// validIdentifiers checks dot-separated [0-9A-Za-z-] identifiers; numeric
// pre-release identifiers may not have leading zeros.
func validIdentifiers(s string, pre bool) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		numeric := true
		for i := 0; i < len(id); i++ {
			c := id[i]
			switch {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
				numeric = false
			default:
				return false
			}
		}
		if pre && numeric && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// Compare returns -1, 0 or +1 as a is lower than, equal to or higher than b,
// by semver precedence.
func Compare(a, b Version) int {
	for _, p := range [][2]uint64{{a.Major, b.Major}, {a.Minor, b.Minor}, {a.Patch, b.Patch}} {
		if p[0] != p[1] {
			if p[0] < p[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a.Pre) == 0 && len(b.Pre) == 0:
		return 0
	case len(a.Pre) == 0:
		return 1 // a release ranks above its pre-releases
	case len(b.Pre) == 0:
		return -1
	}
	for i := 0; i < len(a.Pre) && i < len(b.Pre); i++ {
		if c := compareIdentifier(a.Pre[i], b.Pre[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(a.Pre), len(b.Pre))
}

func compareIdentifier(a, b string) int {
	an, aNum := parseNumber(a)
	bn, bNum := parseNumber(b)
	switch {
	case aNum && bNum:
		if an == bn {
			return 0
		} else if an < bn {
			return -1
		}
		return 1
	case aNum:
		return -1 // numeric identifiers rank below alphanumeric ones
	case bNum:
		return 1
	}
	return strings.Compare(a, b)
}

func cmpInt(a, b int) int {
	if a < b {
		return -1
	} else if a > b {
		return 1
	}
	return 0
}

// Less reports whether text version a is lower than b; both must parse.
func Less(a, b string) (bool, error) {
	va, err := Parse(a)
	if err != nil {
		return false, err
	}
	vb, err := Parse(b)
	if err != nil {
		return false, err
	}
	return Compare(va, vb) < 0, nil
}

// Equal reports whether text versions a and b have the same precedence.
func Equal(a, b string) bool {
	va, errA := Parse(a)
	vb, errB := Parse(b)
	return errA == nil && errB == nil && Compare(va, vb) == 0
}
