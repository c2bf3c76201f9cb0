import YearbookCore

/// 主要统计指标解释: what every indicator means and how the yearbook computes,
/// marks and ranks its figures, as a section list written as HTML or Markdown.
public struct DefinitionSection: Sendable {
    public var title: Bilingual
    public var entries: [(term: Bilingual, lines: [Bilingual])]
}

extension Edition {
    public func definitions(presentation: Presentation) -> [DefinitionSection] {
        var sections: [DefinitionSection] = []
        for chapter in chapters {
            let entries = indicators.filter { $0.chapter == chapter.id }.map { indicator in
                (term: Bilingual(zh: "\(indicator.nameZH) (\(indicator.code))", en: indicator.nameEN),
                 lines: describe(indicator, presentation: presentation))
            }
            if !entries.isEmpty { sections.append(DefinitionSection(title: Bilingual(zh: chapter.titleZH, en: chapter.titleEN), entries: entries)) }
        }
        sections.append(DefinitionSection(title: Bilingual(zh: "符号说明", en: "Marks"), entries: [
            (Bilingual(zh: "–", en: "no data"), [Bilingual(zh: "无数据：未报送、报送为缺失 (M)，或分母为零。", en: "No figure: not reported, reported missing (M), or a zero denominator.")]),
            (Bilingual(zh: "P", en: "provisional"), [Bilingual(zh: "初步数：报送状态为 P，或由初步数计算而来。", en: "Provisional: reported with status P, or computed from a provisional figure.")]),
            (Bilingual(zh: "E", en: "estimated"), [Bilingual(zh: "估计数：报送状态为 E，或由估计数计算而来（E 优先于 P）。", en: "Estimated: reported with status E, or computed from an estimated figure (E before P).")]),
            (Bilingual(zh: "r", en: "revised"), [Bilingual(zh: "修订数：与该年年鉴首次公布的数值不同。", en: "Revised: differs from the figure that year's edition first published.")]),
            (Bilingual(zh: "↑n / ↓n / = / new", en: "rank move"), [Bilingual(zh: "位次较上年上升或下降 n 位；= 表示位次不变；new 表示上年无排名。", en: "Moved up or down n places since last year; =: the same place as last year; new: not ranked last year.")]),
            (Bilingual(zh: "1/1", en: "the only area ranked"), [Bilingual(zh: "同一上级之下只有本地区有数值，排名无比较意义。", en: "The only area with a figure among those of its parent: a rank that compares with nothing.")]),
        ] + (withholdsAny ? [(WithheldLegend.term, [WithheldLegend.explanation, WithheldLegend.ranks])] : [])))
        sections.append(DefinitionSection(title: Bilingual(zh: "数据来源", en: "Data sources"), entries: [
            (Bilingual(zh: "最低生活保障名册、特困人员供养名册", en: "Minimum-allowance and extreme-poverty rosters"),
             [Bilingual(zh: "各县(市、区)年末名册（每户或每人一行）；只计在保记录，每一行均经校验，拒收行记入民政局内部报告（不公开）。",
                        en: "Each county's year-end roster (one row per household or person); only active rows count, every row is checked, rejected rows are listed in the bureau's internal reports (not published).")]),
            (Bilingual(zh: "统计报送", en: "Submissions"),
             [Bilingual(zh: "县、市报送的 SDMX-ML 2.1 数据（按 UNIT_MULT 换算为基本单位）；同一数据以最新报送为准。名册与报送均有的指标以名册为准，差异见民政局内部的核对报告。",
                        en: "SDMX-ML 2.1 data sent by counties and prefectures (converted to base units by UNIT_MULT); the latest message wins. Where a roster and a submission give the same figure, the roster's stands; differences are in the bureau's internal reconciliation report.")]),
        ]))
        sections.append(submittedValueChecks(presentation: presentation))
        sections.append(DefinitionSection(title: Bilingual(zh: "计算方法", en: "How figures are computed"), entries: [
            (Bilingual(zh: "汇总", en: "Aggregation"),
             [Bilingual(zh: "可加指标由县(市、区)逐级加总到市、省；有下级缺数时上级不公布数值。比率指标在每一级由本级合计重新计算（合计之比，不是比率的平均）。",
                        en: "Additive figures are summed county → prefecture → province; where a child lacks a figure the parent has none. Ratios are recomputed at every level from that level's sums (a ratio of sums, never a mean of ratios).")]),
            (Bilingual(zh: "舍入", en: "Rounding"),
             [Bilingual(zh: "一切计算均为精确小数，只在公布时按指标小数位四舍五入（远离零）一次。",
                        en: "All arithmetic is exact; each published figure is rounded once, half away from zero, to the indicator's decimals.")]),
            (Bilingual(zh: "增长", en: "Change"),
             [Bilingual(zh: "增长率为与上年相比的百分比；单位为 % 的指标为增减百分点。增长按未经舍入的数值计算，故公布数 82.0 与 84.5 之差可为 −2.4 个百分点。",
                        en: "Change is the percent change on last year; for indicators in %, the difference in percentage points. It is computed from unrounded values, so 82.0 against 84.5 can read −2.4 pp.")]),
            (Bilingual(zh: "排名", en: "Ranks"),
             [Bilingual(zh: "同一上级的地区之间按公布（舍入后）数值排名，并列同名次（1, 2, 2, 4）；位次变化 = 上年名次 − 本年名次，撤并地区沿用其前身的名次。",
                        en: "Areas with the same parent are ranked on the published (rounded) values, ties sharing a rank (1, 2, 2, 4); rank move = last year's rank − this year's, a successor taking its predecessor's rank.")]),
            (Bilingual(zh: "历年数据", en: "History"),
             [Bilingual(zh: "历年主要指标取自最近一版年鉴所公布的数值（本版含本年与上年），读取的各版见 manifest.json 的 history。",
                        en: "The key figures of earlier years are as the latest edition holding them published them (this edition for this year and last); the editions read are listed under history in manifest.json.")]),
        ]))
        return sections
    }

