import Definition
import Normalize
import YearbookCore

extension PipelineDefinition {
    /// A subject without one figure of the year, of its own or of its areas, would publish an empty yearbook: an error instead.
    /// `read`: the files of the year that were read; the error says why none of them reached the subject.
    func subjectProblems(observations: [ObservationKey: Observation], registry: AreaRegistry, year: Int,
                                read: [ExtractedFile] = []) -> [Problem] {
        let subject = file.subject
        func isWithinSubject(_ code: String) -> Bool {
            var area: String? = code
            while let current = area, current != subject { area = registry[current]?.parent }
            return area != nil
        }
        guard !observations.contains(where: { $0.key.period == year && $0.value.usableValue != nil && isWithinSubject($0.key.area) }) else {
            return []
        }
        let name = registry[subject].map { " (\($0.nameZH) \($0.nameEN))" } ?? ""
        return [.error(.subject, "subject \(subject)\(name) and its areas have no figure for \(year): "
                       + Self.whyNoneReaches(read, year: year, isWithinSubject: isWithinSubject)
                       + " (are the files of its counties in \(year)/exports and \(year)/submissions?)", area: subject, period: year)]
    }

    /// `read 1 submission of 2020 (2020/submissions/a.xml): its figures are for 2019`: the first few
    /// files, and per reason how many files it holds for.
    static func whyNoneReaches(_ files: [ExtractedFile], year: Int, isWithinSubject: (String) -> Bool) -> String {
        var names: [String] = [], rosters = 0, submissions = 0
        var reasons: [(reason: String, files: Int)] = []
        func add(_ reason: String) {
            if let index = reasons.firstIndex(where: { $0.reason == reason }) { reasons[index].files += 1 } else { reasons.append((reason, 1)) }
        }
        for file in files {
            switch file {
            case .roster(let roster):
                rosters += 1
                names.append(roster.file)
                add(isWithinSubject(roster.county) ? "without an active row" : "for other areas")
            case .submission(let submission):
                submissions += 1
                names.append(submission.file)
                let ofYear = submission.observations.filter { $0.period == year }
                if ofYear.isEmpty {
                    add(!submission.observations.isEmpty ? "for \(year - 1)" : submission.otherPeriods > 0 ? "for years other than \(year) and \(year - 1)"
                        : submission.skipped > 0 ? "set aside (see the warnings)" : "none")
                } else {
                    add(ofYear.contains { isWithinSubject($0.writtenArea) } ? "without a value" : "for other areas")
                }
            case .unreadable(let problem):
                names.append(problem.file ?? "")
                add("unreadable")
            }
        }
        guard !names.isEmpty else { return "no input of the year reaches them" }
        func counted(_ count: Int, _ one: String, _ many: String) -> String? { count == 0 ? nil : "\(count) \(count == 1 ? one : many)" }
        let kinds = [counted(rosters, "roster file", "roster files"), counted(submissions, "submission", "submissions")].compactMap { $0 }
        let more = names.count > 3 ? ", … \(names.count - 3) more" : ""
        let why = reasons.count == 1 ? "\(names.count == 1 ? "its" : "their") figures are \(reasons[0].reason)"
            : reasons.map { "\($0.files) with figures \($0.reason)" }.joined(separator: ", ")
        return "read \(kinds.joined(separator: " and ")) of \(year) (\(names.prefix(3).joined(separator: ", "))\(more)): \(why)"
    }
}
