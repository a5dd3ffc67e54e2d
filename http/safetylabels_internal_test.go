package http

import (
	"strings"
	"testing"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/official"
	"github.com/okcare/okcare/sqldb"
)

// TestSafetyWordsExist: the codes account safety shows have words in both
// languages: the outbox events of the store's own, the kinds of channel
// (console and help center), and every sign a lookalike can show.
func TestSafetyWordsExist(t *testing.T) {
	var need []struct {
		set map[string]map[string]string
		key string
	}
	add := func(set map[string]map[string]string, keys ...string) {
		for _, k := range keys {
			need = append(need, struct {
				set map[string]map[string]string
				key string
			}{set, k})
		}
	}
	for _, e := range []string{sqldb.EventSelfFreezeCode, sqldb.EventPasswordResetWaits} {
		add(consoleText, "ev_"+e)
	}
	for _, k := range official.Kinds {
		add(consoleText, "ck_"+k)
		add(uiText, "vk_"+k)
	}
	add(uiText, "vk_"+official.Handle)
	for _, s := range []string{official.SignHomoglyph, official.SignTypo, official.SignBrandWords, official.SignOtherDomain, official.SignCloseNumber, official.SignOfficialDomain} {
		add(uiText, "verify_sign_"+s)
	}
	for _, n := range need {
		for _, lang := range []string{okcare.LangZH, okcare.LangEN} {
			if strings.TrimSpace(n.set[lang][n.key]) == "" {
				t.Errorf("%s has no %s words", n.key, lang)
			}
		}
	}
}
