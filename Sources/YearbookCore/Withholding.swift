/// Why a figure is withheld from release: the SDMX `CONF_STATUS` code it carries in released data.
public enum Confidentiality: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Primary: counted from fewer units (households or persons) than the definition's `disclosure.min_units`.
    case primary = "A"
    /// Secondary: published, it would let a primary cell be worked out (a parent minus its other children,
    /// an amount from its count and average).
    case secondary = "D"

    public static func < (a: Confidentiality, b: Confidentiality) -> Bool { a.rawValue < b.rawValue }
}

/// The figures withheld from release, by observation, with why. The internal edition keeps every exact
/// value; pages, the workbook and released data show a withheld figure as a mark, never its digits.
public struct Withholding: Sendable, Hashable {
    /// Every withheld figure: counts, amounts and the averages made from them, at every level and period.
    public var cells: [ObservationKey: Confidentiality]

    public init(cells: [ObservationKey: Confidentiality] = [:]) {
        self.cells = cells
    }

    /// Nothing withheld: no rule, or no small cell.
    public static let none = Withholding()

    public var isEmpty: Bool { cells.isEmpty }

    public subscript(_ key: ObservationKey) -> Confidentiality? { cells[key] }

    public func isWithheld(_ key: ObservationKey) -> Bool { cells[key] != nil }
}
