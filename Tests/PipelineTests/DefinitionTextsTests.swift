@testable import Pipeline
import Definition
import Render
import Testing
import YearbookCore
import YearbookTestSupport

/// The key texts joined from each indicator and layout printed once are the texts Swift prints of the
/// whole lists: the keys, which the manifest records, stay as they were.
struct DefinitionTextsTests {
    @Test(arguments: ["/pipelines/yearbook.yml", "/Tests/Fixtures/pipelines/yearbook.yml"])
    func theJoinedTextsAreTheListsAsSwiftPrintsThem(path: String) throws {
        var definition = try PipelineDefinition.load(path: repositoryRoot + path)
        try expectPrintedAsSwiftPrints(definition)
        // A chapter with no layout of its own, and a definition with none at all.
        definition.file.content?.removeValue(forKey: definition.chapters[0].id)
        try expectPrintedAsSwiftPrints(definition)
        definition.file.content = nil
        try expectPrintedAsSwiftPrints(definition)
    }

    func expectPrintedAsSwiftPrints(_ definition: PipelineDefinition) throws {
        let texts = DefinitionTexts(definition)
        let presentation = definition.presentation
        #expect(texts.indicators == "\(definition.indicators)")
        for roster in ["dibao", "tekun", "none"] {
            #expect(texts.indicators(ofRoster: roster) == "\(definition.indicators.filter { $0.roster == roster })")
        }
        #expect(texts.chapters == "\(definition.chapters)")
        #expect(texts.presentation == "\(presentation.columns) \(presentation.units.sorted { $0.key < $1.key })")
        #expect(texts.layouts == "\(presentation.chapters.sorted { $0.key < $1.key })")
        for chapter in definition.chapters {
            #expect(texts.layout(of: chapter.id) == "\(presentation.layout(of: chapter.id))")
        }
        #expect(texts.title == "\(definition.file.title) \(definition.file.subject)")
        #expect(texts.workbook == "\(definition.file.title) \(definition.file.subject)\n\(definition.indicators)\n\(definition.chapters)\n"
            + "\(presentation.columns) \(presentation.units.sorted { $0.key < $1.key })")
        #expect(texts.indicators.hasPrefix("[YearbookCore.Indicator(code: "))
    }
}
