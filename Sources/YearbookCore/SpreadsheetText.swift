/// Text as spreadsheets read it.
public enum SpreadsheetText {
    /// First bytes that make a spreadsheet run a cell as a formula (OWASP's list):
    /// `=`, `+`, `-`, `@`, tab and carriage return.
    public static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]
}
