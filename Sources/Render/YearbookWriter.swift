/// The rendered pages of an edition, by path under `<out>/<year>/`, as
/// independent pieces of work: the index and the definitions, and each
/// chapter with its charts.
public enum YearbookWriter {
    /// With `only`, the index, the definitions and that chapter alone.
    public static func tasks(_ edition: Edition, presentation: Presentation, only: String? = nil) -> [() -> [String: [UInt8]]] {
        var tasks: [() -> [String: [UInt8]]] = [{
            let sections = edition.definitions(presentation: presentation)
            return ["index.md": Array(MarkdownWriter.index(edition).utf8), "index.html": Array(HTMLWriter.index(edition).utf8),
                    "definitions.md": Array(DefinitionsWriter.markdown(edition, sections: sections).utf8),
                    "definitions.html": Array(DefinitionsWriter.html(edition, sections: sections).utf8)]
        }]
        for chapter in edition.chapters where only == nil || only == chapter.id {
            tasks.append {
                let document = edition.document(for: chapter, presentation: presentation)
                var files = ["chapters/\(chapter.id).md": Array(MarkdownWriter.chapter(document, edition: edition).utf8),
                             "chapters/\(chapter.id).html": Array(HTMLWriter.chapter(document, edition: edition).utf8)]
                for chart in document.charts {
                    files["chapters/charts/" + MarkdownWriter.chartFile(chapter: chapter.id, chart)] = Array(SVGWriter.svg(chart, standalone: true).utf8)
                }
                return files
            }
        }
        return tasks
    }
}
