package main

import (
	"fmt"
	"html"
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"

	"github.com/okcare/okcare"
	"github.com/okcare/okcare/markdown"
)

// A generated help center for the search benchmark: articles in pairs
// (the same slug in zh-CN and English, as the shipped ones are), each
// about a topic of a wallet's help center, with front matter, headings,
// lists and links, and lengths from a sentence to a long guide. Words
// come from a bilingual vocabulary of that domain and general words,
// drawn with a Zipf skew (a few words in thousands of articles, most in
// few), and a third of the sentences are real sentences of the shipped
// articles, so the index meets the posting lists real text makes.

// lexeme is one word or phrase in both languages.
type lexeme struct{ zh, en string }

// subject is what a topic's articles are about: nouns, verbs (as the
// thing done to them) and the concept ids their front matter may name.
type subject struct {
	nouns, verbs []lexeme
	topics       []string
}

var subjects = []subject{
	{nouns: lx("钱包/wallet", "应用/app", "首页/home screen", "启动页/splash screen", "图标/icon"), verbs: lx("打开/open", "启动/launch", "进入/enter"), topics: []string{"wont-open", "crash"}},
	{nouns: lx("转账/transfer", "收款/payment received", "付款/payment", "汇款/remittance", "到账时间/arrival time"), verbs: lx("到账/arrive", "撤销/cancel", "查询/track"), topics: []string{"transfer", "money-missing"}},
	{nouns: lx("密码/password", "登录密码/sign-in password", "支付密码/payment PIN", "手势密码/pattern lock"), verbs: lx("重置/reset", "修改/change", "找回/recover"), topics: []string{"forgot-password", "change-password", "password"}},
	{nouns: lx("验证码/verification code", "短信/SMS", "邮件/email", "语音验证/voice call code"), verbs: lx("收到/receive", "重新发送/resend", "填写/enter"), topics: []string{"code-not-received", "2fa"}},
	{nouns: lx("账户/account", "账号/profile", "实名认证/identity verification", "身份证/ID card", "人脸识别/face check"), verbs: lx("冻结/freeze", "解冻/unfreeze", "认证/verify"), topics: []string{"frozen", "account-status", "restricted"}},
	{nouns: lx("网络/network", "无线网络/Wi-Fi", "移动数据/mobile data", "信号/signal", "代理/proxy"), verbs: lx("连接/connect", "切换/switch", "断开/disconnect"), topics: []string{"network", "server", "public-wifi"}},
	{nouns: lx("版本/version", "安装包/installer", "应用商店/app store", "更新提示/update prompt"), verbs: lx("更新/update", "下载/download", "升级/upgrade"), topics: []string{"update", "reinstall"}},
	{nouns: lx("存储空间/storage", "内存/memory", "缓存/cache", "系统版本/system version", "手机型号/phone model"), verbs: lx("清理/clear", "释放/free up", "检查/check"), topics: []string{"storage", "cache", "os-version"}},
	{nouns: lx("手机/phone", "设备/device", "新手机/new phone", "旧手机/old phone"), verbs: lx("丢失/lose", "更换/replace", "绑定/link"), topics: []string{"lost-phone", "security"}},
	{nouns: lx("诈骗/scam", "假客服/fake support", "钓鱼链接/phishing link", "陌生电话/unknown caller"), verbs: lx("举报/report", "识别/spot", "防范/avoid"), topics: []string{"scam", "security", "prevention"}},
	{nouns: lx("客服/support", "工单/ticket", "在线客服/live chat", "回复/reply", "处理进度/progress"), verbs: lx("联系/contact", "提交/submit", "查看/view"), topics: []string{"contact", "response-time", "process"}},
	{nouns: lx("两步验证/two-step verification", "验证器/authenticator", "安全设置/security settings", "登录提醒/sign-in alert"), verbs: lx("开启/turn on", "关闭/turn off", "设置/set up"), topics: []string{"2fa", "security"}},
	{nouns: lx("银行卡/bank card", "信用卡/credit card", "储蓄卡/debit card", "银行/bank"), verbs: lx("绑定/add", "解绑/remove", "验证/confirm"), topics: nil},
	{nouns: lx("余额/balance", "提现/withdrawal", "充值/top-up", "手续费/fee", "限额/limit"), verbs: lx("提现/withdraw", "充值/top up", "提高/raise"), topics: []string{"transfer"}},
	{nouns: lx("账单/statement", "交易记录/transaction history", "发票/invoice", "收据/receipt"), verbs: lx("导出/export", "下载/download", "核对/reconcile"), topics: nil},
	{nouns: lx("红包/red packet", "优惠券/coupon", "积分/points", "会员/membership", "活动/promotion"), verbs: lx("领取/claim", "使用/use", "兑换/redeem"), topics: nil},
	{nouns: lx("汇率/exchange rate", "外币/foreign currency", "境外消费/overseas spending", "跨境汇款/cross-border transfer"), verbs: lx("换汇/convert", "查询/look up", "支付/pay"), topics: []string{"transfer"}},
	{nouns: lx("商户/merchant", "收款码/payment code", "扫码/QR scan", "门店/shop", "退款/refund"), verbs: lx("扫码/scan", "申请/request", "退回/return"), topics: []string{"money-missing"}},
	{nouns: lx("隐私/privacy", "个人信息/personal data", "权限/permission", "通知/notification"), verbs: lx("授权/allow", "撤回/revoke", "管理/manage"), topics: []string{"security"}},
	{nouns: lx("页面/page", "加载/loading", "白屏/blank screen", "转圈/spinner"), verbs: lx("刷新/refresh", "等待/wait for", "重试/retry"), topics: []string{"loading", "server"}},
	{nouns: lx("企业账户/business account", "营业执照/business licence", "对公账户/corporate account", "财务人员/accountant", "审批流程/approval flow"), verbs: lx("开通/open", "审核/review", "授权/authorise"), topics: nil},
	{nouns: lx("税费/tax", "个税/income tax", "扣缴/withholding", "年度汇算/annual return", "完税证明/tax certificate"), verbs: lx("申报/file", "缴纳/settle", "打印/print"), topics: nil},
	{nouns: lx("子女账户/child account", "监护人/guardian", "零花钱/pocket money", "消费限制/spending control"), verbs: lx("创建/create", "限制/restrict", "批准/approve"), topics: nil},
	{nouns: lx("机票/flight ticket", "酒店预订/hotel booking", "火车票/train ticket", "签证/visa", "行程/itinerary"), verbs: lx("预订/book", "改签/rebook", "退订/cancel the booking of"), topics: nil},
	{nouns: lx("保单/policy", "理赔/claim", "保费/premium", "受益人/beneficiary", "免赔额/deductible"), verbs: lx("投保/buy", "续保/renew", "理赔/claim on"), topics: nil},
	{nouns: lx("手表/smartwatch", "平板/tablet", "电脑/computer", "浏览器/browser", "网页版/web version"), verbs: lx("登录/sign in to", "同步/sync", "退出/sign out of"), topics: []string{"wont-open", "update"}},
	{nouns: lx("快递/parcel", "运单号/tracking number", "收货地址/delivery address", "签收/delivery confirmation"), verbs: lx("寄出/send", "跟踪/follow", "修改/edit"), topics: nil},
	{nouns: lx("话费/phone credit", "流量包/data plan", "宽带/broadband", "燃气费/gas bill", "物业费/property fee"), verbs: lx("缴费/pay", "查询/check", "自动扣款/auto-pay"), topics: nil},
	{nouns: lx("定期存款/fixed deposit", "收益/returns", "风险等级/risk level", "赎回/redemption", "净值/net asset value"), verbs: lx("购买/buy", "赎回/redeem", "比较/compare"), topics: nil},
	{nouns: lx("反馈/feedback", "投诉/complaint", "建议/suggestion", "满意度/satisfaction", "评价/rating"), verbs: lx("提交/send", "撤回/withdraw", "补充/add to"), topics: []string{"contact", "process"}},
}

