import CWorkbookZip
import Foundation

/// Rows of a sheet written row by row (`XLSXBook.addSheet(inRowOrder:)`), as the bytes libxlsxwriter 1.1
/// writes for them, for the rows the tool splices into the sheet's zip part (`XLSXSheet.spliceRows`):
/// `<row r="2">`, each cell in column order, `</row>` (no row where no cell is written). A text cell is
/// an inline string, cut at its first NUL as a C string is, left out when empty (a blank cell when it
/// has a format) or longer than Excel's 32,767 characters (libxlsxwriter refuses it), its control
/// characters written `_x001F_`, then `&`, `<` and `>` escaped, with `xml:space="preserve"` when it
/// begins or ends in white space; a number is printed `%.16G`. A cell's format gets its index in the
/// workbook as the cell is written, as libxlsxwriter gives it when it writes the cell out. Tests
/// compare the files with libxlsxwriter's. The bytes go to the splice 64 KiB at a time, the last when the
/// workbook closes; a write the splice refuses fails the workbook's close.
final class SheetRows: CellWriter {
    private unowned let book: XLSXBook
    private var bytes: [UInt8] = []
    /// The row begun, whose tag is written with its first cell; whether it was; its number's digits.
    private var row = 0, rowWritten = false
    private var rowDigits: [UInt8] = []

    init(book: XLSXBook) {
        self.book = book
        bytes.reserveCapacity(Self.flushAt + 4096)
    }

    private static let flushAt = 1 << 16

    func beginRow(_ row: Int) {
        self.row = row
        rowWritten = false
        rowDigits.removeAll(keepingCapacity: true)
        var rest = row + 1
        repeat {
            rowDigits.append(UInt8(0x30 + rest % 10))
            rest /= 10
        } while rest > 0
        rowDigits.reverse()
    }

    func endRow() {
        if rowWritten { append("</row>") }
        rowWritten = false
        if bytes.count >= Self.flushAt { flush() }
    }

    /// A text cell with its format.
    func text(_ row: Int, _ column: Int, _ text: String, _ format: XLSXBook.Format) {
        var text = text
        text.withUTF8 { whole in
            let value = Self.given(whole)
            guard let first = value.first, let last = value.last else {
                if format.isSet { blank(row, column, style: book.styleIndex(format)) }
                return
            }
            if Self.isTooLong(value) { return }
            cellStart(row, column, style: book.styleIndex(format))
            append(" t=\"inlineStr\"><is><t")
            if Self.isSpace(first) || Self.isSpace(last) { append(" xml:space=\"preserve\"") }
            append(">")
            var plainFrom = 0
            for (offset, byte) in value.enumerated() where byte < 0x20 || byte == 0x26 || byte == 0x3C || byte == 0x3E {
                if byte == 0x09 || byte == 0x0A { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[plainFrom..<offset]))
                switch byte {
                case 0x26: append("&amp;")
                case 0x3C: append("&lt;")
                case 0x3E: append("&gt;")
                default:
                    append("_x00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                    append("_")
                }
                plainFrom = offset + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[plainFrom...]))
            append("</t></is></c>")
        }
    }

    /// Whether libxlsxwriter writes a text cell at all: not when it is empty as a C string and has no
    /// format, nor when it is longer than Excel allows. A row it does not write does not number its format.
    static func writes(_ text: String, formatted: Bool) -> Bool {
        var text = text
        return text.withUTF8 { whole in
            let value = given(whole)
            return value.isEmpty ? formatted : !isTooLong(value)
        }
    }

    /// What libxlsxwriter is given of a text: its bytes up to the first NUL, as a C string ends.
    private static func given(_ whole: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: whole[0..<(whole.firstIndex(of: 0) ?? whole.count)])
    }

    /// Longer than Excel's 32,767 characters (counted as libxlsxwriter does: bytes that begin a UTF-8 character).
    private static func isTooLong(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard value.count > longestText else { return false }
        var characters = 0
        for byte in value where byte & 0xC0 != 0x80 { characters += 1 }
        return characters > longestText
    }

    /// A number cell with its format.
    func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXBook.Format) {
        cellStart(row, column, style: book.styleIndex(format))
        append("><v>")
        Self.appendNumberText(value, to: &bytes)
        append("</v></c>")
    }

    /// `value` as C's `%.16G` prints it.
    static func appendNumberText(_ value: Double, to bytes: inout [UInt8]) {
        // An integer of up to 15 digits prints as its digits in %.16G: no exponent, no point.
        if value.rounded(.towardZero) == value, value.magnitude < 1e15, !(value == 0 && value.sign == .minus) {
            var whole = Int64(value)
            if whole < 0 {
                bytes.append(0x2D)
                whole = -whole
            }
            let start = bytes.count
            repeat {
                bytes.append(UInt8(0x30 + whole % 10))
                whole /= 10
            } while whole > 0
            bytes[start...].reverse()
            return
        }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buffer in
            yearbook_zip_number_text(value, buffer.baseAddress!)
            let length = strlen(buffer.baseAddress!)
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: length) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
    }


    // MARK: - bytes

    private static let longestText = 32_767
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// White space as C's `isspace` has it, of what can begin or end an escaped text (a control character is escaped).
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }

    private func blank(_ row: Int, _ column: Int, style: Int32) {
        cellStart(row, column, style: style)
        append("/>")
    }

    private func cellStart(_ row: Int, _ column: Int, style: Int32) {
        precondition(row == self.row, "a cell of row \(row) written in row \(self.row)")
        if !rowWritten {
            append("<row r=\"")
            bytes.append(contentsOf: rowDigits)
            append("\">")
            rowWritten = true
        }
        append("<c r=\"")
        appendColumnName(column)
        bytes.append(contentsOf: rowDigits)
        append("\"")
        if style != 0 {
            append(" s=\"")
            appendNumber(Int(style))
            append("\"")
        }
    }

    private func appendColumnName(_ column: Int) {
        if column < 26 {
            bytes.append(UInt8(0x41 + column))
            return
        }
        // Excel's columns end at XFD (16,384): three letters at most.
        let first = column / 26 - 1
        if first < 26 {
            bytes.append(UInt8(0x41 + first))
        } else {
            bytes.append(UInt8(0x41 + first / 26 - 1))
            bytes.append(UInt8(0x41 + first % 26))
        }
        bytes.append(UInt8(0x41 + column % 26))
    }

    private func appendNumber(_ value: Int) {
        if value < 10 {
            bytes.append(UInt8(0x30 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            var rest = value
            repeat {
                at -= 1
                buffer[at] = UInt8(0x30 + rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: buffer[at...])
        }
    }

    private func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Hands what is written so far to the splice (which keeps its failure for the workbook's close).
    func flush() {
        guard !bytes.isEmpty else { return }
        _ = bytes.withUnsafeBufferPointer { yearbook_zip_splice_write($0.baseAddress, $0.count) }
        bytes.removeAll(keepingCapacity: true)
    }
}
