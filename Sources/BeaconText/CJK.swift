import Foundation

/// Character classes that Chinese text rules need.
public enum CJK {
    /// Han ideographs (CJK Unified Ideographs, extensions, compatibility ideographs) and 〇.
    @inlinable
    public static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2EBEF,
             0x30000...0x3134F, 0xF900...0xFAFF, 0x2F800...0x2FA1F, 0x3007:
            return true
        default:
            return false
        }
    }

    /// Chinese punctuation: CJK symbols and punctuation, full-width forms, and the
    /// quotation marks, ellipsis and dash as Chinese text uses them.
    @inlinable
    public static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3000...0x303F, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65,
             0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2014, 0x2015, 0x00B7, 0xFE10...0xFE1F, 0xFE30...0xFE4F:
            return true
        default:
            return false
        }
    }

    /// Kana and Hangul, which also take no spaces at a line join.
    @inlinable
    public static func isOtherWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xAC00...0xD7AF, 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A:
            return true
        default:
            return false
        }
    }

    /// A character of a Chinese run: Han, Chinese punctuation, or another full-width character.
    @inlinable
    public static func isWide(_ s: Unicode.Scalar) -> Bool {
        isHan(s) || isPunctuation(s) || isOtherWide(s)
    }

    /// Whether a soft line break between these two characters should vanish rather than
    /// become a space: next to any Chinese character or punctuation mark. Chinese text puts
    /// no space between a Chinese character and a number or Latin word (截至2026⏎年, 依托⏎5G);
    /// print sets its ¼ em gap there itself. Only a break between two Latin words is a space.
    public static func joinsWithoutSpace(_ before: Unicode.Scalar, _ after: Unicode.Scalar) -> Bool {
        isWide(before) || isWide(after) || isPunctuation(before) || isPunctuation(after)
    }

    /// A YAML folded text (`summary: >`) as Beacon joins lines: YAML made each line break a
    /// space, which next to a Chinese character or mark is no space at all (“32学时，⏎基层”
    /// is 32学时，基层). A single space between two characters that `joinsWithoutSpace` joins
    /// goes; spaces between Latin words, and runs of spaces, stay.
    public static func refolded(_ folded: String) -> String {
        let u = Array(folded.unicodeScalars)
        guard u.count > 2, u.contains(" ") else { return folded }
        var out = String.UnicodeScalarView()
        for i in u.indices {
            if u[i] == " ", i > 0, i + 1 < u.count, u[i - 1] != " ", u[i + 1] != " ", u[i - 1] != "\n", u[i + 1] != "\n",
               joinsWithoutSpace(u[i - 1], u[i + 1]) { continue }
            out.append(u[i])
        }
        return String(out)
    }

    /// Lines as a folded YAML block joins them, by Beacon's rule (`refolded`): the text of a
    /// `>` block as the file has it, to find the file's place of a folded value.
    public static func folded(lines text: String) -> String {
        var out = "", pendingBreak = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { out += "\n"; pendingBreak = false; continue }
            if pendingBreak, let a = out.unicodeScalars.last, let b = line.unicodeScalars.first, !joinsWithoutSpace(a, b) { out += " " }
            out += line
            pendingBreak = true
        }
        return out
    }
}