// general are words any article may use, most common first.
var general = lx("问题/problem", "时间/time", "信息/information", "操作/action",
	"情况/case", "系统/system", "服务/service", "安全/safe", "功能/feature", "方法/way", "步骤/step", "设置/settings", "提示/message", "页面/screen",
	"工作日/business day", "小时/hour", "分钟/minute", "原因/reason", "结果/result", "帮助/help", "说明/note", "注意/caution", "记录/record", "详情/details",
	"名称/name", "地址/address", "号码/number", "日期/date", "金额/amount", "状态/status", "类型/type", "选项/option", "按钮/button", "菜单/menu",
	"列表/list", "标签/tab", "窗口/window", "链接/link", "图片/picture", "文件/file", "截图/screenshot", "位置/location", "语言/language", "地区/region",
	"家人/family", "朋友/friend", "同事/colleague", "公司/company", "学校/school", "旅行/travel", "购物/shopping", "外卖/food delivery", "打车/ride", "水电费/utility bill",
	"房租/rent", "工资/salary", "理财/savings", "基金/fund", "保险/insurance", "贷款/loan", "还款/repayment", "利息/interest", "额度/credit line", "分期/instalment",
	"早上/morning", "晚上/evening", "国家/country", "城市/city", "年龄/age", "性别/gender", "职业/occupation", "收入/income", "合同/contract", "协议/agreement",
	"条款/terms", "政策/policy", "规定/rule", "法律/law", "监管/regulator", "银行卡号/card number", "有效期/expiry date", "二维码/QR code", "版本号/version number", "型号/model",
	"电量/battery", "充电/charging", "蓝牙/Bluetooth", "摄像头/camera", "麦克风/microphone", "相册/photo album", "通讯录/contacts", "日历/calendar", "天气/weather", "地图/map", "周末/weekend", "节假日/public holiday", "春节/Spring Festival", "国庆/National Day", "高峰期/peak hours", "夜间/overnight", "今天/today", "明天/tomorrow")

