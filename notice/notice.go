// Package notice holds the words okcare sends to customers (mail, SMS and
// the system notes they see on their tickets), one message catalog per
// language in locales/, so that a translator edits TOML, not Go. Every
// message exists in every language; the test checks it.
package notice

import (
	"embed"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var files embed.FS

// Languages okcare writes to customers in; the first is the fallback.
var Languages = []string{"zh-CN", "en"}

var bundle = load()

func load() *i18n.Bundle {
	b := i18n.NewBundle(language.MustParse(Languages[0]))
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Languages {
		if _, err := b.LoadMessageFileFS(files, "locales/"+lang+".toml"); err != nil {
			panic("notice: " + err.Error()) // the catalogs are embedded: a broken one is a build defect
		}
	}
	return b
}

// Args are a message's named values ({{.Number}} in the catalog).
type Args map[string]any

// T renders message id in lang (zh-CN or en; anything else gets zh-CN).
// A missing id renders as the id itself, which the catalog test forbids.
func T(lang, id string, args Args) string {
	if lang != Languages[1] {
		lang = Languages[0]
	}
	out, err := i18n.NewLocalizer(bundle, lang).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: args})
	if err != nil {
		return id
	}
	return strings.TrimRight(out, "\n")
}

// IDs lists the message ids of a language's catalog.
func IDs(lang string) ([]string, error) {
	var raw map[string]any
	data, err := files.ReadFile("locales/" + lang + ".toml")
	if err != nil {
		return nil, err
	}
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(raw))
	for id := range raw {
		ids = append(ids, id)
	}
	return ids, nil
}

// SecretWarning is what a customer is told at once when okcare hid
// secrets of kinds (secretscan's: "mnemonic", "private_key", …) from what
// they sent: what was hidden, and that OK Wallet staff never ask for it.
func SecretWarning(lang string, kinds []string) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = T(lang, "secret_kind_"+k, nil)
	}
	join := ", "
	if lang != Languages[1] {
		join = "、"
	}
	return T(lang, "secret_warning", Args{"What": strings.Join(names, join)})
}
