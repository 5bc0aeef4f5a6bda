import Foundation

/// The shared bound on recorded events (`FileLinter.Options.eventBudget`) of a run whose inputs
/// and ranges are linted in parallel.
///
/// The report keeps the first `cap` events in run order (inputs, then ranges, then text order).
/// A range stops recording once the ranges before it that have finished already recorded `cap`
/// events with its own: nothing it would record after that could be kept. What is kept is
/// therefore the same whatever the thread count and timing, and memory stays near
/// `cap` records per worker at most.
public final class EventBudget: @unchecked Sendable {
    public let cap: Int
    private let lock = NSLock()
    /// Events recorded by each finished item, by item index.
    private var finished: [Int: Int] = [:]

    public init(cap: Int = EventTimeline.defaultCap) { self.cap = max(0, cap) }

    /// Whether item `item`, having recorded `recorded` events, may record more.
    public func mayRecord(item: Int, recorded: Int) -> Bool {
        if recorded >= cap { return false }
        lock.lock()
        defer { lock.unlock() }
        var before = recorded
        for (i, n) in finished where i < item {
            before += n
            if before >= cap { return false }
        }
        return true
    }

    /// Item `item` is done, having recorded `recorded` events.
    public func finish(item: Int, recorded: Int) {
        lock.lock()
        finished[item] = recorded
        lock.unlock()
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
