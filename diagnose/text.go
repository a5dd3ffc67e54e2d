package diagnose

import (
	"sort"
	"strings"
	"unicode"

	"github.com/okcare/okcare/textnorm"
)

// normalize folds text before feature extraction (see textnorm.Fold), and
// the traditional characters of support chats that textnorm leaves alone.
func normalize(s string) string {
	return taiwanWords.Replace(moreTraditional.Replace(textnorm.Fold(s)))
}

// taiwanWords are the words Taiwan and Hong Kong use for the same thing,
// once folded to simplified characters (網路 → 网路 → 网络).
var taiwanWords = strings.NewReplacer(
	"网路", "网络", "快取", "缓存", "简讯", "短信", "伺服器", "服务器", "萤幕", "屏幕", "连线", "连接",
	"载入", "加载", "设定", "设置", "软体", "软件", "登入", "登录", "帐户", "账户", "帐号", "账号",
	"记忆体", "运行内存", "手机号码", "手机号", "行动数据", "移动数据", "资料", "数据", "飞航模式", "飞行模式",
)

// moreTraditional folds the traditional characters of wallet support
// chats that textnorm.Fold does not (錢包, 簡訊, 飛航, 設定…), so that a
// user writing in traditional Chinese meets the same features.
var moreTraditional = strings.NewReplacer(
	"錢", "钱", "幾", "几", "簡", "简", "飛", "飞", "設", "设", "閉", "闭", "關", "关", "點", "点", "嗎", "吗",
	"這", "这", "個", "个", "說", "说", "還", "还", "會", "会", "變", "变", "額", "额", "轉", "转",
	"帳", "账", "戶", "户", "撥", "拨", "掛", "挂", "熱", "热", "搜", "搜", "聽", "听", "響", "响",
	"紅", "红", "魚", "鱼", "騙", "骗", "詐", "诈", "釣", "钓", "鏈", "链", "結", "结", "丟", "丢",
	"偷", "偷", "盜", "盗", "隻", "只", "錶", "表", "貨", "货", "幣", "币", "資", "资", "產", "产",
	"餘", "余", "見", "见", "覺", "觉", "實", "实", "現", "现", "將", "将", "從", "从", "於", "于",
	"與", "与", "門", "门", "長", "长", "樣", "样", "麗", "丽", "頭", "头", "對", "对", "書", "书",
	"員", "员", "處", "处", "傳", "传", "覽", "览", "圖", "图", "層", "层", "廣", "广", "擊", "击",
	"彈", "弹", "窗", "窗", "離", "离", "線", "线", "優", "优", "種", "种", "決", "决", "經", "经",
	"費", "费", "區", "区", "單", "单", "寫", "写", "讀", "读", "選", "选", "擇", "择", "殺", "杀",
	"辦", "办", "裡", "里", "裏", "里", "麼", "么", "爲", "为", "歲", "岁", "爺", "爷", "媽", "妈",
	"們", "们", "來", "来", "兩", "两", "給", "给", "買", "买", "賣", "卖", "寶", "宝", "藍", "蓝",
	"牆", "墙", "開", "开", "啓", "启", "闆", "板", "習", "习", "慣", "惯", "級", "级", "筆", "笔",
	"斷", "断", "續", "续", "專", "专", "業", "业", "聯", "联", "絡", "络", "繫", "系", "係", "系",
	"執", "执", "夢", "梦", "愛", "爱", "電", "电", "池", "池", "燙", "烫", "遊", "游", "戲", "戏",
	"記", "记", "卻", "却", "頁", "页", "漫", "漫", "遊", "游", "則", "则", "剛", "刚", "劃", "划",
	"舊", "旧", "陸", "陆", "國", "国", "際", "际", "運", "运", "營", "营", "商", "商", "號", "号",
	"訂", "订", "閱", "阅", "網", "网", "頻", "频", "題", "题", "麻", "麻", "煩", "烦", "壓", "压",
	"級", "级", "凍", "冻", "鎖", "锁", "戰", "战", "腦", "脑", "試", "试", "確", "确", "認", "认",
	"碼", "码", "驗", "验", "證", "证", "嚴", "严", "賬", "账", "標", "标", "準", "准", "儲", "储",
	"換", "换", "別", "别", "進", "进", "發", "发", "態", "态", "畫", "画", "頓", "顿", "備", "备",
	"擋", "挡", "鍵", "键", "購", "购", "幫", "帮", "歡", "欢", "寬", "宽", "屬", "属", "雙", "双",
	"舉", "举", "協", "协", "議", "议", "佔", "占", "滑", "滑", "掉", "掉", "鬧", "闹", "趕", "赶",
	"補", "补", "禮", "礼", "貼", "贴", "質", "质", "廠", "厂", "態", "态", "紀", "纪", "錄", "录",
	"極", "极", "慮", "虑", "擔", "担", "憂", "忧", "懷", "怀", "疑", "疑", "麥", "麦", "裝", "装",
)

func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// features turns text into the tokens the classifier counts: for Chinese,
// single characters and character bigrams (Chinese has no spaces; bigrams
// catch words like 闪退 and survive a one-character typo in a longer
// phrase); for other scripts, whole words and, within words of four letters
// or more, character trigrams, which survive English typos ("crashs",
// "loadng"); and the lexicon's concepts.
func features(text string) []string {
	text = normalize(text)
	return append(ngrams(text), conceptFeatures(text)...)
}

// ngrams are the character and word features of normalized text.
func ngrams(text string) []string {
	var out []string
	runes := []rune(text)
	var word []rune
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		out = append(out, "w:"+w)
		if len(word) >= 4 {
			padded := []rune("^" + w + "$")
			for i := 0; i+3 <= len(padded); i++ {
				out = append(out, "t:"+string(padded[i:i+3]))
			}
		}
		word = word[:0]
	}
	for i, r := range runes {
		switch {
		case isCJK(r):
			flushWord()
			out = append(out, "c:"+string(r))
			if i+1 < len(runes) && isCJK(runes[i+1]) {
				out = append(out, "b:"+string(runes[i:i+2]))
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flushWord()
		}
	}
	flushWord()
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
