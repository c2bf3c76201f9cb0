/// The rendered pages of an edition, by path under `<out>/<year>/`, as
/// independent pieces of work: the index, and each chapter.
public enum YearbookWriter {
    /// With `only`, the index and that chapter alone.
    public static func tasks(_ edition: Edition, presentation: Presentation, only: String? = nil) -> [() -> [String: [UInt8]]] {
        var tasks: [() -> [String: [UInt8]]] = [{
            ["index.md": Array(MarkdownWriter.index(edition).utf8), "index.html": Array(HTMLWriter.index(edition).utf8)]
        }]
        for chapter in edition.chapters where only == nil || only == chapter.id {
            tasks.append {
                let document = edition.document(for: chapter, presentation: presentation)
                return ["chapters/\(chapter.id).md": Array(MarkdownWriter.chapter(document, edition: edition).utf8),
                        "chapters/\(chapter.id).html": Array(HTMLWriter.chapter(document, edition: edition).utf8)]
            }
        }
        return tasks
    }
}
