// QAPI-source reader: arbitrary bytes as a schema file (with an include of itself, of a missing
// file and of a second in-memory file) either build a schema or fail with a positioned error;
// never crash, never hang. A schema that builds must validate an event without trapping.
public func qapiFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    // The input split at its first NUL: the first part is the main file, the rest an included one.
    let cut = text.firstIndex(of: "\u{0}") ?? text.endIndex
    let main = String(text[..<cut])
    let other = cut < text.endIndex ? String(text[text.index(after: cut)...]) : "{ 'include': 'main.json' }"
    let files = ["/f/main.json": main, "/f/other.json": other]
    let provider: QAPISourceParser.FileProvider = { files[$0] }
    do {
        let schema = try QAPISchemaReader.read(path: "/f/main.json", provider: provider)
        fuzzValidateEvents(of: schema, data: #"{"a": [1, {"b": null}], "c": "d"}"#)
    } catch {
        if error.line < 1 || error.column < 1 { fuzzFail("error without a position: \(error)") }
    }
    return 0
}