// lx parses "中文/English" pairs.
func lx(pairs ...string) []lexeme {
	out := make([]lexeme, len(pairs))
	for i, p := range pairs {
		zh, en, _ := strings.Cut(p, "/")
		out[i] = lexeme{zh, en}
	}
	return out
}

// Sentence patterns: %[1]s and %[2]s are nouns, %[3]s a verb, %[4]s a
// general word, %[5]d a number. The same pattern index is used in both
// languages so that an article and its translation say the same thing.
var patternsZH = []string{
	"如果无法%[3]s%[1]s，请先检查%[2]s。",
	"%[1]s通常在%[5]d个%[4]s内完成%[3]s。",
	"在%[1]s页面点击“%[3]s”，然后确认%[2]s。",
	"%[3]s%[1]s之前，请确认%[2]s和%[4]s都正确。",
	"部分用户反馈%[1]s%[3]s失败，原因多半是%[2]s。",
	"%[4]s期间%[1]s可能延迟，最长约%[5]d小时。",
	"为了保护您的%[1]s，我们不会要求您提供%[2]s。",
	"请不要把%[1]s告诉任何人，包括自称客服的人。",
	"您可以在设置中%[3]s%[1]s，也可以联系客服处理%[2]s。",
	"%[1]s和%[2]s是两回事：前者与%[4]s有关。",
	"第%[5]d步：打开%[1]s，选择%[2]s。",
	"遇到%[1]s问题时，记录%[4]s并截图，有助于我们更快处理。",
}

var patternsEN = []string{
	"If you cannot %[3]s the %[1]s, check the %[2]s first.",
	"The %[1]s usually takes %[5]d %[4]s to %[3]s.",
	"On the %[1]s page tap \"%[3]s\", then confirm the %[2]s.",
	"Before you %[3]s the %[1]s, make sure the %[2]s and the %[4]s are right.",
	"Some users report that they could not %[3]s the %[1]s; the %[2]s is the usual cause.",
	"During %[4]s the %[1]s may be delayed by up to %[5]d hours.",
	"To protect your %[1]s, we never ask for your %[2]s.",
	"Never tell anyone your %[1]s, including people who say they are support.",
	"You can %[3]s the %[1]s in settings, or ask support about the %[2]s.",
	"The %[1]s and the %[2]s are different things: the first is about %[4]s.",
	"Step %[5]d: open the %[1]s and choose the %[2]s.",
	"When the %[1]s fails, note the %[4]s and take a screenshot: it helps us answer sooner.",
}

