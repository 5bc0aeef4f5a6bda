// Text-documentation reader (qmp-events.txt style): arbitrary text builds a schema or fails with
// a positioned error; never crashes or hangs. What builds must validate its own event names.
public func textdocFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let schema = try TextDocSchemaReader.read(text: text, path: "fuzz.txt")
        fuzzValidateEvents(of: schema, data: #"{"a": 1}"#)
    } catch {
        if error.line < 1 || error.column < 1 { fuzzFail("error without a position: \(error)") }
    }
    return 0
}
