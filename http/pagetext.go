package http

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"
)

// Help-center words that are not in i18n.go live in message catalogs a
// translator can edit without Go: locales/<feature>.<lang>.toml, flat
// key = "text" tables. They join uiText at start; a key defined twice is a
// build defect. (i18n.go's map is older; new words belong here.)
//
//go:embed locales/*.toml
var pageCatalogs embed.FS

func init() {
	names, err := fs.Glob(pageCatalogs, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "locales/"), ".toml")
		dot := strings.Index(base, ".")
		lang := base[dot+1:]
		if dot < 0 || uiText[lang] == nil {
			panic("page catalog " + name + ": want <feature>.<zh-CN|en>.toml")
		}
		raw, err := pageCatalogs.ReadFile(name)
		if err != nil {
			panic(err)
		}
		var words map[string]string
		if err := toml.Unmarshal(raw, &words); err != nil {
			panic("page catalog " + name + ": " + err.Error())
		}
		for k, v := range words {
			if _, dup := uiText[lang][k]; dup {
				panic("page text " + lang + " " + k + " defined twice")
			}
			uiText[lang][k] = strings.TrimRight(v, "\n")
		}
	}
}