var titlesZH = []string{"%[1]s无法%[3]s怎么办", "如何%[3]s%[1]s", "%[1]s常见问题", "关于%[1]s和%[2]s的说明", "%[3]s%[1]s失败", "%[1]s%[3]s需要多久"}
var titlesEN = []string{"What to do if you cannot %[3]s the %[1]s", "How to %[3]s your %[1]s", "%[1]s: common questions", "About the %[1]s and the %[2]s", "Could not %[3]s the %[1]s", "How long it takes to %[3]s the %[1]s"}

// sentencePools are the shipped articles' sentences, per language.
type sentencePools map[string][]string

var zhSentenceEnd = regexp.MustCompile(`[^。！？]+[。！？]`)

func shippedSentences(shipped []*okcare.Article) sentencePools {
	pools := sentencePools{}
	for _, a := range shipped {
		_, body := markdown.FrontMatter(a.Body)
		text := html.UnescapeString(strings.Join(strings.Fields(markdown.Text(body)), " "))
		if a.Lang == okcare.LangZH {
			for _, s := range zhSentenceEnd.FindAllString(text, -1) {
				if s = strings.TrimSpace(s); len([]rune(s)) >= 6 {
					pools[a.Lang] = append(pools[a.Lang], s)
				}
			}
			continue
		}
		for _, s := range strings.SplitAfter(text, ". ") {
			if s = strings.TrimSpace(s); len(strings.Fields(s)) >= 4 {
				pools[a.Lang] = append(pools[a.Lang], s)
			}
		}
	}
	return pools
}

// zipf picks an index below n, low ones far more often.
type zipf struct{ z *rand.Zipf }

func newZipf(rng *rand.Rand, n int) zipf { return zipf{rand.NewZipf(rng, 1.1, 2, uint64(n-1))} }
func (z zipf) next() int                 { return int(z.z.Uint64()) }

