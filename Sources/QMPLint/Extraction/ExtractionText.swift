/// The bytes extraction reads, and how their offsets map back to the input.
///
/// Most units are read in place (offsets are the input window's own). A unit behind a repeated
/// log prefix is read from a copy with the prefixes removed, and QMP escaped inside a JSON
/// string (a JSON-lines logger's `"msg"`) from the decoded string: findings and lines are
/// placed through `inputOffset(_:)`.
public struct ExtractionText {
    public let bytes: UnsafeRawBufferPointer
    /// Piecewise map: `pieces[i]` starts at text offset `text` and at input offset `input`;
    /// within a piece offsets advance together. Empty: the identity.
    let pieces: [(text: Int, input: Int)]
    /// Extraction inside a decoded string: the input's marker forms differ from the text's.
    let nested: Bool

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        pieces = []
        nested = false
    }

    init(bytes: UnsafeRawBufferPointer, pieces: [(text: Int, input: Int)], nested: Bool) {
        self.bytes = bytes
        self.pieces = pieces
        self.nested = nested
    }

    /// True when offsets are the input's own.
    public var isIdentity: Bool { pieces.isEmpty }

    /// The input offset of text offset `offset`.
    public func inputOffset(_ offset: Int) -> Int {
        guard !pieces.isEmpty else { return offset }
        var lo = 0, hi = pieces.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if pieces[mid].text <= offset { lo = mid } else { hi = mid - 1 }
        }
        let p = pieces[lo]
        return p.input + (offset - p.text)
    }
}

/// A copy of text with parts left out or decoded, recording where each kept byte came from.
struct DerivedTextBuilder {
    var bytes: [UInt8] = []
    var pieces: [(text: Int, input: Int)] = []

    /// Appends input bytes `b[from..<to]` found at input offset `inputOffset(from)`.
    mutating func append(_ b: UnsafeRawBufferPointer, _ from: Int, _ to: Int, inputAt: Int) {
        guard from < to else { return }
        if let last = pieces.last, last.input + (bytes.count - last.text) == inputAt {
            // Continues the previous piece.
        } else {
            pieces.append((bytes.count, inputAt))
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[from..<to]))
    }

    /// Appends one decoded byte that stands for input bytes starting at `inputAt`.
    mutating func appendDecoded(_ byte: UInt8, inputAt: Int) {
        pieces.append((bytes.count, inputAt))
        bytes.append(byte)
    }
}
