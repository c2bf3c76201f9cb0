import Foundation
import Normalize
import Render
import YearbookCore

/// What the edition's SDMX export carries in its header.
public enum EditionExports {
    /// The export's `Prepared`, fixed from the inputs: the latest `Prepared` of
    /// the submissions read, else the last day of the build year.
    public static func preparedTime(_ result: StageResults) -> String {
        result.submissions.compactMap(\.prepared).max()?.text ?? "\(result.year)-12-31T00:00:00Z"
    }
}