// corpus generates pairs articles in each language (2*pairs in all).
func corpus(shipped []*okcare.Article, pairs int, seed uint64) []*okcare.Article {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pools := shippedSentences(shipped)
	pickSubject := newZipf(rng, len(subjects))
	platforms := []string{"ios", "android", "huawei"}
	out := make([]*okcare.Article, 0, 2*pairs)
	for i := 0; i < pairs; i++ {
		main := subjects[pickSubject.next()]
		other := subjects[rng.IntN(len(subjects))]
		n1, n2, v := main.nouns[rng.IntN(len(main.nouns))], other.nouns[rng.IntN(len(other.nouns))], main.verbs[rng.IntN(len(main.verbs))]
		slug := fmt.Sprintf("%s-%s-%d", slugWords(n1.en), slugWords(v.en), i)
		var front string
		if rng.IntN(10) < 7 && len(main.topics) > 0 {
			ts := append([]string{}, main.topics[:1+rng.IntN(len(main.topics))]...)
			ts = append(ts, other.topics...)
			front = "topics: " + strings.Join(dedupe(ts), ", ") + "\n"
		}
		if rng.IntN(8) == 0 {
			front += "platform: " + platforms[rng.IntN(len(platforms))] + "\n"
		}
		if front != "" {
			front = "---\n" + front + "---\n"
		}
		title := rng.IntN(len(titlesZH))
		// Lengths from a short note to a long guide: most have 2-6
		// sections of 1-6 sentences.
		sections := 1 + rng.IntN(3) + rng.IntN(4)*rng.IntN(3)
		plan := make([][]int, sections)
		for s := range plan {
			plan[s] = make([]int, 1+rng.IntN(6))
		}
		for _, lang := range []string{okcare.LangZH, okcare.LangEN} {
			r := rand.New(rand.NewPCG(seed+uint64(i), 7)) // same choices in both languages
			pickGeneral := newZipf(r, len(general))
			pick := func(l lexeme) string {
				if lang == okcare.LangZH {
					return l.zh
				}
				return l.en
			}
			var b strings.Builder
			b.WriteString(front)
			for s, sentences := range plan {
				if s > 0 {
					h := main.nouns[r.IntN(len(main.nouns))]
					fmt.Fprintf(&b, "\n## %s\n\n", capitalise(pick(h)))
				}
				list := r.IntN(3) == 0
				for range sentences {
					var line string
					if r.IntN(3) == 0 && len(pools[lang]) > 0 {
						pool := pools[lang]
						line = pool[r.IntN(len(pool))]
					} else {
						nouns := main.nouns
						if r.IntN(3) == 0 {
							nouns = subjects[r.IntN(len(subjects))].nouns
						}
						a, c := nouns[r.IntN(len(nouns))], general[pickGeneral.next()]
						if r.IntN(2) == 0 {
							c = other.nouns[r.IntN(len(other.nouns))]
						}
						p := r.IntN(len(patternsZH))
						verb := main.verbs[r.IntN(len(main.verbs))]
						g := general[pickGeneral.next()]
						if lang == okcare.LangZH {
							line = fmt.Sprintf(patternsZH[p], a.zh, c.zh, verb.zh, g.zh, 1+r.IntN(7))
						} else {
							line = capitalise(fmt.Sprintf(patternsEN[p], a.en, c.en, verb.en, g.en, 1+r.IntN(7)))
						}
						if r.IntN(6) == 0 {
							line += " [" + pick(general[pickGeneral.next()]) + "](/help/" + slug + ")"
						}
						if r.IntN(5) == 0 {
							line = strings.Replace(line, pick(a), "**"+pick(a)+"**", 1)
						}
					}
					switch {
					case list:
						b.WriteString("- " + line + "\n")
					case lang == okcare.LangZH:
						b.WriteString(line)
					default:
						b.WriteString(line + " ")
					}
				}
				b.WriteString("\n")
			}
			var t string
			if lang == okcare.LangZH {
				t = fmt.Sprintf(titlesZH[title], n1.zh, n2.zh, v.zh)
			} else {
				t = capitalise(fmt.Sprintf(titlesEN[title], n1.en, n2.en, v.en))
			}
			out = append(out, &okcare.Article{Slug: slug, Lang: lang, Title: t, Body: strings.TrimSpace(b.String()), CreatedBy: "system:bench"})
		}
	}
	return out
}

func slugWords(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), "-")
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-32) + s[1:]
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// corpusQueries are what people type into the box over this corpus: 1-3
// of its words in either language, Chinese words run together without
// spaces as often as not ("转账到账" as well as "转账 到账").
func corpusQueries(n int, seed uint64) [][3]string {
	rng := rand.New(rand.NewPCG(seed, 11))
	pickSubject, pickGeneral := newZipf(rng, len(subjects)), newZipf(rng, len(general))
	out := make([][3]string, 0, n)
	for len(out) < n {
		s := subjects[pickSubject.next()]
		words := []lexeme{s.nouns[rng.IntN(len(s.nouns))]}
		for k := rng.IntN(3); k > 0; k-- {
			if rng.IntN(2) == 0 {
				words = append(words, s.verbs[rng.IntN(len(s.verbs))])
			} else {
				words = append(words, general[pickGeneral.next()])
			}
		}
		if rng.IntN(2) == 0 {
			var zh []string
			for _, w := range words {
				zh = append(zh, w.zh)
			}
			sep := " "
			if rng.IntN(2) == 0 {
				sep = ""
			}
			// The English page is asked in Chinese now and then.
			lang := okcare.LangZH
			if rng.IntN(8) == 0 {
				lang = okcare.LangEN
			}
			out = append(out, [3]string{lang, strings.Join(zh, sep), ""})
			continue
		}
		var en []string
		for _, w := range words {
			en = append(en, w.en)
		}
		lang := okcare.LangEN
		if rng.IntN(8) == 0 {
			lang = okcare.LangZH
		}
		out = append(out, [3]string{lang, strings.Join(en, " "), ""})
	}
	return out
}
