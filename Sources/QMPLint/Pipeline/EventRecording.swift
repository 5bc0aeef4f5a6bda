import Foundation

/// The shared bound on recorded events (`Linter.eventBudget`) of a run whose inputs are linted
/// in parallel; an item is an input (its index in the run).
///
/// The report keeps the first `cap` events in run order (inputs, then text order:
/// `EventTimeline.collect`). An input stops recording once it has recorded `cap` events, or once
/// the inputs before it that have `finish`ed recorded `cap` with its own: nothing it would record
/// after that could be kept. What is kept is therefore the same whatever the thread count and
/// timing. One budget serves one run.
public final class EventBudget: @unchecked Sendable {
    public let cap: Int
    private let lock = NSLock()
    /// Items 0..<`prefix` have all finished, recording `prefixRecorded` events together.
    private var prefix = 0
    private var prefixRecorded = 0
    /// Events recorded by each item finished out of order (index >= `prefix`).
    private var finished: [Int: Int] = [:]

    public init(cap: Int = EventTimeline.defaultCap) { self.cap = max(0, cap) }

    /// Whether item `item`, having recorded `recorded` events, may record more.
    public func mayRecord(item: Int, recorded: Int) -> Bool {
        if recorded >= cap { return false }
        lock.lock()
        defer { lock.unlock() }
        var before = prefixRecorded + recorded
        if before >= cap && item >= prefix { return false }
        for (i, n) in finished where i < item {
            before += n
            if before >= cap { return false }
        }
        return true
    }

    /// Item `item` is done, having recorded `recorded` events.
    public func finish(item: Int, recorded: Int) {
        lock.lock()
        defer { lock.unlock() }
        finished[item] = recorded
        while let n = finished.removeValue(forKey: prefix) {
            prefixRecorded += n
            prefix += 1
        }
    }
}

extension EventTimeline {
    /// Takes the recorded events out of `results` (in run order): the first `cap` are kept,
    /// in report order (files sorted by path as `Linter.assemble` sorts them, each file's
    /// events in text order); the other events of the run are counted as omitted.
    public static func collect(from results: inout [FileResult], cap: Int) -> EventTimeline {
        var kept: [[ReportEvent]] = []
        var room = cap
        var total = 0
        for i in results.indices {
            total += results[i].summary.events
            var events = results[i].timeline
            results[i].timeline = []
            if events.count > room { events.removeLast(events.count - room) }
            room -= events.count
            kept.append(events)
        }
        // Report order: by path, stable (a path named twice keeps its run order).
        let order = results.indices.sorted { a, b in
            results[a].summary.path != results[b].summary.path
                ? results[a].summary.path < results[b].summary.path : a < b
        }
        var events: [ReportEvent] = []
        events.reserveCapacity(cap - room)
        for i in order { events.append(contentsOf: kept[i]) }
        return EventTimeline(events: events, omitted: total - events.count, cap: cap)
    }
}

/// The short view of an event's data the timeline formats show: its members in text order as
/// `key=value` (strings without quotes unless empty or holding a space, `=` or a quote;
/// objects as `{...}`, arrays as `[N]`), each value cut at 40 characters, all at 100.
enum EventDataSummary {
    static let valueLimit = 40
    static let totalLimit = 100

    static func make(_ data: Int?, _ tape: JSONTape) -> String? {
        guard let data, tape[data].kind == .object, tape[data].count > 0 else { return nil }
        var out = ""
        var more = false
        tape.forEachMember(data) { k, v in
            if more { return }
            if out.count >= totalLimit {
                more = true
                return
            }
            if !out.isEmpty { out += " " }
            out += cut(tape.string(k)) + "=" + value(v, tape)
        }
        if more || out.count > totalLimit { out = String(out.prefix(totalLimit)) + "…" }
        return out
    }

    static func value(_ v: Int, _ tape: JSONTape) -> String {
        switch tape[v].kind {
        case .object: return tape[v].count == 0 ? "{}" : "{…}"
        case .array: return "[\(tape[v].count)]"
        case .string:
            let s = cut(tape.string(v))
            let plain = !s.isEmpty && !s.contains { $0 == " " || $0 == "=" || $0 == "\"" }
            return plain ? s : "\"" + s + "\""
        default: return cut(tape.rawText(v))
        }
    }

    static func cut(_ s: String) -> String { s.count > valueLimit ? String(s.prefix(valueLimit - 1)) + "…" : s }
}
