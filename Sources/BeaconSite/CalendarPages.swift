import Foundation
import BeaconModel
import BeaconOutput

extension SiteBuilder {
    /// The years the 主题党日 calendar covers: every year a lesson is planned for, and this one.
    var calendarYears: [Int] {
        guard project.site.partyDay != nil else { return [] }
        let thisYear = BuildClock.today().year
        let planned = project.lessons.compactMap { $0.partyDay?.year }
        return Array(Set(planned + [thisYear])).sorted()
    }

    static func calendarRoute(_ year: Int) -> String { "calendar/\(year)/" }
    static let calendarFeed = "calendar.ics"

    /// The Party day of each month of `year`, with the lessons planned for that month.
    func partyDays(_ year: Int) -> [(day: Day, lessons: [Lesson])] {
        guard let rule = project.site.partyDay else { return [] }
        return (1...12).map { m in
            let day = PartyDay.date(year: year, month: m, rule: rule)
            let planned = project.lessons.filter { $0.partyDay.map { $0.year == year && $0.month == m } ?? false }
                .sorted { ($0.partyDay!, $0.title) < ($1.partyDay!, $1.title) }
            return (day, planned)
        }
    }

    /// The next Party day from today, with its lessons (for the home page).
    func nextPartyDay(from today: Day) -> (day: Day, lessons: [Lesson])? {
        guard project.site.partyDay != nil else { return nil }
        for year in [today.year, today.year + 1] {
            if let next = partyDays(year).first(where: { $0.day >= today }) { return next }
        }
        return nil
    }

    func renderCalendar() {
        let years = calendarYears
        guard !years.isEmpty else { return }
        renderPage("calendar", route: "calendar/", title: t("title.calendar"), section: "calendar",
                                extra: ["years": years.map { ["year": $0, "url": routes.url(Self.calendarRoute($0))] },
                                        "ics": routes.url(Self.calendarFeed), "rule": ruleText])
        for (i, y) in years.enumerated() {
            let months = partyDays(y).map { entry -> [String: Any] in
                ["month": "\(entry.day.month)月", "date": entry.day.chinese, "datetime": entry.day.description,
                 "lessons": lessonList(entry.lessons)]
            }
            var nav: [String: Any] = [:]
            if i > 0 { nav["prev"] = ["year": years[i - 1], "url": routes.url(Self.calendarRoute(years[i - 1]))] }
            if i + 1 < years.count { nav["next"] = ["year": years[i + 1], "url": routes.url(Self.calendarRoute(years[i + 1]))] }
            renderPage("calendar-year", route: Self.calendarRoute(y), title: t("title.calendar_year", ["year": "\(y)"]), section: "calendar",
                                             extra: ["year": y, "months": months, "nav": nav, "ics": routes.url(Self.calendarFeed), "rule": ruleText])
        }
        writeFile(Self.calendarFeed, ics(years: years))
    }

    var ruleText: String {
        switch project.site.partyDay {
        case .dayOfMonth(let d)?: return "每月 \(d) 日"
        case .firstMonday?: return "每月第一个星期一"
        case nil: return ""
        }
    }

    /// The calendar as iCalendar (RFC 5545): one all-day event a month, lines folded at 75
    /// octets, CRLF line ends.
    func ics(years: [Int]) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
                .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
        }
        func fold(_ line: String) -> String {
            var out = "", count = 0
            for ch in line {
                let n = String(ch).utf8.count
                if count + n > 75 { out += "\r\n "; count = 1 }
                out.append(ch)
                count += n
            }
            return out + "\r\n"
        }
        func compact(_ d: Day) -> String { String(format: "%04d%02d%02d", d.year, d.month, d.day) }
        let host = URL(string: project.site.baseURL)?.host ?? "beacon"
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Beacon//Party days//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(project.site.title + " 主题党日")]
        for y in years {
            for entry in partyDays(y) {
                let d = entry.day
                let next = d.day < Day.daysIn(month: d.month, year: d.year) ? Day(year: d.year, month: d.month, day: d.day + 1)
                    : (d.month < 12 ? Day(year: d.year, month: d.month + 1, day: 1) : Day(year: d.year + 1, month: 1, day: 1))
                var description = "主题党日（\(ruleText)）"
                if !entry.lessons.isEmpty {
                    description += "\n计划学习：\n" + entry.lessons.map { "\($0.title) \(routes.absolute(routes.lesson($0)))" }.joined(separator: "\n")
                }
                lines += ["BEGIN:VEVENT", "UID:party-day-\(compact(d))@\(host)", "DTSTAMP:\(compact(d))T000000Z",
                          "DTSTART;VALUE=DATE:\(compact(d))", "DTEND;VALUE=DATE:\(compact(next))",
                          "SUMMARY:" + escape("主题党日（\(d.month)月）"), "DESCRIPTION:" + escape(description),
                          "URL:" + routes.absolute(Self.calendarRoute(y)), "END:VEVENT"]
            }
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined()
    }
}
