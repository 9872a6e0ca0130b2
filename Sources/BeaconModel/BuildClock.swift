import Foundation

/// The dates a build writes, so that two builds of the same input are byte-identical
/// (reproducible-builds.org's `SOURCE_DATE_EPOCH`):
/// - files that carry a date of their own (PDF metadata, the print shop's ZIPs) take it from
///   `SOURCE_DATE_EPOCH` when set, else from the content (`Project.contentDate`), never
///   from the clock;
/// - what the site shows as "today" (the next 主题党日 on the home page, this year's
///   calendar, the footer's year) is `SOURCE_DATE_EPOCH`'s day when set, else today's date
///   in China: two builds on one day are the same.
public enum BuildClock {
    /// Beijing time: the day an editor means.
    public static let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!

    /// `SOURCE_DATE_EPOCH` as a date, when it holds a whole number of seconds.
    public static var sourceDateEpoch: Date? {
        guard let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"],
              let seconds = Int64(s.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 253_402_300_800 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Today as the site shows it.
    public static func today() -> Day {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: sourceDateEpoch ?? Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Midnight of `day` in Beijing time.
    public static func date(_ day: Day) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// A date as a PDF's Info dictionary writes it: `D:20260601000000+08'00'`.
    public static func pdfDate(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "D:%04d%02d%02d%02d%02d%02d+08'00'", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// A date as PDF metadata wants it (ISO 8601 with the zone, as Cairo takes it).
    public static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

extension Project {
    /// The newest date the content gives (a lesson's date), or 2000-01-01 for a site with
    /// no lesson: the date of every file that carries one, unless `SOURCE_DATE_EPOCH` says.
    public var contentDate: Date {
        BuildClock.sourceDateEpoch ?? BuildClock.date(lessons.map(\.date).max() ?? Day(year: 2000, month: 1, day: 1))
    }
}