    /// What each unit admits of a submitted value (`UnitBound.table`), a row per group of units.
    func submittedValueChecks(presentation: Presentation) -> DefinitionSection {
        var entries: [(term: Bilingual, lines: [Bilingual])] = [
            (Bilingual(zh: "报送值", en: "Submitted values"),
             [Bilingual(zh: "报送值按 UNIT_MULT 换算为基本单位后须符合其单位，如下所列；不符合者不采用（列入 reports/problems.csv），其上级因缺数不汇总。",
                        en: "A submitted value, in its base unit after UNIT_MULT, must fit its unit as below; one that does not is not used (it is listed in reports/problems.csv) and its parent, lacking it, has no total.")]),
        ]
        for bound in UnitBound.table {
            let labels = bound.units.map { presentation.unit($0) }
            let term = labels.isEmpty ? Bilingual(zh: "其他单位", en: "Other units")
                : Bilingual(zh: labels.map(\.zh).joined(separator: "、"), en: labels.map(\.en).joined(separator: ", "))
            let rule = bound.rule
            entries.append((term, [Bilingual(zh: "\(bound.what.zh)：\(rule.zh)。", en: "\(bound.what.en.prefix(1).uppercased() + bound.what.en.dropFirst()): \(rule.en).")]))
        }
        return DefinitionSection(title: Bilingual(zh: "报送值的校验", en: "Checks of submitted values"), entries: entries)
    }

    /// Unit, source, formula in words, aggregation and rank of one indicator.
    func describe(_ indicator: Indicator, presentation: Presentation) -> [Bilingual] {
        let unit = presentation.unit(indicator.unit)
        var lines = [Bilingual(zh: "单位：\(unit.zh)；公布 \(indicator.decimals) 位小数。", en: "Unit: \(unit.en); published with \(indicator.decimals) decimals.")]
        switch indicator.source {
        case .dibao, .tekun:
            let roster = indicator.source == .dibao ? Bilingual(zh: "最低生活保障名册", en: "minimum-allowance roster")
                                                    : Bilingual(zh: "特困人员供养名册", en: "extreme-poverty roster")
            let words = Self.rosterFormula(indicator.formula)
            lines.append(Bilingual(zh: "来源：\(roster.zh)。计算：\(words.zh)。", en: "Source: the \(roster.en). Formula: \(words.en)."))
        case .submission:
            lines.append(Bilingual(zh: "来源：统计报送。", en: "Source: submissions."))
        case .derived:
            let words = derivedFormula(indicator.formula)
            lines.append(Bilingual(zh: "来源：计算。计算：\(words.zh)。", en: "Source: derived. Formula: \(words.en)."))
        }
        if indicator.source == .derived {
            lines.append(Bilingual(zh: "汇总：各级由本级数值重新计算。", en: "Aggregation: recomputed at every level from that level's figures."))
        } else if indicator.additive {
            lines.append(Bilingual(zh: "汇总：县(市、区)逐级加总。", en: "Aggregation: summed county → prefecture → province."))
        } else {
            lines.append(Bilingual(zh: "汇总：按报送值，不加总。", en: "Aggregation: as submitted, never summed."))
        }
        switch indicator.rank {
        case .desc: lines.append(Bilingual(zh: "排名：数值高者在前。", en: "Rank: highest first."))
        case .asc: lines.append(Bilingual(zh: "排名：数值低者在前。", en: "Rank: lowest first."))
        case nil: break
        }
        return lines
    }

