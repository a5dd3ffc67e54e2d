package http

// calendarText holds the words of the holiday calendar: for customers
// (the lead-ins of a promise that may be later; the note itself is in
// notice/locales as provisional_note) joining uiText, and for the
// console (the Holidays page, its banner, a refused schedule's problems
// by code, the audit action and the retiming notes) joining consoleText.
var calendarText = map[string]map[string]map[string]string{
	"T": {
		"zh-CN": {
			"ticket_reply_by_provisional": "我们会在 1-3 个工作日内回复，预计", "tv_reply_by_provisional": "预计回复时间",
			"chat_left_text_provisional": "我们会通过邮件回复到 {email}，预计",
		},
		"en": {
			"ticket_reply_by_provisional": "We reply within 1-3 business days, expected by", "tv_reply_by_provisional": "Expected answer by",
			"chat_left_text_provisional": "We will answer by email to {email}, expected by",
		},
	},
	"C": {
		"zh-CN": {
			"calendar": "节假日", "cal_title": "节假日安排",
			"cal_ok":          "节假日数据到 {through}（还剩 {days} 天）。",
			"cal_expiring":    "节假日数据只到 {through}（还剩 {days} 天）：{year} 年的放假安排尚未导入。从 {from} 起，时限只按周末计算，向客户承诺的时间会注明“可能顺延”。",
			"cal_expired":     "今天没有节假日数据：{year} 年的放假安排尚未导入。时限只按周末计算，向客户承诺的时间都注明“可能顺延”。",
			"cal_import_link": "导入 {year} 年的安排", "cal_years": "已有的年份", "cal_year": "年份", "cal_holidays": "放假日", "cal_workdays": "调休上班",
			"cal_source": "来源", "cal_shipped": "随程序发布", "cal_imported": "{who} 于 {when} 导入", "cal_src_console": "工作台", "cal_src_cli": "命令行",
			"cal_view": "查看", "cal_day": "日期", "cal_weekday": "星期", "cal_kind": "类型", "cal_name": "名称",
			"cal_kind_holiday": "放假", "cal_kind_workday": "调休上班",
			"cal_import":        "导入一年的放假安排",
			"cal_import_text":   "按国务院办公厅的通知填写一整年：每行一天或一段日期，写“日期 holiday 名称”（放假，例如 2027-01-01 holiday 元旦，连续几天可写 2027-02-06..2027-02-12）或“日期 workday 名称”（周末调休上班）。假期中的周末可以不写。导入前会检查：调休上班必须是周六或周日，放假日必须在某个法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）的时段内，日期不能重复，元旦、春节和国庆都要有。同一年再次导入会整体替换；每次导入都记入审计日志，已有工单的时限会按新安排重新计算。",
			"cal_import_button": "检查并导入", "cal_problems": "没有导入。请修改以下问题：", "cal_admins_only": "只有管理员可以导入放假安排。",
			"cal_done":     "已导入 {year} 年：{holidays} 天放假、{workdays} 天调休上班；{retimed} 张未结工单的时限已按新安排重新计算。",
			"cal_template": "year {year}\n# 每行：日期（或 起..止） holiday|workday 名称，例如：\n# {year}-01-01 holiday 元旦\n# {year}-10-01..{year}-10-07 holiday 国庆节\n",
			"calp_line":    "第 {line} 行：", "calp_syntax": "“{text}”的格式不对，应为“日期 holiday|workday 名称”。", "calp_bad_date": "“{text}”不是日期（YYYY-MM-DD，或 起..止）。",
			"calp_bad_range": "“{text}”不是一段不超过一个月的日期。", "calp_bad_kind": "“{text}”既不是 holiday 也不是 workday。", "calp_bad_year": "“{text}”应写成“year YYYY”。",
			"calp_no_year": "日期前缺少“year YYYY”一行。", "calp_two_sections": "{year} 年出现了两次。",
			"calp_wrong_year": "{date} 不属于 {year} 年的安排（{year} 年的安排从上一年 12 月 29 日到本年 12 月 31 日）。",
			"calp_duplicate":  "{date} 重复了（第 {text} 行已经写过）。", "calp_workday_not_weekend": "{date} 是工作日：调休上班必须是周六或周日。",
			"calp_outside_festival": "{date} 不在 {year} 年{festival}的时段内。", "calp_outside_any": "{date} 不在任何法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）的时段内。",
			"calp_missing_festival":       "{year} 年的安排里没有{festival}：一年的通知总有元旦、春节和国庆。",
			"au_calendar.import":          "导入节假日安排",
			"note_sla_retimed_first":      "按 {year} 年节假日安排调整：首次回复时限改为 {due}。",
			"note_sla_retimed_resolution": "按 {year} 年节假日安排调整：解决时限改为 {due}。",
		},
		"en": {
			"calendar": "Holidays", "cal_title": "Holiday schedules",
			"cal_ok":          "Holiday data runs to {through} ({days} days left).",
			"cal_expiring":    "Holiday data runs only to {through} ({days} days left): the {year} schedule has not been imported. From {from} deadlines count weekends only, and promises to customers say they may be later.",
			"cal_expired":     "There is no holiday data for today: the {year} schedule has not been imported. Deadlines count weekends only, and every promise to customers says it may be later.",
			"cal_import_link": "Import the {year} schedule", "cal_years": "Known years", "cal_year": "Year", "cal_holidays": "Days off", "cal_workdays": "Worked weekend days",
			"cal_source": "Source", "cal_shipped": "Shipped with okcare", "cal_imported": "Imported by {who} on {when}", "cal_src_console": "console", "cal_src_cli": "command line",
			"cal_view": "View", "cal_day": "Date", "cal_weekday": "Day", "cal_kind": "Kind", "cal_name": "Name",
			"cal_kind_holiday": "Day off", "cal_kind_workday": "Worked (调休)",
			"cal_import":        "Import a year's schedule",
			"cal_import_text":   "Enter a whole year as the State Council's notice gives it: one day or range a line, \"DATE holiday NAME\" for a day off (2027-01-01 holiday 元旦; several days as 2027-02-06..2027-02-12) or \"DATE workday NAME\" for a weekend day worked in exchange (调休). Weekend days inside a holiday may be left out. Before importing it is checked: worked days must be Saturdays or Sundays, days off must fall in a statutory festival's period (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆), no date twice, and 元旦, 春节 and 国庆 all present. Importing a year again replaces it; every import is audited, and open tickets' deadlines are recomputed on it.",
			"cal_import_button": "Check and import", "cal_problems": "Nothing was imported. Fix these:", "cal_admins_only": "Only admins import holiday schedules.",
			"cal_done":     "Imported {year}: {holidays} days off, {workdays} worked weekend days; {retimed} open tickets had their deadlines recomputed on it.",
			"cal_template": "year {year}\n# one line each: DATE (or FROM..TO) holiday|workday NAME, e.g.\n# {year}-01-01 holiday 元旦\n# {year}-10-01..{year}-10-07 holiday 国庆节\n",
			"calp_line":    "Line {line}: ", "calp_syntax": "\"{text}\" is not \"DATE holiday|workday NAME\".", "calp_bad_date": "\"{text}\" is not a date (YYYY-MM-DD, or FROM..TO).",
			"calp_bad_range": "\"{text}\" is not a range of at most a month.", "calp_bad_kind": "\"{text}\" is neither holiday nor workday.", "calp_bad_year": "\"{text}\": write \"year YYYY\".",
			"calp_no_year": "There is no \"year YYYY\" line before the days.", "calp_two_sections": "The year {year} appears twice.",
			"calp_wrong_year": "{date} is not part of the {year} schedule (29 December before it to 31 December).",
			"calp_duplicate":  "{date} is listed twice (first on line {text}).", "calp_workday_not_weekend": "{date} is a weekday: a worked day in exchange (调休) must be a Saturday or a Sunday.",
			"calp_outside_festival": "{date} is outside the {festival} period of {year}.", "calp_outside_any": "{date} is in no statutory festival's period (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆).",
			"calp_missing_festival":       "The {year} schedule has no {festival}: a year's notice always has 元旦, 春节 and 国庆.",
			"au_calendar.import":          "Holiday schedule imported",
			"note_sla_retimed_first":      "Moved for the {year} holiday schedule: the first response is now due {due}.",
			"note_sla_retimed_resolution": "Moved for the {year} holiday schedule: resolution is now due {due}.",
		},
	},
}

func init() {
	for set, target := range map[string]map[string]map[string]string{"T": uiText, "C": consoleText} {
		for lang, texts := range calendarText[set] {
			for k, v := range texts {
				if _, dup := target[lang][k]; dup {
					panic("calendar text " + lang + " " + k + " defined twice")
				}
				target[lang][k] = v
			}
		}
	}
}