    static let fieldWords: [String: Bilingual] = [
        "members": Bilingual(zh: "保障人数", en: "covered persons"),
        "monthly_amount": Bilingual(zh: "月保障金额", en: "monthly allowance"),
        "annual_amount": Bilingual(zh: "年供养金额", en: "annual support"),
        "category=U": Bilingual(zh: "城市", en: "urban"),
        "category=R": Bilingual(zh: "农村", en: "rural"),
        "care_mode=C": Bilingual(zh: "集中供养", en: "in centralized care"),
        "care_mode=D": Bilingual(zh: "分散供养", en: "in dispersed care"),
    ]

    /// `sum members where category=U` → 城市在保记录的保障人数之和 / sum of covered persons of active urban rows.
    static func rosterFormula(_ formula: String) -> Bilingual {
        let words = formula.split(separator: " ").map(String.init)
        let condition = words.firstIndex(of: "where").flatMap { $0 + 1 < words.count ? fieldWords[words[$0 + 1]] : nil }
        let rows = Bilingual(zh: "\(condition?.zh ?? "")在保记录", en: "active\(condition.map { " " + $0.en } ?? "") rows")
        if words.first == "sum", words.count > 1 {
            let field = fieldWords[words[1]] ?? Bilingual(zh: words[1], en: words[1])
            return Bilingual(zh: "\(rows.zh)的\(field.zh)之和", en: "sum of the \(field.en) of \(rows.en)")
        }
        return Bilingual(zh: "\(rows.zh)数", en: "number of \(rows.en)")
    }

    /// `BEDS_TOTAL / POP_60PLUS * 1000` with the indicators' names and ÷ ×.
    func derivedFormula(_ formula: String) -> Bilingual {
        var zh = "", en = ""
        var token = ""
        func flush() {
            guard !token.isEmpty else { return }
            let named = indicator(token)
            zh += named?.nameZH ?? token
            en += named?.nameEN ?? token
            token = ""
        }
        for character in formula {
            if character.isLetter || character.isNumber || character == "_" { token.append(character); continue }
            flush()
            let symbol = character == "/" ? "÷" : character == "*" ? "×" : String(character)
            zh += symbol
            en += symbol
        }
        flush()
        return Bilingual(zh: zh, en: en)
    }
}

/// The definitions page in HTML and Markdown.
public enum DefinitionsWriter {
    public static func html(_ edition: Edition, sections: [DefinitionSection]) -> String {
        let nav = "<nav><a href=\"index.html\">目录 Contents</a></nav>\n"
        var body = "<h1>\(HTMLWriter.bilingual("主要统计指标解释", "Definitions of the main indicators"))</h1>\n"
        for section in sections {
            body += "<h2>\(HTMLWriter.bilingual(section.title.zh, section.title.en))</h2>\n<dl class=\"terms\">\n"
            for entry in section.entries {
                body += "<dt>\(HTMLWriter.bilingual(entry.term.zh, entry.term.en))</dt>\n"
                for line in entry.lines {
                    body += "<dd>\(Escape.html(line.zh)) <span class=\"en\" lang=\"en\">\(Escape.html(line.en))</span></dd>\n"
                }
            }
            body += "</dl>\n"
        }
        return HTMLWriter.page(title: "主要统计指标解释 Definitions · \(edition.title) \(edition.year)", nav: nav, body: body)
    }

    public static func markdown(_ edition: Edition, sections: [DefinitionSection]) -> String {
        var out = "# 主要统计指标解释 · Definitions of the main indicators\n\n"
        out += "\(Escape.markdown(edition.title)) \(edition.year) · [目录 Contents](index.md)\n\n"
        for section in sections {
            out += "### \(Escape.markdown(section.title.zh)) · \(Escape.markdown(section.title.en))\n\n"
            for entry in section.entries {
                out += "**\(Escape.markdown(entry.term.zh))** · \(Escape.markdown(entry.term.en))\n\n"
                for line in entry.lines { out += "- \(Escape.markdown(line.zh)) \(Escape.markdown(line.en))\n" }
                out += "\n"
            }
        }
        return out
    }
}
